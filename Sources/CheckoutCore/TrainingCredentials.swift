/// The credentials the gateways' simulators publish for training: `shroff sandbox`, training
/// mode and the tests all use them, and the simulators accept no others.
///
/// They are public, so they protect nothing: whoever reads them can sign a notification that
/// the simulator's merchant was paid. The configuration therefore refuses them in a table that
/// reaches a gateway anywhere but this machine. They live here, below both the simulators and
/// the configuration, so that the two can never disagree about them.
public enum TrainingCredentials {
    /// Wantu's training merchant and store accounts, and its MD5 signing key.
    public static let wantuMerchantAccount = "HKG0000000001"
    public static let wantuStoreAccount = "HKG0000000002"
    public static let wantuKey = "shroff-training-key"

    /// The aggregator's training `appid` and MD5 secret.
    public static let aggregatorAppID = "gpu0000000001"
    public static let aggregatorSecret = "shroff-aggregator-training-secret"

    /// CloudPay's training `appkey` (the seed's own example) and `appsecret`.
    public static let cloudPayAppKey = "098f6bcd4621d373cade4e832627b4f6"
    public static let cloudPayAppSecret = "cloudpay-training-secret"

    /// Paymax's training `app_key` and secret key (its `Authorization`).
    public static let paymaxAppKey = "app_shroff_training"
    public static let paymaxSecretKey = "sk_shroff_training_public_key"
}

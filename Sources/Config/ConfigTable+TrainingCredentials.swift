import CheckoutCore
import Foundation

/// One credential a provider table gives, beside the value the simulators publish for it
/// (`TrainingCredentials`).
struct PublishedCredential {
    /// The setting's name in the table ("merchant_account"; "key" also stands for `key_env`
    /// and `key_file`).
    let name: String
    /// What it is, for the message ("merchant account", "signing key").
    let what: String
    let given: String
    let published: String
    /// A secret's value is never quoted, even the published one.
    let isSecret: Bool
}

extension ConfigTable {
    /// Refuses a table that reaches its gateway anywhere but this machine with a credential
    /// the simulators publish. Anyone can sign with a published secret, so a shop using one
    /// could be told by anyone that a payment was made; a published account is a sign the
    /// table was copied from `shroff sandbox`. A loopback `base_url` (a local simulator) may
    /// use them: that is how the gateways are tried and tested.
    func refuseTrainingCredentials(of settings: any ProviderTableReading) throws(ConfigError) {
        guard let host = URL(string: settings.baseURL)?.host?.lowercased(), !ConfigTable.loopbackHosts.contains(host) else { return }
        for credential in settings.publishedCredentials where credential.given == credential.published {
            let forms = credential.isSecret ? [credential.name, credential.name + "_env", credential.name + "_file"] : [credential.name]
            let key = forms.first(where: contains) ?? credential.name
            let quoted = credential.isSecret ? "" : " (\"\(credential.published)\")"
            throw error(.invalidValue, key: key,
                        "\(fullKey(key)) gives the sandbox's published training \(credential.what)\(quoted), which anyone can use"
                        + (credential.isSecret ? " to sign a notification that a payment was made" : "")
                        + ": put the \(credential.what) \(type(of: settings).issuer) issued you there instead. The training credentials work only with a base_url on this machine (127.0.0.1, localhost or [::1]), such as `shroff sandbox`")
        }
    }
}

extension WantuSettings {
    static var issuer: String { "Wantu" }

    var publishedCredentials: [PublishedCredential] {
        [PublishedCredential(name: "merchant_account", what: "merchant account", given: merchantAccount,
                             published: TrainingCredentials.wantuMerchantAccount, isSecret: false),
         PublishedCredential(name: "store_account", what: "store account", given: storeAccount,
                             published: TrainingCredentials.wantuStoreAccount, isSecret: false),
         PublishedCredential(name: "key", what: "signing key", given: key.reveal(),
                             published: TrainingCredentials.wantuKey, isSecret: true)]
    }
}

extension AggregatorSettings {
    static var issuer: String { "the aggregator" }

    var publishedCredentials: [PublishedCredential] {
        [PublishedCredential(name: "appid", what: "appid", given: appID,
                             published: TrainingCredentials.aggregatorAppID, isSecret: false),
         PublishedCredential(name: "secret", what: "secret", given: secret.reveal(),
                             published: TrainingCredentials.aggregatorSecret, isSecret: true)]
    }
}

extension CloudPaySettings {
    static var issuer: String { "CloudPay" }

    var publishedCredentials: [PublishedCredential] {
        [PublishedCredential(name: "appkey", what: "appkey", given: appKey,
                             published: TrainingCredentials.cloudPayAppKey, isSecret: false),
         PublishedCredential(name: "appsecret", what: "appsecret", given: appSecret.reveal(),
                             published: TrainingCredentials.cloudPayAppSecret, isSecret: true)]
    }
}

extension PaymaxSettings {
    static var issuer: String { "Paymax" }

    var publishedCredentials: [PublishedCredential] {
        [PublishedCredential(name: "app_key", what: "app_key", given: appKey,
                             published: TrainingCredentials.paymaxAppKey, isSecret: false),
         PublishedCredential(name: "secret_key", what: "secret key", given: secretKey.reveal(),
                             published: TrainingCredentials.paymaxSecretKey, isSecret: true)]
    }
}

/// Where a shop's ledger server is and who this till is in it: what `PostgresLedger` needs
/// to connect, read from the `[ledger]` and `[store]` tables.
public struct PostgresLedgerSettings: Sendable {
    /// How the connection to the server is protected.
    public enum TLS: String, Sendable {
        /// Encrypted, and the server's certificate must be valid for `host`.
        case verifyFull = "verify-full"
        /// Encrypted, without checking who the server is.
        case require
        /// Plain text: for a server on this machine only (the configuration refuses it for another).
        case disable
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// Never printed: `description` and every message leave it out.
    public var password: String?
    public var tls: TLS
    /// The store whose orders this till reads and writes; one database may hold a chain's stores.
    public var store: String
    /// This till's name, unique in its store: it is written on every order it records.
    public var till: String
    /// How long to wait for the server to answer a connection, in seconds.
    public var connectTimeout: Int64
    /// How long a till waits before it listens again after its listening connection dropped;
    /// meanwhile it reads the row of the order it waits on.
    public var listenRetry: Duration

    public init(host: String, port: Int = 5432, user: String, database: String, password: String?, tls: TLS,
                store: String, till: String, connectTimeout: Int64 = 5, listenRetry: Duration = .seconds(1)) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
        self.store = store
        self.till = till
        self.connectTimeout = connectTimeout
        self.listenRetry = listenRetry
    }

    /// "shroff@10.0.0.5:5432/shop": the server as messages name it, without the password.
    public var server: String { "\(user)@\(host):\(port)/\(database)" }
}

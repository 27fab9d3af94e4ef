internal import CCrypto

/// Why a signing, verifying or key-derivation step failed.
///
/// Descriptions name the operation and OpenSSL's reason text only: never key material,
/// passwords, salts or the data being signed, so they are safe to log.
public enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a usable key of the expected kind (bad PEM or base64, wrong structure,
    /// encrypted with a passphrase). `reason` is OpenSSL's own short reason.
    case invalidKey(kind: String, reason: String)
    /// The key decoded but is not an RSA key.
    case notRSA(kind: String)
    /// A caller-supplied parameter is out of range (for example a zero iteration count).
    case invalidParameter(String)
    /// OpenSSL refused an operation that should work (out of memory, provider missing).
    case cryptoFailure(operation: String, reason: String)
    /// The kernel refused to keep this process out of core dumps (`reason` is the system's words).
    case coreDumpsNotForbidden(reason: String)

    public var description: String {
        switch self {
        case .invalidKey(let kind, let reason):
            "The \(kind) could not be read (\(reason)). Paste the PEM text including its BEGIN/END lines, unencrypted."
        case .notRSA(let kind):
            "The \(kind) is not an RSA key. The gateway needs an RSA key."
        case .invalidParameter(let what):
            "Invalid signing parameter: \(what)."
        case .cryptoFailure(let operation, let reason):
            "OpenSSL could not \(operation) (\(reason))."
        case .coreDumpsNotForbidden(let reason):
            "Core dumps could not be turned off (\(reason)), so a crash could write the keys to disk. Nothing was started; report this, with the system's words, to whoever looks after this machine."
        }
    }
}

/// OpenSSL's error queue, read and emptied in one place.
enum OpenSSLError {
    /// The reason text of the earliest queued error, then clears the queue so a later
    /// call does not report a stale failure. Reason strings are static library text.
    static func takeReason() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let text = ERR_reason_error_string(code) else { return "no detail" }
        return String(cString: text)
    }

    /// A `.cryptoFailure` for `operation` with the queued reason; clears the queue.
    static func failure(_ operation: String) -> SigningError {
        .cryptoFailure(operation: operation, reason: takeReason())
    }
}

import Foundation
import Signing

/// The key pairs of a Paymax sandbox, and the PEM files a till's configuration names:
/// - `paymax-private.pem` / `paymax-public.pem`: the sandbox signs answers and webhooks as
///   Paymax; the till verifies with the public file (`paymax_public_key_file`).
/// - `merchant-private.pem` / `merchant-public.pem`: the training merchant's pair; the till
///   signs with the private file (`merchant_private_key_file`), the sandbox checks with the public.
///
/// The pairs are the published training pairs (`PaymaxSandboxKeys+Training.swift`). Private
/// files are written with mode 0600, as the till's configuration requires.
public struct PaymaxSandboxKeys: Sendable {
    public let directory: String
    public let paymax: RSAPrivateKey
    public let merchant: RSAPrivateKey
    public let merchantPublic: RSAPublicKey
    public let paymaxPublic: RSAPublicKey

    /// Why the PEM files could not be written (the keys still work in this process); nil when they were.
    public private(set) var filesNotWritten: String?

    public var paymaxPrivateFile: String { directory + "/paymax-private.pem" }
    public var paymaxPublicFile: String { directory + "/paymax-public.pem" }
    public var merchantPrivateFile: String { directory + "/merchant-private.pem" }
    public var merchantPublicFile: String { directory + "/merchant-public.pem" }

    /// The training pairs, with their PEM files written to `directory` where missing.
    public static func training(in directory: String) -> PaymaxSandboxKeys {
        var keys: PaymaxSandboxKeys
        do {
            keys = try PaymaxSandboxKeys(directory: directory, paymax: RSAPrivateKey(pem: trainingPaymaxPEM),
                                         merchant: RSAPrivateKey(pem: trainingMerchantPEM))
        } catch {
            preconditionFailure("the embedded training keys do not load: \(error)")  // a bug: the tests load them
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try write(trainingPaymaxPEM, to: keys.paymaxPrivateFile, mode: 0o600)
            try write(keys.paymax.publicKeyPEM(), to: keys.paymaxPublicFile, mode: 0o644)
            try write(trainingMerchantPEM, to: keys.merchantPrivateFile, mode: 0o600)
            try write(keys.merchant.publicKeyPEM(), to: keys.merchantPublicFile, mode: 0o644)
        } catch {
            keys.filesNotWritten = "\(error)"
        }
        return keys
    }

    /// Where `shroff sandbox` keeps them: `$XDG_STATE_HOME/shroff/paymax-sandbox`, else
    /// `~/.local/state/shroff/paymax-sandbox`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/shroff/paymax-sandbox" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        return home + "/.local/state/shroff/paymax-sandbox"
    }

    init(directory: String, paymax: RSAPrivateKey, merchant: RSAPrivateKey) throws {
        self.directory = directory
        self.paymax = paymax
        self.merchant = merchant
        self.merchantPublic = try merchant.publicKey()
        self.paymaxPublic = try paymax.publicKey()
    }

    /// Writes `text` unless the file already holds it; a temporary name and a move, so another
    /// process never reads half a key.
    private static func write(_ text: String, to path: String, mode: Int) throws {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing == text { return }
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}

import Foundation
import Signing

/// The key pairs of a Paymax sandbox, kept as PEM files in one directory so that a till's
/// configuration can name them and they survive restarts:
/// - `paymax-private.pem` / `paymax-public.pem`: the sandbox signs answers and webhooks as
///   Paymax; the till verifies with the public file (`paymax_public_key_file`).
/// - `merchant-private.pem` / `merchant-public.pem`: the training merchant's pair; the till
///   signs with the private file (`merchant_private_key_file`), the sandbox checks with the public.
///
/// Private files are written with mode 0600, as the till's configuration requires.
public struct PaymaxSandboxKeys: Sendable {
    public let directory: String
    public let paymax: RSAPrivateKey
    public let merchant: RSAPrivateKey
    public let merchantPublic: RSAPublicKey
    public let paymaxPublic: RSAPublicKey

    public var paymaxPrivateFile: String { directory + "/paymax-private.pem" }
    public var paymaxPublicFile: String { directory + "/paymax-public.pem" }
    public var merchantPrivateFile: String { directory + "/merchant-private.pem" }
    public var merchantPublicFile: String { directory + "/merchant-public.pem" }

    /// Reads the pairs from `directory`, making (and writing) any that are missing or unreadable.
    public static func loadOrCreate(in directory: String) throws -> PaymaxSandboxKeys {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let paymax = try pair(directory + "/paymax-private.pem", publicFile: directory + "/paymax-public.pem")
        let merchant = try pair(directory + "/merchant-private.pem", publicFile: directory + "/merchant-public.pem")
        return try PaymaxSandboxKeys(directory: directory, paymax: paymax, merchant: merchant)
    }

    /// Pairs kept in memory only (no files to name in a configuration).
    public static func ephemeral() throws -> PaymaxSandboxKeys {
        try PaymaxSandboxKeys(directory: "(in memory: not written)", paymax: .generate(), merchant: .generate())
    }

    init(directory: String, paymax: RSAPrivateKey, merchant: RSAPrivateKey) throws {
        self.directory = directory
        self.paymax = paymax
        self.merchant = merchant
        self.merchantPublic = try merchant.publicKey()
        self.paymaxPublic = try paymax.publicKey()
    }

    /// Where `shroff sandbox` keeps them: `$XDG_STATE_HOME/shroff/paymax-sandbox`, else
    /// `~/.local/state/shroff/paymax-sandbox`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/shroff/paymax-sandbox" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        return home + "/.local/state/shroff/paymax-sandbox"
    }

    private static func pair(_ privateFile: String, publicFile: String) throws -> RSAPrivateKey {
        if let text = try? String(contentsOfFile: privateFile, encoding: .utf8), let key = try? RSAPrivateKey(pem: text),
           FileManager.default.fileExists(atPath: publicFile) {
            return key
        }
        let key = try RSAPrivateKey.generate(bits: 2048)
        // Written to a temporary name and moved, so another process never reads half a key.
        let temporary = privateFile + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(try key.pkcs8PEM().utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        _ = try? FileManager.default.removeItem(atPath: privateFile)
        try FileManager.default.moveItem(atPath: temporary, toPath: privateFile)
        try Data(try key.publicKeyPEM().utf8).write(to: URL(fileURLWithPath: publicFile), options: .atomic)
        return key
    }
}

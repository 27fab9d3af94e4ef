import Foundation
import Signing

/// The key pairs of a Paymax sandbox, and the PEM files a till's configuration names:
/// - `paymax-private.pem` / `paymax-public.pem`: the sandbox signs answers and webhooks as
///   Paymax; the till verifies with the public file (`paymax_public_key_file`).
/// - `merchant-private.pem` / `merchant-public.pem`: the training merchant's pair; the till
///   signs with the private file (`merchant_private_key_file`), the sandbox checks with the public.
///
/// No key ships with Shroff: each pair is made the first time a sandbox (or a training till)
/// needs it in `directory`, and every later process there loads the same files, so a till
/// configured with those paths agrees with any `shroff sandbox` started beside it. The pairs are
/// 1024-bit: they sign nothing outside this machine's sandbox, and making them stays quick on a
/// busy till. Private files are written with mode 0600, as the till's configuration requires.
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

    /// The pairs kept in `directory`, made there first when missing. When the directory cannot
    /// be written, pairs made for this process alone (`filesNotWritten` says why).
    public static func training(in directory: String) -> PaymaxSandboxKeys {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let paymax = try kept(directory + "/paymax-private.pem")
            let merchant = try kept(directory + "/merchant-private.pem")
            let keys = try PaymaxSandboxKeys(directory: directory, paymax: paymax, merchant: merchant)
            try write(keys.paymax.publicKeyPEM(), to: keys.paymaxPublicFile, mode: 0o644)
            try write(keys.merchant.publicKeyPEM(), to: keys.merchantPublicFile, mode: 0o644)
            return keys
        } catch {
            do {
                var keys = try PaymaxSandboxKeys(directory: directory, paymax: .generate(bits: bits), merchant: .generate(bits: bits))
                keys.filesNotWritten = "\(error)"
                return keys
            } catch {
                preconditionFailure("OpenSSL could not make an RSA key: \(error)")
            }
        }
    }

    static let bits = 1024

    /// The private key in `path`; made and written there first when the file does not exist.
    /// Two processes making one at once: the first file to land wins, and both use it.
    private static func kept(_ path: String) throws -> RSAPrivateKey {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) { return try RSAPrivateKey(pem: text) }
        let made = try RSAPrivateKey.generate(bits: bits)
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(try made.pkcs8PEM().utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        defer { _ = try? FileManager.default.removeItem(atPath: temporary) }
        // link(2) fails when the file exists: another process made it first.
        if link(temporary, path) != 0 {
            guard errno == EEXIST else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            return try RSAPrivateKey(pem: String(contentsOfFile: path, encoding: .utf8))
        }
        return made
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
    /// process never reads half a key. (Public halves only: they follow from the private files.)
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

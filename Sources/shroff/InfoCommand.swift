import ArgumentParser
import CheckoutCore
import Config

/// `shroff` with no subcommand: what this till is set up to do.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show how this till is set up (the default).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        await session.close()
        let configuration = session.configuration
        let settings = configuration.summary()
        let gateway = session.gateway
        var lines = [configuration.isTraining
            ? "TRAINING MODE: no configuration file was found, so payments go to a sandbox inside this process. No real money moves."
            : "Shroff — \(configuration.store.name)"]
        lines += settings.map { "  \($0.0): \($0.1)" }
        lines.append("  gateway offers: \(gateway.capabilities.names.joined(separator: ", "))")
        for method in PaymentMethod.allCases {
            let wallets = gateway.wallets(for: method)
            let name = method == .scan ? "scanned codes" : "QR codes"
            lines.append("  \(name): \(wallets.isEmpty ? "not offered" : wallets.map(\.displayName).joined(separator: ", "))")
        }
        if !gateway.wallets(for: .qr).isEmpty {
            lines.append(configuration.notify.publicURL.map { "  pay links: \($0)/pay/… drawn for a QR code too large for the terminal, or a payment page" }
                ?? "  pay links: off (set [notify] public_url to draw a short link where a QR code is too large for the terminal)")
        }
        if gateway.capabilities.contains(.notifications) {
            lines.append("  notifications: `shroff notify-server` receives them at /notify/\(gateway.name)")
        }
        if !gateway.capabilities.contains(.refund) {
            lines.append("  refunds and cancels: not offered (\(gateway.refundAdvice))")
        }
        // Only the ways this gateway offers, each with a wallet it takes.
        var ways: [String] = []
        if !gateway.wallets(for: .scan).isEmpty { ways.append("shroff pay --amount 12.30 --code <scanned code>") }
        if let wallet = gateway.wallets(for: .qr).first {
            ways.append("shroff qr --amount 12.30" + (wallet == .wechat ? "" : " --channel \(wallet.rawValue)"))
        }
        lines.append("Take a payment: " + ways.joined(separator: "   |   "))
        var object: [String: JSONValue] = [
            "capabilities": .array(gateway.capabilities.names.map(JSONValue.string)),
            "gateways": .array(session.gateways.map { .string($0.name) }),
            "scan_wallets": .array(gateway.wallets(for: .scan).map { .string($0.rawValue) }),
            "qr_wallets": .array(gateway.wallets(for: .qr).map { .string($0.rawValue) }),
        ]
        for (key, value) in settings { object[key.lowercased().replacingOccurrences(of: " ", with: "_")] = .string(value) }
        session.output.result(lines.joined(separator: "\n"), object)
    }
}

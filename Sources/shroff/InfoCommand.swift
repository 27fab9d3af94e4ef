import ArgumentParser
import CheckoutCore
import Config
import Words

/// `shroff` with no subcommand: what this till is set up to do.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show how this till is set up (the default).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        await session.close()
        let configuration = session.configuration
        // The JSON's keys come from the English labels, whatever the language.
        let settings = configuration.summary()
        let words = session.output.words
        let gateway = session.gateway
        var lines = [configuration.isTraining ? words("cli.info.training") : "Shroff — \(configuration.store.name)"]
        lines += configuration.summary(words).map { "  " + words("cli.info.row", ["label": $0.0, "value": $0.1]) }
        lines.append("  " + words("cli.info.offers", ["capabilities": gateway.capabilities.names.joined(separator: ", ")]))
        for method in PaymentMethod.allCases {
            let wallets = gateway.wallets(for: method)
            let offered = wallets.isEmpty ? words("cli.info.not_offered") : wallets.map(words.wallet).joined(separator: words("list.separator"))
            lines.append("  " + words(method == .scan ? "cli.info.scanned" : "cli.info.qr", ["wallets": offered]))
        }
        if !gateway.wallets(for: .qr).isEmpty {
            lines.append(configuration.notify.publicURL.map { "  pay links: \($0)/pay/… drawn for a QR code too large for the terminal, or a payment page" }
                ?? "  pay links: off (set [notify] public_url to draw a short link where a QR code is too large for the terminal)")
        }
        if gateway.capabilities.contains(.notifications) {
            lines.append("  " + words("cli.info.notifications", ["gateway": gateway.name]))
        }
        if !gateway.capabilities.contains(.refund) {
            lines.append("  " + words("cli.info.no_refunds", ["advice": gateway.refundAdvice]))
        }
        // Only the ways this gateway offers, each with a wallet it takes.
        var ways: [String] = []
        if !gateway.wallets(for: .scan).isEmpty { ways.append("shroff pay --amount 12.30 --code <scanned code>") }
        if let wallet = gateway.wallets(for: .qr).first {
            ways.append("shroff qr --amount 12.30" + (wallet == .wechat ? "" : " --channel \(wallet.rawValue)"))
        }
        lines.append(words("cli.info.take_payment", ["ways": ways.joined(separator: "   |   ")]))
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

import ArgumentParser
import CheckoutCore
import Foundation
import QRCode
import Till

/// `shroff qr`: the customer scans a QR code drawn in the terminal.
struct QRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Create a QR order and draw its code in the terminal for the customer to scan; wait until it is paid.",
        discussion: "The order is closed at the gateway if it is not paid within qr_timeout_s, or when you press Ctrl-C.")

    @Option(help: ArgumentHelp("The amount in major units of the store's currency, e.g. 12.30.", valueName: "amount"))
    var amount: String

    @Option(help: "The wallet the customer pays with: wechat or alipay (default: the gateway's first, wechat for Wantu).")
    var channel: Wallet?

    @Option(help: "What is sold, as the customer's wallet shows it.")
    var subject = "Purchase"

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        do { try await session.requireNotifyServer() } catch {
            await session.close()
            throw error
        }
        let output = session.output
        let amount = try session.parseAmount(amount)
        let channel = channel ?? session.gateway.wallets(for: .qr).first ?? .wechat
        try await session.runCheckout { control throws(TillError) in
            try await session.runner.payByQR(amount, wallet: channel, subject: subject, control: control) { step in
                if case .showQR(let payload) = step {
                    QRTerminal.draw(payload, caption: output.prefix + output.words("cli.qr_caption", ["what": output.words.amount(amount),
                                                                                                        "wallet": output.words.wallet(channel)]),
                                    json: output.json)
                } else {
                    output.progress(CheckoutNarration.line(for: step, output.words))
                }
            }
        }
    }
}

extension Wallet: ExpressibleByArgument {}

/// Draws a QR code with half blocks: on standard output for a person, on standard error when
/// standard output carries JSON. On a terminal with colour the glyphs are the light modules,
/// bright white on black (`QRInk.light`); otherwise the dark ones, in plain text.
enum QRTerminal {
    static func draw(_ payload: String, caption: String, json: Bool) {
        let stream = json ? FileHandle.standardError : FileHandle.standardOutput
        guard let matrix = try? QRMatrix.encode(payload) else {
            stream.write(Data("The QR code could not be drawn; the customer can open: \(payload)\n".utf8))
            return
        }
        let useColour = isatty(json ? 2 : 1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let (start, end) = useColour ? ("\u{1B}[97;40m", "\u{1B}[0m") : ("", "")
        var text = caption + "\n"
        for row in matrix.halfBlockRows(margin: 2, ink: useColour ? .light : .dark) { text += start + row + end + "\n" }
        stream.write(Data(text.utf8))
    }
}

/// `shroff store-qr`: the store's fixed QR code, for a customer who types the amount in the wallet.
struct StoreQRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-qr",
        abstract: "Draw the store's fixed QR code (Wantu merchant-qrcode): the customer scans it and types the amount.",
        discussion: "Payments made this way reach the till only through reconciliation and notifications; prefer `shroff qr` at the counter.")

    @Option(help: "The wallet the code is for: wechat or alipay.")
    var channel: Wallet = .wechat

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let payload = try await session.run { () throws(TillError) in
            guard session.gateway.capabilities.contains(.storeQR) else {
                throw .unsupported(gateway: session.gateway.name, what: "a fixed store QR code")
            }
            do throws(GatewayError) { return try await session.gateway.storeQRCode(wallet: channel) } catch { throw .gateway(error) }
        }
        let words = session.output.words
        QRTerminal.draw(payload, caption: session.output.prefix + words("cli.qr_caption", ["what": session.configuration.store.name,
                                                                                           "wallet": words.wallet(channel)]), json: global.json)
        session.output.result(words("cli.store_qr", ["wallet": words.wallet(channel), "payload": payload]),
                              ["payload": .string(payload), "wallet": .string(channel.rawValue)])
    }
}

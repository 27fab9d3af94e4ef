import ArgumentParser
import CheckoutCore
import Foundation
import QRCode
import Synchronization
import TerminalUI
import Till
import Words

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
        let link = Mutex<String?>(nil)
        try await session.runCheckout { control throws(TillError) in
            try await session.runner.payByQR(amount, wallet: channel, subject: subject, control: control) { step in
                switch step {
                case .payLink(let url):
                    link.withLock { $0 = url }
                case .showQR(let payload):
                    let shown = QRTerminal.drawCredential(payload, link: link.withLock { $0 },
                                                          caption: output.prefix + output.words("cli.qr_caption", ["what": output.words.amount(amount),
                                                                                                                     "wallet": output.words.wallet(channel)]),
                                                          json: output.json, words: output.words)
                    // Nothing a customer could pay with was shown, and a drawing here is never redrawn: stop now.
                    if !shown { control.requestCancel() }
                default:
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

    /// Draws a QR order's credential when its code fits the terminal, else its short pay link
    /// (`link`), else says why neither can be drawn and which setting gives the link. A form
    /// credential is never printed: only its link can be drawn. False when the customer was
    /// shown nothing to pay with (no code, and no link either).
    static func drawCredential(_ payload: String, link: String?, caption: String, json: Bool, words: Words) -> Bool {
        let now = terminalSize(fd: json ? 2 : 1)
        // The code's rows and the caption's and the prompt's lines.
        let needs = { (text: String) -> TerminalSize? in
            guard let drawn = try? QRMatrix.encode(text).halfBlockRows(margin: 2) else { return nil }
            return TerminalSize(columns: drawn.first?.count ?? 0, rows: drawn.count + 2)
        }
        let payloadNeeds = PayLink.isForm(payload) ? nil : needs(payload)
        if let payloadNeeds, now.covers(payloadNeeds) {
            draw(payload, caption: caption, json: json)
            return true
        }
        let linkNeeds = link.flatMap(needs)
        if let link, let linkNeeds, now.covers(linkNeeds) {
            draw(link, caption: words("cli.qr_caption_link", ["caption": caption]), json: json)
            return true
        }
        let undrawn: UndrawnQR = linkNeeds.map { .linkTooLarge(needs: $0) } ?? (PayLink.isForm(payload) ? .formWithoutLink : .tooLarge(needs: payloadNeeds))
        var text = undrawn.words(now: now, words)
        if let link { text += " " + words("cli.customer_can_open", ["link": link]) }
        (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data((text + "\n").utf8))
        return link != nil
    }

    /// The terminal's size in cells: $COLUMNS and $LINES when set, else the terminal's own
    /// (TIOCGWINSZ), else 80×24, the counter terminal a code must fit.
    static func terminalSize(fd: Int32) -> TerminalSize {
        let environment = ProcessInfo.processInfo.environment
        var size = winsize()
        let asked = ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 && size.ws_row > 0
        let columns = environment["COLUMNS"].flatMap(Int.init) ?? (asked ? Int(size.ws_col) : 80)
        let rows = environment["LINES"].flatMap(Int.init) ?? (asked ? Int(size.ws_row) : 24)
        return TerminalSize(columns: columns, rows: rows)
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

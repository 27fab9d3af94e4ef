import Foundation
import Testing
import TestSupport

/// The QR code as a customer's phone sees it: the real `shroff` drawing in a real terminal
/// emulator (xterm, a TrueType font through Xft, 80×24) on a virtual screen, a sharp screenshot
/// of it read by zbarimg. A font's block glyphs leave thin gaps between text rows; a drawing
/// that inks dark modules with glyphs comes out striped and does not decode.
@Suite(.serialized)
struct XtermQRTests {
    let till: TillHome

    init() throws { till = try TillHome() }

    /// Takes screenshots until one decodes (the program is still starting) or `timeout` passes.
    func decodedQR(on screen: XtermScreen, within timeout: Duration = .seconds(40)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while ContinuousClock.now < deadline {
            attempt += 1
            let picture = try screen.screenshot(named: "screen-\(attempt)")
            if let text = try ZBar.decode(file: picture) { return text }
            try await Task.sleep(for: .milliseconds(300))
        }
        return nil
    }

    @Test("the till's QR code decodes from an xterm screenshot", arguments: [
        (XtermScreen.Theme.dark, 11), (.light, 11), (.dark, 14), (.light, 9),
    ])
    func tillQRCodeInXterm(theme: XtermScreen.Theme, fontSize: Int) async throws {
        let binary = try ShroffBinary.url().path
        let screen = try XtermScreen(theme: theme, fontSize: fontSize, command: [binary], environment: till.environment,
                                     directory: till.root)
        defer { screen.stop() }
        // The till opens its ledger just before its screen; keys typed before that wait in the tty.
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: till.trainingLedger), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        // Slower than a scanner, so the digits are typing; then the WeChat QR.
        try screen.type("12.30")
        try screen.type("w")
        let decoded = try await decodedQR(on: screen)
        let text = try #require(decoded, "no QR code could be read from the xterm screenshots (\(theme), \(fontSize) pt)")
        #expect(text.firstMatch(of: /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9A-Za-z]{10}$/) != nil, "the QR code reads \"\(text)\"")
    }

    @Test("`shroff qr` draws a code that decodes from an xterm screenshot", arguments: [
        (XtermScreen.Theme.dark, 11), (.light, 14),
    ])
    func qrCommandInXterm(theme: XtermScreen.Theme, fontSize: Int) async throws {
        let binary = try ShroffBinary.url().path
        let screen = try XtermScreen(theme: theme, fontSize: fontSize, command: [binary, "qr", "--amount", "12.30"],
                                     environment: till.environment, directory: till.root)
        defer { screen.stop() }
        let decoded = try await decodedQR(on: screen)
        let text = try #require(decoded, "no QR code could be read from the xterm screenshots (\(theme))")
        #expect(text.hasPrefix("weixin://wxpay/bizpayurl?pr="), "the QR code reads \"\(text)\"")
    }
}

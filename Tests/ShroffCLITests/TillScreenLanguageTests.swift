import Foundation
import TestSupport
import Testing

/// A Hong Kong and a mainland cashier's shift in tmux, in their own language: a scanned sale,
/// a QR sale whose drawn code a phone reads, a refund behind the manager PIN, the Z report.
@Suite("The till's screen in Chinese, in tmux", .serialized, .timeLimit(.minutes(1)))
struct TillScreenLanguageTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// The wording each variant shows at each step, and how the till is told to speak it. The
    /// sale's total keeps its ISO code: the CNY equivalent is shown beside it.
    struct Variant: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var environment: [String: String]
        var sale, total, netZero, paid, nextSale, menu, refundEntry, pinPrompt, pick, reason, confirm, refunded, zConfirm, zTitle, net, closed: String
        var scanToPay, cancelled: String
        var description: String { name }
    }

    static let hongKong = Variant(
        name: "zh-Hant from LANG=zh_HK.UTF-8", arguments: [], environment: ["LANG": "zh_HK.UTF-8"],
        sale: "新交易", total: "HKD 12.30", netZero: "HK$0.00", paid: "已付款", nextSale: "下一單", menu: "選單", refundEntry: "退款（店主：需要經理密碼）",
        pinPrompt: "請輸入經理密碼", pick: "請選擇要退款的已付訂單", reason: "原因", confirm: "退 HK$12.30 到顧客的微信支付？y/n",
        refunded: "已退款 HK$12.30", zConfirm: "要日結嗎？y/n", zTitle: "Z 報表：日結", net: "淨額", closed: "已日結",
        scanToPay: "掃碼付款", cancelled: "已取消")
    static let mainland = Variant(
        name: "zh-Hans from --language", arguments: ["--language", "zh-Hans"], environment: [:],
        sale: "新交易", total: "HKD 12.30", netZero: "港币 0.00", paid: "已付款", nextSale: "下一单", menu: "菜单", refundEntry: "退款（店主：需要经理密码）",
        pinPrompt: "请输入经理密码", pick: "请选择要退款的已付订单", reason: "原因", confirm: "退 港币 12.30 到顾客的微信支付？y/n",
        refunded: "已退款 港币 12.30", zConfirm: "要日结吗？y/n", zTitle: "Z 报表：日结", net: "净额", closed: "已日结",
        scanToPay: "扫码付款", cancelled: "已取消")

    @Test("a shift in Chinese: scan sale → 已付款, refund behind the PIN, Z report", arguments: [hongKong, mainland])
    func shift(variant: Variant) async throws {
        try await setPIN("4826")
        try await till.withTmuxTill(arguments: variant.arguments, environment: variant.environment) { tmux in
            try await tmux.waitFor(variant.sale, within: .seconds(10))
            try tmux.type("12.30")
            try await tmux.waitFor(variant.total)
            try tmux.scanInOneBurst(TillHome.wechatCode)
            let paid = try await tmux.waitFor(variant.paid, variant.nextSale)
            #expect(!paid.contains("Trade number"), "English on a Chinese screen:\n\(paid)")
            try tmux.press("Enter")
            try await tmux.waitFor(variant.sale)

            try tmux.press("m")
            try await tmux.waitFor(variant.refundEntry)
            try tmux.press("f")
            try await tmux.waitFor(variant.pinPrompt)
            try tmux.type("4826")
            let masked = try await tmux.waitFor("••••")
            #expect(!masked.contains("4826"))
            try tmux.press("Enter")
            try await tmux.waitFor(variant.pick)
            try tmux.press("Enter")
            try tmux.press("Enter")
            try await tmux.waitFor(variant.reason)
            try tmux.type("wrong size")
            try await tmux.waitFor("wrong size")
            try tmux.press("Enter")
            try await tmux.waitFor(variant.confirm)
            try tmux.press("y")
            try await tmux.waitFor(variant.refunded)
            try tmux.press("Enter")
            try await tmux.waitFor(variant.menu)

            try tmux.press("z")
            try await tmux.waitFor(variant.zConfirm)
            try tmux.press("y")
            let report = try await tmux.waitFor(variant.zTitle, variant.net, variant.closed)
            #expect(report.contains(variant.netZero), "the day nets nothing:\n\(report)")
            try tmux.press("F10")
            #expect(try await tmux.waitForExit() == 0)
        }
    }

    @Test("a QR sale in Chinese: the code drawn beside Chinese text reads as a WeChat link", arguments: [hongKong, mainland])
    func qrSale(variant: Variant) async throws {
        try await till.withTmuxTill(arguments: variant.arguments, environment: variant.environment) { tmux in
            try await tmux.waitFor(variant.sale, within: .seconds(10))
            try tmux.type("12.30")
            try await tmux.waitFor(variant.total)
            try tmux.press("w")
            let shown = try await tmux.waitUntil("the QR code beside \(variant.scanToPay)") { screen in
                screen.contains(variant.scanToPay) && screen.contains("▀")
            }
            let modules = try #require(CapturedScreen(ansi: try tmux.colouredScreen()).qrModules(), "no code drawn:\n\(shown)")
            let decoded = try ZBar.decode(modules: modules)
            #expect(decoded.hasPrefix("weixin://"), "the QR code reads \"\(decoded)\"")
            try tmux.press("Escape")
            try tmux.press("y")
            try await tmux.waitFor(variant.cancelled, variant.nextSale)
            try tmux.press("F10")
            #expect(try await tmux.waitForExit() == 0)
        }
    }

    /// `shroff set-pin` with the PIN on standard input.
    private func setPIN(_ pin: String) async throws {
        let set = try await till.run(["set-pin"], input: pin + "\n")
        #expect(set.exitCode == 0, "shroff set-pin failed: \(set)")
    }
}

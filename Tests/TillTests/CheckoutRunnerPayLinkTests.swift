import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// Which QR credentials the runner gives a short pay link, and until when the link works.
@Suite struct CheckoutRunnerPayLinkTests {
    /// A QR sale whose gateway answers `credential`, paid at the first query; what the till
    /// showed, and what the ledger gave for its link at `probes` (seconds after the sale began)
    /// while the order was still open.
    func sale(_ credential: String, creationTakes: Duration = .zero, probes: [TimeInterval] = [])
        async throws -> (progress: [CheckoutProgress], opened: [String?]) {
        let till = try TillFixture(payLinks: true)
        let progress = ProgressLog()
        let opened = Observed<[String?]>([])
        till.gateway.script { [clock = till.clock, ledger = till.ledger] script in
            script.createQR = { _ in
                clock.advance(by: creationTakes)
                return .created(payload: credential)
            }
            script.query = { order, _ in
                let token = progress.all.compactMap { step -> String? in
                    if case .payLink(let link) = step { String(link.dropFirst((TillFixture.publicURL + PayLink.pathPrefix).count)) } else { nil }
                }.first
                for seconds in probes {
                    let at = TillFixture.origin.addingTimeInterval(seconds)
                    opened.update { $0.append(token.flatMap { try? ledger.payLinkCredential(token: $0, at: at) }) }
                }
                return .paid(ScriptedGateway.confirmation(order.amount))
            }
        }
        _ = try await till.runner.payByQR(hkd(12_30), wallet: .alipay, subject: "Tea", progress: progress.callback)
        return (progress.all, opened.current)
    }

    static func links(_ progress: [CheckoutProgress]) -> [String] {
        progress.compactMap { if case .payLink(let link) = $0 { link } else { nil } }
    }

    @Test func aWebAddressAndAFormGetALinkButAWalletsCodeAndAnythingElseNever() async throws {
        let web = try await sale("https://mapi.alipay.com/gateway.do?out_trade_no=ch_1")
        #expect(Self.links(web.progress) == ["https://pay.shop.example/pay/aaaaaaaaaaaaaaaaaa0001"])
        let form = try await sale(#"<form method="post" action="https://cashier.example/pay"></form>"#)
        #expect(Self.links(form.progress).count == 1)

        for credential in ["weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j", "javascript:alert(1)", "data:text/html,x", "https://"] {
            let shown = try await sale(credential)
            #expect(Self.links(shown.progress).isEmpty, "\(credential) got a pay link")
            // Drawn as it is (or said to be undrawable) by the front end, as before.
            #expect(shown.progress.contains(.showQR(credential)))
        }
    }

    /// The link ends when the QR order does: its deadline counts from when the order was made,
    /// not from when the gateway's answer came (here 7 s later).
    @Test func aLinkEndsExactlyAtTheQROrdersDeadline() async throws {
        let shown = try await sale("https://mapi.alipay.com/gateway.do?out_trade_no=ch_2", creationTakes: .seconds(7),
                                   probes: [179.999, 180])
        #expect(shown.opened == ["https://mapi.alipay.com/gateway.do?out_trade_no=ch_2", nil], "\(shown.opened)")
    }
}

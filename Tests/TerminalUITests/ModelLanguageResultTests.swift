import CheckoutCore
import Testing
@testable import Till
import Words
@testable import TerminalUI

/// The moment between a checkout's last answer and its result screen.
struct ModelLanguageFinishedStepTests {
    @Test func theFinishedStepIsWordedInTheCashiersLanguage() {
        // Given a Hong Kong till waiting on a scanned payment
        var state = Fixture.state(words: Words(.traditionalChinese))
        Fixture.type("12.30", into: &state)
        _ = state.handle(.input(.scan(Fixture.wechatCode)))
        // When the checkout says it has finished, before its report arrives
        _ = state.handle(.checkout(.finished(.cancelled(.cashier))))
        // Then the step under the spinner is Chinese, not the core's English summary
        let screen = Fixture.screen(state)
        #expect(screen.contains("已取消"), "\(screen)")
        #expect(!screen.contains("CANCELLED"), "\(screen)")
    }
}

/// A gateway's refusal on a Chinese screen.
struct ModelLanguageRejectedTests {
    @Test func aRefusalReadsInChineseAroundTheGatewaysOwnCodeAndMessage() {
        // Given a Hong Kong till whose scanned payment the gateway refused as badly signed
        var state = Fixture.state(words: Words(.traditionalChinese))
        Fixture.type("12.30", into: &state)
        _ = state.handle(.input(.scan(Fixture.wechatCode)))
        let result = CheckoutResult.rejected(GatewayProblem(code: "SIGNERROR", message: "sign_mismatch"))
        _ = state.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000RRRRRR", status: result.orderStatus),
                                                          result: result, ledgerProblems: [])))
        // Then the result explains it in Chinese and keeps the gateway's words as it gave them
        let screen = Fixture.screen(state)
        #expect(screen.contains("支付平台拒絕了這個要求（SIGNERROR：sign_mismatch）"), "\(screen)")
        #expect(!screen.contains("Check the gateway settings"), "\(screen)")
    }
}

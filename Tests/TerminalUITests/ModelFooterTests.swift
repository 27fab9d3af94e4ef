import CheckoutCore
import Testing
import Words
@testable import TerminalUI

/// The footer names every key a screen takes: at the smallest terminal, in every language,
/// none is left off for want of room.
@Suite("Model: every footer key is shown at 80×24")
struct ModelFooterTests {
    @Test(arguments: ModelLanguageFrameTests.languages)
    func everyScreenShowsEveryKeyItOffers(language: Language) {
        for (name, state) in ModelLanguageFrameTests.screens(language) {
            let footer = state.render(size: .minimum).lines[TerminalSize.minimum.rows - 1]
            let bindings = state.bindings(size: .minimum)
            #expect(!bindings.isEmpty, "\(language) \(name) offers no key")
            for binding in bindings {
                #expect(footer.contains("\(binding.key) \(binding.label)"), "\(language) \(name) leaves out \(binding.key) \(binding.label): \(footer)")
            }
        }
    }
}

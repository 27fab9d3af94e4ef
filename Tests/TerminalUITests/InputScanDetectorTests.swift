import Testing
@testable import TerminalUI

/// Recorded key timings: each entry is a key and the milliseconds since the previous key.
private struct Recording {
    var strokes: [KeyStroke] = []
    var clock: Duration = .seconds(5)

    mutating func type(_ text: String, gaps: [Int]) {
        precondition(gaps.count == text.count)
        for (character, gap) in zip(text, gaps) { press(.character(character), after: gap) }
    }

    mutating func type(_ text: String, every gap: Int) {
        type(text, gaps: Array(repeating: gap, count: text.count))
    }

    mutating func press(_ key: Key, after gap: Int) {
        clock += .milliseconds(gap)
        strokes.append(KeyStroke(key: key, at: clock))
    }
}

/// Feeds a recording like the driver would: keys as they come, then idle calls every 10 ms
/// for `idleFor` milliseconds after the last key.
private func play(_ recording: Recording, idleFor: Int = 300, detector: ScanDetector = ScanDetector()) -> [ScanInput] {
    var detector = detector
    var out: [ScanInput] = []
    for stroke in recording.strokes {
        // The driver calls idle between keys whenever its poll times out.
        if let deadline = detector.releaseDeadline, deadline <= stroke.at { out += detector.idle(at: stroke.at) }
        out += detector.feed(stroke)
    }
    var now = recording.strokes.last?.at ?? .zero
    for _ in 0..<(idleFor / 10) {
        now += .milliseconds(10)
        out += detector.idle(at: now)
    }
    #expect(!detector.isHolding, "nothing may stay held once the keyboard is idle")
    return out
}

private func keys(_ text: String) -> [ScanInput] { text.map { .key(.character($0)) } }

/// A WeChat Pay payment code (18 digits, prefix 13), not a real one.
private let wechatCode = "134567890123456789"

@Test func scannerBurstWithAnOddSlowGapIsOneScan() {
    // Given a scanner typing 18 digits ~8 ms apart, one gap of 16 ms, then Enter
    var recording = Recording()
    var gaps = [200] + Array(repeating: 8, count: 17)
    gaps[9] = 16
    recording.type(wechatCode, gaps: gaps)
    recording.press(.enter, after: 8)
    // Then the till receives the code once, and no stray keys
    #expect(play(recording) == [.scan(wechatCode)])
}

@Test func charactersHandedOverAtTheSameInstantStillCountAsAScan() {
    // Given the terminal delivering the burst in reads of several characters at one instant
    var recording = Recording()
    var gaps: [Int] = []
    for index in 0..<18 { gaps.append(index == 0 ? 500 : (index % 6 == 0 ? 30 : 0)) }
    recording.type(wechatCode, gaps: gaps)
    recording.press(.enter, after: 0)
    #expect(play(recording) == [.scan(wechatCode)])
}

@Test func aPersonTypingAnAmountGetsKeys() {
    // Given a cashier typing 12.30 at 100–200 ms, then Enter
    var recording = Recording()
    recording.type("12.30", gaps: [400, 130, 180, 110, 200])
    recording.press(.enter, after: 150)
    #expect(play(recording) == keys("12.30") + [.key(.enter)])
}

@Test func aFastTypistsDigitsThenAPauseAreKeys() {
    // Given four digits rolled quickly (under the burst gap), then a pause before Enter
    var recording = Recording()
    recording.type("4520", every: 25)
    recording.press(.enter, after: 400)
    #expect(play(recording) == keys("4520") + [.key(.enter)])
}

@Test func typedDigitsAreReleasedOnceTheKeyboardIsIdle() {
    // Given two quick digits and nothing after them
    var detector = ScanDetector()
    #expect(detector.feed(KeyStroke(key: .character("7"), at: .milliseconds(1000))) == [])
    #expect(detector.feed(KeyStroke(key: .character("5"), at: .milliseconds(1020))) == [])
    #expect(detector.isHolding)
    // When the driver's poll times out before the burst gap has passed, they stay held
    #expect(detector.idle(at: .milliseconds(1050)) == [])
    // Then once it has passed they come out as typed keys, in order
    #expect(detector.idle(at: .milliseconds(1061)) == keys("75"))
    #expect(!detector.isHolding)
}

@Test func aBurstTooShortForAPaymentCodeIsKeys() {
    // Given 12 digits at scanner speed with Enter (a product barcode, not a payment code)
    var recording = Recording()
    recording.type("501234567890", every: 8)
    recording.press(.enter, after: 8)
    #expect(play(recording) == keys("501234567890") + [.key(.enter)])
}

@Test func aBurstTooLongForAPaymentCodeIsKeys() {
    var recording = Recording()
    let digits = String(repeating: "28", count: 13)  // 26 digits
    recording.type(digits, every: 8)
    recording.press(.enter, after: 8)
    #expect(play(recording) == keys(digits) + [.key(.enter)])
}

@Test func aBurstWithoutEnterIsReleasedAsKeysWhenIdle() {
    // Given a full-length burst whose Enter never comes
    var recording = Recording()
    recording.type(wechatCode, every: 8)
    #expect(play(recording) == keys(wechatCode))
}

@Test func anEnterLongAfterTheBurstIsNotAScan() {
    // The digits were fast but Enter came after a person-like pause: someone pressed it.
    var recording = Recording()
    recording.type(wechatCode, every: 8)
    recording.press(.enter, after: 250)
    #expect(play(recording) == keys(wechatCode) + [.key(.enter)])
}

@Test func aSlowGapInsideTheBurstMakesItKeys() {
    // One gap over the limit anywhere in the run, even if all others are fast.
    var recording = Recording()
    var gaps = [300] + Array(repeating: 8, count: 17)
    gaps[12] = 90
    recording.type(wechatCode, gaps: gaps)
    recording.press(.enter, after: 8)
    #expect(play(recording) == keys(wechatCode) + [.key(.enter)])
}

@Test func digitsTypedThenAScanRightAfterAreKeysThenTheScan() {
    // Given a cashier typing 25 and, a moment later, the scanner reading a code
    var recording = Recording()
    recording.type("25", gaps: [300, 150])
    recording.type(wechatCode, gaps: [120] + Array(repeating: 7, count: 17))
    recording.press(.enter, after: 7)
    #expect(play(recording) == keys("25") + [.scan(wechatCode)])
}

@Test func tabEndsABurstLikeEnter() {
    let alipayCode = "28012345678901234567"
    var recording = Recording()
    recording.type(alipayCode, every: 8)
    recording.press(.tab, after: 9)
    #expect(play(recording) == [.scan(alipayCode)])
}

@Test func otherKeysPassStraightThroughAndFlushHeldDigits() {
    // Given a digit held, then Backspace a moment later
    var detector = ScanDetector()
    #expect(detector.feed(KeyStroke(key: .character("9"), at: .milliseconds(100))) == [])
    #expect(detector.feed(KeyStroke(key: .backspace, at: .milliseconds(110)))
            == [.key(.character("9")), .key(.backspace)])
    // A letter or a function key is never held
    #expect(detector.feed(KeyStroke(key: .character("q"), at: .milliseconds(120))) == [.key(.character("q"))])
    #expect(detector.feed(KeyStroke(key: .function(2), at: .milliseconds(125))) == [.key(.function(2))])
    #expect(!detector.isHolding)
}

@Test func twoScansInARowAreTwoScans() {
    var recording = Recording()
    recording.type(wechatCode, every: 8)
    recording.press(.enter, after: 8)
    let second = "112233445566778899"
    recording.type(second, gaps: [1500] + Array(repeating: 8, count: 17))
    recording.press(.enter, after: 8)
    #expect(play(recording) == [.scan(wechatCode), .scan(second)])
}

// MARK: Echo mode (the sale and result screens): digits drawn at once, a scan takes them back

private func echoing() -> ScanDetector {
    var detector = ScanDetector()
    detector.echoesDigits = true
    return detector
}

@Test func onTheSaleScreenEachDigitIsDeliveredTheMomentItIsTyped() {
    var detector = echoing()
    #expect(detector.feed(KeyStroke(key: .character("7"), at: .milliseconds(1000))) == keys("7"))
    #expect(detector.feed(KeyStroke(key: .character("5"), at: .milliseconds(1008))) == keys("5"))
    #expect(!detector.isHolding)
    #expect(detector.releaseDeadline == nil)
}

@Test func aScanReadByABusyTillIsStillOneScanAndTakesItsDigitsBack() {
    // Given a scanner's burst as a till on a loaded machine reads it: descheduled twice mid-burst
    // (150 ms and 220 ms), then finding the rest of the digits waiting all at once
    var recording = Recording()
    var gaps = [400] + Array(repeating: 8, count: 17)
    gaps[6] = 150
    gaps[7] = 0; gaps[8] = 0
    gaps[12] = 220
    gaps[13] = 0; gaps[14] = 0; gaps[15] = 0
    recording.type(wechatCode, gaps: gaps)
    recording.press(.enter, after: 0)
    // Then every digit was shown as typed, and the scan takes all 18 back
    #expect(play(recording, detector: echoing()) == keys(wechatCode) + [.scan(wechatCode, takingBack: 18)])
}

@Test func digitsTypedBeforeAScanStayTyped() {
    // Given a cashier typing 25, then the scanner reading a code
    var recording = Recording()
    recording.type("25", gaps: [300, 150])
    recording.type(wechatCode, gaps: [120] + Array(repeating: 7, count: 17))
    recording.press(.enter, after: 7)
    // Then the scan takes back only its own 18 digits
    #expect(play(recording, detector: echoing()) == keys("25" + wechatCode) + [.scan(wechatCode, takingBack: 18)])
}

@Test func aPersonTypingEighteenDigitsAndEnterIsNeverAScan() {
    var recording = Recording()
    recording.type(wechatCode, gaps: [400] + Array(repeating: 110, count: 17))
    recording.press(.enter, after: 150)
    #expect(play(recording, detector: echoing()) == keys(wechatCode) + [.key(.enter)])
}

@Test func aFastBurstWhoseEnterComesAfterALongPauseIsNotAScan() {
    var recording = Recording()
    recording.type(wechatCode, every: 8)
    recording.press(.enter, after: 1500)
    #expect(play(recording, detector: echoing()) == keys(wechatCode) + [.key(.enter)])
}

@Test func aKeyBetweenDigitsAndEnterEndsTheRun() {
    // Given a fast burst, then Backspace, then Enter: the cashier edited; nothing is a scan
    var recording = Recording()
    recording.type(wechatCode, every: 8)
    recording.press(.backspace, after: 8)
    recording.press(.enter, after: 8)
    #expect(play(recording, detector: echoing()) == keys(wechatCode) + [.key(.backspace), .key(.enter)])
}

@Test func digitsHeldOnAnotherScreenCountTowardsAScanOnceEchoing() {
    // Given the screen switching to one that echoes while digits of a burst were held
    var detector = ScanDetector()
    var out: [ScanInput] = []
    var at = Duration.seconds(2)
    for (index, digit) in wechatCode.enumerated() {
        detector.echoesDigits = index >= 5
        out += detector.feed(KeyStroke(key: .character(digit), at: at))
        at += .milliseconds(8)
    }
    out += detector.feed(KeyStroke(key: .enter, at: at))
    #expect(out == keys(wechatCode) + [.scan(wechatCode, takingBack: 18)])
}

@Test func digitsRolledJustBeforeAScanAreNotTakenForItsStart() {
    // Given "12.30" typed fast and the scan starting right after: "30" + the WeChat code would
    // also read as a 20-digit Alipay code, but the scanner began after the cashier's keys
    var recording = Recording()
    recording.type("12.30", gaps: [500, 8, 8, 8, 8])
    recording.type(wechatCode, gaps: [30] + Array(repeating: 8, count: 17))
    recording.press(.enter, after: 8)
    #expect(play(recording, detector: echoing()) == keys("12.30" + wechatCode) + [.scan(wechatCode, takingBack: 18)])
}

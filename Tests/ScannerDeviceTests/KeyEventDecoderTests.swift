import ScannerDevice
import Testing

/// The US keymap decoder: key events in, whole lines out.
@Suite("Key events to scanned lines")
struct KeyEventDecoderTests {
    private func lines(_ events: [InputEvent], decoder: inout KeyEventDecoder) -> [KeyEventDecoder.Output] {
        events.compactMap { decoder.feed($0) }
    }

    private func key(_ code: UInt16, _ value: Int32) -> InputEvent { InputEvent(type: 1, code: code, value: value) }

    @Test("digits pressed and released, then Enter → exactly the code")
    func digits() {
        var decoder = KeyEventDecoder()
        #expect(lines(InputEvent.typing("134567890123456789"), decoder: &decoder) == [.line("134567890123456789")])
    }

    @Test("Shift makes capitals and symbols; repeats (value 2) type nothing")
    func shiftAndRepeats() {
        var decoder = KeyEventDecoder()
        #expect(lines(InputEvent.typing("Ab-C!9?", repeats: true), decoder: &decoder) == [.line("Ab-C!9?")])
    }

    @Test("right Shift too, and Shift released before the next key")
    func rightShift() {
        var decoder = KeyEventDecoder()
        // KEY_RIGHTSHIFT 54, KEY_A 30, KEY_B 48, KEY_TAB 15
        let events = [key(54, 1), key(30, 1), key(30, 0), key(54, 0), key(48, 1), key(48, 0), key(15, 1), key(15, 0)]
        #expect(lines(events, decoder: &decoder) == [.line("Ab")])
    }

    @Test("keypad digits and keypad Enter")
    func keypad() {
        var decoder = KeyEventDecoder()
        // KEY_KP1 79, KEY_KP0 82, KEY_KPDOT 83, KEY_KPENTER 96
        let events = [79, 82, 83, 79].flatMap { [key(UInt16($0), 1), key(UInt16($0), 0)] } + [key(96, 1)]
        #expect(lines(events, decoder: &decoder) == [.line("10.1")])
    }

    @Test("Enter alone, releases and other event types give nothing")
    func nothing() {
        var decoder = KeyEventDecoder()
        let events = [key(28, 1), key(28, 0), InputEvent(type: 4, code: 4, value: 30), InputEvent(type: 0, code: 0, value: 0)]
        #expect(lines(events, decoder: &decoder).isEmpty)
    }

    @Test("a line over the limit is dropped whole, and the next line is read normally")
    func overflow() {
        var decoder = KeyEventDecoder(maximumLength: 8)
        #expect(lines(InputEvent.typing("123456789") + InputEvent.typing("1234"), decoder: &decoder) == [.overflowed, .line("1234")])
    }
}

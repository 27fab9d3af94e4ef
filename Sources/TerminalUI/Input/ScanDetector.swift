/// What the till receives after the scan detector: keys a person typed, or a whole scanned code.
public enum ScanInput: Sendable, Equatable {
    /// Typed by a person, delivered in the order typed.
    case key(Key)
    /// A burst of 16–24 digits ended by Enter/Tab, every gap under the detector's `maxGap`.
    /// Holds a full payment code: turn it into a `PaymentCode` at once and never show or log it.
    case scan(String)
}

/// Tells a keyboard-wedge scanner's burst from a person typing, by timing alone.
///
/// A scanner types its digits ~8 ms apart (the odd gap up to ~16 ms) and ends with Enter or
/// Tab; people type 100 ms or more apart. Digits are held back while a burst could be forming
/// and released either as one `.scan` or, in order, as typed keys. The rule uses the largest
/// gap rather than an average, because the terminal may hand several characters over at once
/// (gap zero), which must not hide a slow keystroke elsewhere in the run.
///
/// Promises: every key fed comes out exactly once, in order, unless it was part of a scan;
/// nothing is held longer than `maxGap` past the last key, provided the driver calls `idle`.
public struct ScanDetector: Sendable {
    /// The largest gap between two keys of a burst, and before its Enter/Tab.
    public let maxGap: Duration
    /// How many digits a scanned payment code may have.
    public let lengths: ClosedRange<Int>

    private var held: [KeyStroke] = []

    public init(maxGap: Duration = .milliseconds(40), lengths: ClosedRange<Int> = 16...24) {
        self.maxGap = maxGap
        self.lengths = lengths
    }

    /// True while digits are held back; the driver should poll for keys more often (every
    /// ~10 ms) and call `idle` so that typed digits appear promptly.
    public var isHolding: Bool { !held.isEmpty }

    /// When the held digits become typed keys if nothing else arrives (nil when holding none).
    public var releaseDeadline: Duration? { held.last.map { $0.at + maxGap } }

    /// Takes one key; returns what can be delivered now (possibly nothing, while holding digits).
    public mutating func feed(_ stroke: KeyStroke) -> [ScanInput] {
        var out: [ScanInput] = []
        let quick = held.last.map { gap(from: $0.at, to: stroke.at) < maxGap } ?? false
        if stroke.key.asciiDigit != nil {
            if !held.isEmpty && !quick { out += release() }
            held.append(stroke)
            // Longer than any payment code: a person holding a key down, or pasted text.
            if held.count > lengths.upperBound { out += release() }
            return out
        }
        if stroke.key.endsScan, quick, lengths.contains(held.count) {
            let code = String(held.compactMap { $0.key.asciiDigit })
            held.removeAll()
            return [.scan(code)]
        }
        out += release()
        out.append(.key(stroke.key))
        return out
    }

    /// Called when no key has come for a while: once `maxGap` has passed since the last held
    /// digit, no scan can follow, so the digits are released as typed keys.
    public mutating func idle(at now: Duration) -> [ScanInput] {
        guard let last = held.last, gap(from: last.at, to: now) >= maxGap else { return [] }
        return release()
    }

    private mutating func release() -> [ScanInput] {
        defer { held.removeAll() }
        return held.map { .key($0.key) }
    }

    /// Clock readings taken on different threads can come out of order; treat that as no gap.
    private func gap(from earlier: Duration, to later: Duration) -> Duration {
        max(.zero, later - earlier)
    }
}

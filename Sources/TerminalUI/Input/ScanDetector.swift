import CheckoutCore

/// What the till receives after the scan detector: keys a person typed, or a whole scanned code.
public enum ScanInput: Sendable, Equatable {
    /// Typed by a person, delivered in the order typed.
    case key(Key)
    /// A burst of 16–24 digits ended by Enter/Tab, typed at a scanner's pace. Holds a full
    /// payment code: turn it into a `PaymentCode` at once and never show or log it.
    /// `takingBack` is how many of its digits were already delivered as typed keys (on a screen
    /// that shows digits at once): undo those before handling the scan.
    case scan(String, takingBack: Int = 0)
}

/// Tells a keyboard-wedge scanner's burst from a person typing, by timing and shape.
///
/// A scanner types its digits ~8 ms apart and ends with Enter or Tab; people type 100 ms or
/// more apart. But the till only sees when it *reads* a key: on a busy machine it may be
/// descheduled mid-burst and then find the rest of the burst waiting at once, so one or two
/// gaps of a real scan can be long. A burst is therefore judged as a whole — most of its gaps
/// (the median) under `maxGap`, none over `longestPause`, 16–24 digits, preferring the digits
/// that form a valid payment code with the fewest slow gaps and the longest pause before them —
/// never by its single largest gap.
///
/// Two ways to deliver digits, chosen by the driver per key with `echoesDigits`:
/// - Echo (the sale and result screens, where a scan is taken): every digit is delivered at
///   once, so typing is drawn without delay; a scan then says how many of them to take back.
/// - Hold (elsewhere: a PIN, a search, a menu): digits are held while a burst could be forming
///   and released as typed keys once `maxGap` passes with no key, so a scan never types into
///   a field that cannot take it back.
///
/// Promises: every key fed comes out exactly once, in order, unless it was part of a scan (and
/// then the scan's `takingBack` counts the ones already delivered); nothing is held longer than
/// `maxGap` past the last key, provided the driver calls `idle`.
public struct ScanDetector: Sendable {
    /// The pace of a scanner: the median gap of a burst must be under it.
    public let maxGap: Duration
    /// No gap of a burst may be longer, however busy the machine.
    public let longestPause: Duration
    /// How many digits a scanned payment code may have.
    public let lengths: ClosedRange<Int>
    /// Deliver digits at once (true) or hold them while a burst could be forming (false).
    public var echoesDigits = false

    /// Digits delivered as typed keys that a scan may still claim, oldest first.
    private var echoed: [KeyStroke] = []
    /// Digits not delivered yet (hold mode).
    private var held: [KeyStroke] = []
    /// When the last key that was not a digit came: where the current run of digits began.
    private var lastOtherKey: Duration?

    public init(maxGap: Duration = .milliseconds(40), longestPause: Duration = .seconds(1), lengths: ClosedRange<Int> = 16...24) {
        self.maxGap = maxGap
        self.longestPause = longestPause
        self.lengths = lengths
    }

    /// True while digits are held back; the driver should poll for keys more often (every
    /// ~10 ms) and call `idle` so that typed digits appear promptly.
    public var isHolding: Bool { !held.isEmpty }

    /// When the held digits become typed keys if nothing else arrives (nil when holding none).
    public var releaseDeadline: Duration? { held.last.map { $0.at + maxGap } }

    /// Takes one key; returns what can be delivered now (possibly nothing, while holding digits).
    public mutating func feed(_ stroke: KeyStroke) -> [ScanInput] {
        if stroke.key.asciiDigit != nil { return feedDigit(stroke) }
        defer { lastOtherKey = stroke.at }
        if stroke.key.endsScan, let scan = claimScan(endedBy: stroke) { return scan }
        echoed.removeAll()
        return release() + [.key(stroke.key)]
    }

    private mutating func feedDigit(_ stroke: KeyStroke) -> [ScanInput] {
        if echoesDigits {
            // Digits held on another screen go out first, and become claimable like any echoed one.
            let out = release()
            remember(stroke)
            return out + [.key(stroke.key)]
        }
        var out: [ScanInput] = []
        if let last = held.last, gap(from: last.at, to: stroke.at) >= maxGap { out += release() }
        held.append(stroke)
        // Longer than any payment code: a person holding a key down, or pasted text.
        if held.count > lengths.upperBound { out += release() }
        return out
    }

    /// The scan that `end` completes, if the digits before it are one; with any held digits
    /// that precede it released first.
    private mutating func claimScan(endedBy end: KeyStroke) -> [ScanInput]? {
        let run = echoed + held
        guard let length = scanLength(of: run, endedAt: end.at) else { return nil }
        let digits = run.suffix(length)
        let code = String(digits.compactMap { $0.key.asciiDigit })
        let before = max(0, held.count - length)
        let takingBack = max(0, length - held.count)
        let out = held.prefix(before).map { ScanInput.key($0.key) }
        held.removeAll()
        echoed.removeAll()
        return out + [.scan(code, takingBack: takingBack)]
    }

    /// How many of the last digits of `run` form a scan ended at `end`. Of the lengths typed at
    /// a scanner's pace, a valid payment code is preferred; then the fewest slow gaps (a person's
    /// digits are slow on both sides, a busy till's pause is a single one); then the longest
    /// pause before the burst began (a scanner starts after the cashier has finished typing);
    /// then the longest.
    private func scanLength(of run: [KeyStroke], endedAt end: Duration) -> Int? {
        var best: (valid: Bool, slow: Int, before: Duration, length: Int)?
        for length in lengths where length <= run.count {
            let burst = run.suffix(length)
            let times = burst.map(\.at) + [end]
            let gaps = zip(times, times.dropFirst()).map { gap(from: $0, to: $1) }
            guard let longest = gaps.max(), longest <= longestPause, gaps.sorted()[gaps.count / 2] < maxGap else { continue }
            let digits = String(burst.compactMap { $0.key.asciiDigit })
            let previous = length < run.count ? run[run.count - length - 1].at : lastOtherKey
            let before = previous.map { gap(from: $0, to: times[0]) } ?? .seconds(3600)
            let candidate = (valid: (try? PaymentCode(scanned: digits)) != nil, slow: gaps.count { $0 >= maxGap },
                             before: before, length: length)
            guard let chosen = best else { best = candidate; continue }
            if (candidate.valid && !chosen.valid)
                || (candidate.valid == chosen.valid
                    && (candidate.slow, Duration.zero - candidate.before, -candidate.length) < (chosen.slow, Duration.zero - chosen.before, -chosen.length)) {
                best = candidate
            }
        }
        return best?.length
    }

    /// Called when no key has come for a while: once `maxGap` has passed since the last held
    /// digit, no scan can follow, so the digits are released as typed keys.
    public mutating func idle(at now: Duration) -> [ScanInput] {
        guard let last = held.last, gap(from: last.at, to: now) >= maxGap else { return [] }
        return release()
    }

    /// Delivers the held digits as typed keys; they stay claimable by a scan that completes
    /// them only if the screen can take them back.
    private mutating func release() -> [ScanInput] {
        defer { held.removeAll() }
        if echoesDigits { held.forEach { remember($0) } } else { echoed.removeAll() }
        return held.map { .key($0.key) }
    }

    private mutating func remember(_ stroke: KeyStroke) {
        echoed.append(stroke)
        if echoed.count > lengths.upperBound { echoed.removeFirst(echoed.count - lengths.upperBound) }
    }

    /// Clock readings taken on different threads can come out of order; treat that as no gap.
    private func gap(from earlier: Duration, to later: Duration) -> Duration {
        max(.zero, later - earlier)
    }
}

/// Repeated measurements of one thing, summarised as the median and the 95th and 99th percentiles.
///
/// Values are stored in the unit they are printed in (ms, µs, MB), so a row can say what
/// it measured without converting twice.
struct Samples {
    var values: [Double] = []

    var count: Int { values.count }

    var median: Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Nearest rank: the smallest value that at least 95% of the samples do not exceed.
    var p95: Double { percentile(0.95) }
    var p99: Double { percentile(0.99) }

    func percentile(_ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[max(0, rank - 1)]
    }

    mutating func append(_ value: Double) { values.append(value) }

    /// Samples taken in µs (as `microbenchmark` takes them), in ms.
    var inMilliseconds: Samples { Samples(values: values.map { $0 / 1000 }) }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1e3 + Double(components.attoseconds) / 1e15 }
    var microseconds: Double { Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12 }
}

/// Times `body` `runs` times after `warmUp` untimed calls; each sample is one call, in µs.
func microbenchmark(runs: Int, warmUp: Int, _ body: () throws -> Void) rethrows -> Samples {
    let clock = ContinuousClock()
    for _ in 0..<warmUp { try body() }
    var samples = Samples()
    samples.values.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = clock.now
        try body()
        samples.append((clock.now - start).microseconds)
    }
    return samples
}

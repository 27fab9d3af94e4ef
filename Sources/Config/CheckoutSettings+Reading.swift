extension CheckoutSettings {
    /// Reads `[checkout]`, filling in `defaults`, and enforces
    /// `1 s ≤ poll_interval_s < pay_timeout_s ≤ 60 s`.
    init(reading table: ConfigTable) throws(ConfigError) {
        try table.rejectUnknownKeys(ConfigSchema.checkout, homes: ConfigSchema.homes)
        let defaults = CheckoutSettings.defaults

        let provider = try table.string("provider") ?? defaults.provider
        guard ConfigSchema.providerNames.contains(provider) else {
            throw table.error(.invalidValue, key: "provider",
                              "checkout.provider \"\(provider)\" is not supported: supported providers are \(ConfigSchema.providerNames.joined(separator: ", "))")
        }

        let poll = try table.seconds("poll_interval_s", default: defaults.pollInterval)
        let pay = try table.seconds("pay_timeout_s", default: defaults.payTimeout)
        let qr = try table.seconds("qr_timeout_s", default: defaults.qrTimeout)
        let request = try table.seconds("request_timeout_s", default: defaults.requestTimeout)

        if pay > CheckoutSettings.longestPayTimeout {
            throw table.error(.invalidValue, key: "pay_timeout_s",
                              "checkout.pay_timeout_s is \(pay.secondsText), above the limit of 60 s: WeChat Pay revokes an unpaid quick-pay order after about 45 s, so a longer wait only keeps the customer at the counter for an order that can no longer succeed; use 60 or less (default 45)")
        }
        if poll < CheckoutSettings.shortestPollInterval {
            throw table.error(.invalidValue, key: "poll_interval_s",
                              "checkout.poll_interval_s is \(poll.secondsText), below the minimum of 1 s: querying the gateway more often only loads it; use 1 or more (default 5)")
        }
        if poll >= pay {
            throw table.error(.invalidValue, key: table.contains("poll_interval_s") ? "poll_interval_s" : "pay_timeout_s",
                              "checkout.poll_interval_s (\(poll.secondsText)) must be shorter than checkout.pay_timeout_s (\(pay.secondsText)): otherwise a pending payment is never queried before it times out")
        }
        self.init(provider: provider, pollInterval: poll, payTimeout: pay, qrTimeout: qr, requestTimeout: request)
    }
}

extension Duration {
    /// "45 s", "2.5 s": for messages.
    var secondsText: String { secondsFigure + " s" }

    /// "45", "2.5": the seconds, to the millisecond, without trailing zeros.
    var secondsFigure: String {
        let (seconds, attoseconds) = components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard milliseconds != 0 else { return "\(seconds)" }
        var fraction = String(milliseconds)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction)"
    }
}

extension ShroffConfiguration {
    /// Label/value rows for the settings screen. Shows where the gateway key comes from,
    /// never the key.
    public func summary() -> [(String, String)] {
        var rows: [(String, String)] = []
        switch source {
        case .training: rows.append(("Mode", "training (no configuration file; payments go to the built-in sandbox)"))
        case .file(let path): rows += [("Mode", "live"), ("Configuration", path)]
        }
        rows += [
            ("Store", store.name),
            ("Currency", store.currency.code),
            ("Time zone", store.timeZone.identifier),
            ("Ledger", store.ledgerPath),
            ("Receipts", [receipts.directory, receipts.printer.map { "printer \($0)" }].compactMap { $0 }.joined(separator: ", ")),
            ("Provider", checkout.provider),
            ("Scanner", scanner?.summary ?? "keyboard wedge (told from typing by its timing)"),
        ]
        if providers.isEmpty {
            rows.append(("Gateway", "not configured yet (started by the training sandbox)"))
        }
        for name in providers.keys.sorted() {
            guard let settings = providers[name] else { continue }
            if providers.count > 1 { rows.append(("Gateway", name)) }
            rows += settings.summary
        }
        rows += [
            ("Notify server", "\(notify.host):\(notify.port)"),
            ("Poll interval", checkout.pollInterval.secondsText),
            ("Pay timeout", checkout.payTimeout.secondsText),
            ("QR timeout", checkout.qrTimeout.secondsText),
            ("Request timeout", checkout.requestTimeout.secondsText),
        ]
        return rows
    }
}

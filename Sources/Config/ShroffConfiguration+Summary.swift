import Words

extension ShroffConfiguration {
    /// Label/value rows for the settings screen, the till's own in `words`' language (a
    /// gateway's rows keep the names its documents use). Shows where the gateway key comes
    /// from, never the key.
    public func summary(_ words: Words = .english) -> [(String, String)] {
        var rows: [(String, String)] = []
        switch source {
        case .training: rows.append((words("summary.mode"), words("summary.mode_training")))
        case .file(let path): rows += [(words("summary.mode"), words("summary.mode_live")), (words("summary.configuration"), path)]
        }
        let printer = receipts.printer.map { words("summary.printer", ["device": $0]) }
        rows += [
            (words("summary.store"), store.name),
            (words("summary.currency"), store.currency.code),
            (words("summary.time_zone"), store.timeZone.identifier),
            (words("summary.ledger"), store.ledgerPath),
            (words("summary.receipts"), [receipts.directory, printer].compactMap { $0 }.joined(separator: ", ")),
            (words("summary.provider"), checkout.provider),
            (words("summary.scanner"), scanner?.summary ?? words("summary.keyboard_wedge")),
        ]
        if providers.isEmpty {
            rows.append((words("summary.gateway"), words("summary.gateway_training")))
        }
        for name in providers.keys.sorted() {
            guard let settings = providers[name] else { continue }
            if providers.count > 1 { rows.append((words("summary.gateway"), name)) }
            rows += settings.summary
        }
        rows += [
            (words("summary.notify_server"), "\(notify.host):\(notify.port)"),
            (words("summary.poll_interval"), seconds(checkout.pollInterval, words)),
            (words("summary.pay_timeout"), seconds(checkout.payTimeout, words)),
            (words("summary.qr_timeout"), seconds(checkout.qrTimeout, words)),
            (words("summary.request_timeout"), seconds(checkout.requestTimeout, words)),
        ]
        return rows
    }

    private func seconds(_ duration: Duration, _ words: Words) -> String {
        words("summary.seconds", ["seconds": duration.secondsFigure])
    }
}

import CheckoutCore

extension TillState {
    var salePrompt: String { words("sale.prompt") }
    static let subjectLimit = 32

    mutating func handleSaleKey(_ key: Key) -> [TillCommand] {
        if sale.editingSubject { return editSubject(key) }
        switch key {
        case .character(let c) where c.isASCII && c.isNumber:
            typeAmount(c)
        case .character("."):
            typeAmount(".")
        case .backspace:
            if !sale.amountText.isEmpty { sale.amountText.removeLast() }
        case .delete, .character("c"), .character("C"):
            sale.amountText = ""
        case .character("s"), .character("S"):
            sale.editingSubject = true
        case .character("w"), .character("W"):
            return payByQR(.wechat)
        case .character("a"), .character("A"):
            return payByQR(.alipay)
        case .character("m"), .character("M"):
            screen = .menu
        case .enter:
            message = Notice(saleAmount() == nil ? words("sale.amount_first") : words("sale.prompt_sentence"))
        default:
            break
        }
        return []
    }

    /// Adds a digit or the decimal point, refusing (with a reason) what would not be an amount.
    mutating func typeAmount(_ character: Character) {
        let currency = store.currency
        let text = sale.amountText
        if character == "." {
            if currency.exponent == 0 {
                message = Notice(words("sale.no_decimals", ["code": currency.code]), .warning)
            } else if text.contains(".") {
                message = Notice(words("sale.one_point"), .warning)
            } else {
                sale.amountText = (text.isEmpty ? "0" : text) + "."
            }
            return
        }
        if let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) - 1 >= currency.exponent {
            message = Notice(words("sale.decimals_full", ["code": currency.code, "decimals": String(currency.exponent), "amount": text]), .warning)
            return
        }
        let candidate = text == "0" ? String(character) : text + String(character)
        do {
            _ = try Money(parsing: candidate, currency: currency)
        } catch .tooLarge(_, let maximum) {
            message = Notice(words("sale.too_large", ["maximum": amount(maximum)]), .warning)
            return
        } catch {
            // "0" and "0.0" are on the way to an amount; the scan checks the final one.
        }
        sale.amountText = candidate
    }

    mutating func editSubject(_ key: Key) -> [TillCommand] {
        switch key {
        case .enter, .tab, .escape:
            sale.editingSubject = false
        case .backspace:
            if !sale.subject.isEmpty { sale.subject.removeLast() }
        case .delete:
            sale.subject = ""
        case .character(let c):
            if sale.subject.count < TillState.subjectLimit, !c.isNewline { sale.subject.append(c) }
        default:
            break
        }
        return []
    }

    /// The keyed amount, or nil when none or not a valid amount yet.
    func saleAmount() -> Money? {
        try? Money(parsing: sale.amountText, currency: store.currency)
    }

    /// Checks the amount, then the code, and starts the payment. Sends nothing when either is wrong.
    mutating func payByScannedCode(_ text: String) -> [TillCommand] {
        screen = .sale
        let amount: Money
        do {
            amount = try Money(parsing: sale.amountText, currency: store.currency)
        } catch .empty {
            message = Notice(words("sale.amount_before_scan"), .warning)
            return []
        } catch {
            message = Notice(words.reason(error), .warning)
            return []
        }
        let code: PaymentCode
        do {
            code = try PaymentCode(scanned: text)
        } catch {
            message = Notice(words.reason(error), .warning)
            return []
        }
        guard store.gateway.scanWallets.contains(code.wallet) else {
            let arguments = ["gateway": store.gateway.name, "wallet": wallet(code.wallet), "keys": qrKeys]
            message = Notice(words(store.gateway.qrWallets.isEmpty ? "sale.scan_not_taken" : "sale.scan_not_taken_qr", arguments), .warning)
            return []
        }
        sale.editingSubject = false
        checkout = CheckoutView(method: .scan, wallet: code.wallet, amount: amount, subject: sale.subject,
                                maskedCode: code.masked, step: words("checkout.sending"), startedAt: now)
        screen = .checkout
        return [.payByCode(amount, code, subject: sale.subject)]
    }

    mutating func payByQR(_ wallet: Wallet) -> [TillCommand] {
        guard store.gateway.qrWallets.contains(wallet) else {
            let arguments = ["gateway": store.gateway.name, "wallet": self.wallet(wallet), "keys": qrKeys]
            message = Notice(words(store.gateway.qrWallets.isEmpty ? "sale.qr_not_taken_scan" : "sale.qr_not_taken", arguments), .warning)
            return []
        }
        guard let amount = saleAmount() else {
            message = Notice(words("sale.amount_before_qr"), .warning)
            return []
        }
        checkout = CheckoutView(method: .qr, wallet: wallet, amount: amount, subject: sale.subject,
                                step: words("checkout.creating_qr", ["wallet": self.wallet(wallet)]), startedAt: now)
        screen = .checkout
        return [.payByQR(amount, wallet, subject: sale.subject)]
    }

    /// The keys for the QR wallets the gateway offers: "w/a", "w" or "a".
    var qrKeys: String {
        store.gateway.qrWallets.sorted { $0.rawValue > $1.rawValue }.map { $0 == .wechat ? "w" : "a" }.joined(separator: "/")
    }

    func drawSale(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, words("sale.title"))
        let left = 4
        let labels = [words("sale.amount"), words("sale.subject"), words("sale.total")]
        let valueColumn = left + max(10, (labels.map(DisplayWidth.of).max() ?? 0) + 2)
        var row = layout.bodyTop + 1
        canvas.put(labels[0], row: row, column: left, style: .dim)
        let amountShown = sale.amountText.isEmpty ? "0" : sale.amountText
        let end = canvas.put("\(store.currency.code) \(amountShown)", row: row, column: valueColumn, style: .bold)
        if !sale.editingSubject { canvas.cursor = (row, end) }
        row += 2
        canvas.put(labels[1], row: row, column: left, style: .dim)
        let subjectEnd = canvas.put(sale.subject.isEmpty && !sale.editingSubject ? words("sale.no_subject") : sale.subject,
                                    row: row, column: valueColumn, style: sale.subject.isEmpty ? .dim : .normal)
        if sale.editingSubject {
            canvas.put("  " + words("sale.typing_subject"), row: row, column: subjectEnd, style: .dim)
            canvas.cursor = (row, subjectEnd)
        }
        row += 2
        if let amount = saleAmount() {
            canvas.put(labels[2], row: row, column: left, style: .dim)
            canvas.put(amountWithCNY(amount), row: row, column: valueColumn, style: .bold)
            row += 2
            canvas.put(salePrompt, row: row, column: left, style: .ok)
        } else {
            canvas.put(words("sale.key_in_amount"), row: row, column: left)
        }
        row += 2
        if !unresolved.isEmpty {
            let ids = unresolved.map(\.rawValue).joined(separator: ", ")
            for line in wrap(words("sale.unresolved", ["orders": ids]), width: layout.size.columns - left - 2).prefix(3) {
                canvas.put(line, row: row, column: left, style: .alert)
                row += 1
            }
        }
        if sale.editingSubject {
            return [Binding("Enter", words("key.done")), Binding("Bksp", words("key.delete")), Binding("Del", words("key.clear_subject"))]
        }
        var bindings = [Binding("0-9 .", words("key.amount")), Binding("Bksp", words("key.delete")), Binding("c", words("key.clear")),
                        Binding("s", words("key.subject"))]
        if !store.gateway.qrWallets.isEmpty { bindings.append(Binding(qrKeys, words("key.qr"))) }
        return bindings + [Binding("F2/m", words("key.menu")), Binding("F10", words("key.quit"))]
    }
}

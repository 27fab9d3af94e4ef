import CheckoutCore

extension TillState {
    static let salePrompt = "Scan the customer's code, or press w (WeChat QR) / a (Alipay QR)"
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
            message = Notice(saleAmount() == nil ? "Key in the amount first." : TillState.salePrompt + ".")
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
                message = Notice("\(currency.code) has no decimals: type a whole number.", .warning)
            } else if text.contains(".") {
                message = Notice("The amount already has a decimal point.", .warning)
            } else {
                sale.amountText = (text.isEmpty ? "0" : text) + "."
            }
            return
        }
        if let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) - 1 >= currency.exponent {
            message = Notice("\(currency.code) has \(currency.exponent) decimals: the amount stays \(text). Press Backspace to change it.", .warning)
            return
        }
        let candidate = text == "0" ? String(character) : text + String(character)
        do {
            _ = try Money(parsing: candidate, currency: currency)
        } catch .tooLarge(_, let maximum) {
            message = Notice("That is more than the largest sale this till takes (\(maximum)).", .warning)
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
            message = Notice("Key in the amount first, then scan the customer's code again.", .warning)
            return []
        } catch {
            message = Notice(error.description, .warning)
            return []
        }
        let code: PaymentCode
        do {
            code = try PaymentCode(scanned: text)
        } catch {
            message = Notice(error.description, .warning)
            return []
        }
        guard store.gateway.scanWallets.contains(code.wallet) else {
            message = Notice("The \(store.gateway.name) gateway does not take scanned \(code.wallet.displayName) codes: nothing was charged."
                             + (store.gateway.qrWallets.isEmpty ? "" : " Press \(qrKeys) for a QR code."), .warning)
            return []
        }
        sale.editingSubject = false
        checkout = CheckoutView(method: .scan, wallet: code.wallet, amount: amount, subject: sale.subject,
                                maskedCode: code.masked, step: "Sending the payment to the gateway…", startedAt: now)
        screen = .checkout
        return [.payByCode(amount, code, subject: sale.subject)]
    }

    mutating func payByQR(_ wallet: Wallet) -> [TillCommand] {
        guard store.gateway.qrWallets.contains(wallet) else {
            message = Notice("The \(store.gateway.name) gateway does not take \(wallet.displayName) QR payments: "
                             + (store.gateway.qrWallets.isEmpty ? "scan the customer's code instead." : "press \(qrKeys) instead."), .warning)
            return []
        }
        guard let amount = saleAmount() else {
            message = Notice("Key in the amount first, then press w or a for the QR code.", .warning)
            return []
        }
        checkout = CheckoutView(method: .qr, wallet: wallet, amount: amount, subject: sale.subject,
                                step: "Creating the \(wallet.displayName) QR order…", startedAt: now)
        screen = .checkout
        return [.payByQR(amount, wallet, subject: sale.subject)]
    }

    /// The keys for the QR wallets the gateway offers: "w/a", "w" or "a".
    var qrKeys: String {
        store.gateway.qrWallets.sorted { $0.rawValue > $1.rawValue }.map { $0 == .wechat ? "w" : "a" }.joined(separator: "/")
    }

    func drawSale(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, "New sale")
        let left = 4
        var row = layout.bodyTop + 1
        canvas.put("Amount", row: row, column: left, style: .dim)
        let amountShown = sale.amountText.isEmpty ? "0" : sale.amountText
        let end = canvas.put("\(store.currency.code) \(amountShown)", row: row, column: left + 10, style: .bold)
        if !sale.editingSubject { canvas.cursor = (row, end) }
        row += 2
        canvas.put("Subject", row: row, column: left, style: .dim)
        let subjectEnd = canvas.put(sale.subject.isEmpty && !sale.editingSubject ? "(none: press s to add one)" : sale.subject,
                                    row: row, column: left + 10, style: sale.subject.isEmpty ? .dim : .normal)
        if sale.editingSubject {
            canvas.put("  (typing: Enter to finish)", row: row, column: subjectEnd, style: .dim)
            canvas.cursor = (row, subjectEnd)
        }
        row += 2
        if let amount = saleAmount() {
            canvas.put("Total", row: row, column: left, style: .dim)
            canvas.put(amountWithCNY(amount), row: row, column: left + 10, style: .bold)
            row += 2
            canvas.put(TillState.salePrompt, row: row, column: left, style: .ok)
        } else {
            canvas.put("Key in the amount, then scan the customer's code.", row: row, column: left)
        }
        row += 2
        if !unresolved.isEmpty {
            let ids = unresolved.map(\.rawValue).joined(separator: ", ")
            for line in wrap("OUTCOME UNKNOWN still to check: \(ids). Open the history (F3) and press r on it.", width: layout.size.columns - left - 2).prefix(3) {
                canvas.put(line, row: row, column: left, style: .alert)
                row += 1
            }
        }
        if sale.editingSubject {
            return [Binding("Enter", "done"), Binding("Bksp", "delete"), Binding("Del", "clear subject")]
        }
        var bindings = [Binding("0-9 .", "amount"), Binding("Bksp", "delete"), Binding("c", "clear"), Binding("s", "subject")]
        if !store.gateway.qrWallets.isEmpty { bindings.append(Binding(qrKeys, "QR")) }
        return bindings + [Binding("F2/m", "menu"), Binding("F10", "quit")]
    }
}

/// A table while the document is being read, remembering how it came to exist, since that
/// decides what may still be added to it (TOML 1.0, "Table" and "Inline Table").
final class TOMLTableBuilder {
    enum Origin {
        /// Created on the way to a deeper header (`a` in `[a.b]`): a later `[a]` may still define it.
        case implicit
        /// Defined by its own header, or the document root.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`): only further dotted keys in the same section extend it.
        case dotted
        /// An inline table's own builder; frozen into a value once its closing brace is read.
        case inline
    }

    enum Slot {
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        case tableArray(Elements)
    }

    /// The tables of a `[[name]]` array, appended to in place: copying the array for each new
    /// header made a file of n headers cost n².
    final class Elements {
        private(set) var tables: [TOMLTableBuilder]
        init(_ first: TOMLTableBuilder) { tables = [first] }
        func append(_ table: TOMLTableBuilder) { tables.append(table) }
        var last: TOMLTableBuilder { tables[tables.count - 1] }
    }

    var origin: Origin
    private(set) var order: [String] = []
    private(set) var slots: [String: (slot: Slot, position: TOMLPosition)] = [:]

    init(origin: Origin) {
        self.origin = origin
    }

    func slot(_ key: String) -> (slot: Slot, position: TOMLPosition)? { slots[key] }

    func set(_ key: String, _ slot: Slot, at position: TOMLPosition) {
        if slots[key] == nil { order.append(key) }
        slots[key] = (slot, position)
    }

    func freeze() -> TOMLTable {
        TOMLTable(entries: order.map { key in
            let (slot, position) = slots[key]!
            let value: TOMLValue = switch slot {
            case .value(let value): value
            case .table(let table): .table(table.freeze())
            case .tableArray(let elements): .array(elements.tables.map { .table($0.freeze()) })
            }
            return TOMLTable.Entry(key: key, value: value, position: position)
        })
    }
}

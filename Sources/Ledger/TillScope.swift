/// Which tills' orders a listing or a report covers.
///
/// Every order belongs to the till that recorded it, and a refund counts with its order's
/// till whichever till sent it: so one till's listings and days never share an order or a
/// refund with another's, and `allTills` is exactly the sum of the store's tills.
public enum TillScope: Sendable, Hashable {
    /// The orders one till recorded, by its name (`[store] till`).
    case till(String)
    /// The orders of every till of the store.
    case allTills

    /// True when an order recorded by `till` is in this scope.
    public func covers(_ till: String) -> Bool {
        switch self {
        case .till(let name): name == till
        case .allTills: true
        }
    }
}

import CheckoutCore
import Foundation

/// Gives out short pay links for QR orders (`PayLink`): where they point (`[notify]
/// public_url`) and how their tokens are made. A runner without one gives out none, and the
/// screen says which setting it needs.
///
/// Promises: `makeToken` returns a fresh, unguessable token each time (at least 128 random
/// bits from a CSPRNG, URL-safe), never derived from the order.
public struct PayLinkIssuer: Sendable {
    /// The notify server's public address, without a trailing slash.
    public let publicURL: String
    let makeToken: @Sendable () throws -> String

    public init(publicURL: String, makeToken: @escaping @Sendable () throws -> String) {
        self.publicURL = publicURL
        self.makeToken = makeToken
    }
}

import CheckoutCore
import Config
import Foundation
import HTTPTransport

extension TillSession {
    /// Refuses, before any order is made, a gateway that cannot be asked about orders (CloudPay)
    /// when nothing would tell the till that one was paid: no `[notify]` table, or no
    /// `shroff notify-server` answering there for this gateway and writing to this ledger.
    /// Training needs no check: its receiver runs inside the process.
    func requireNotifyServer() async throws {
        guard !gateway.capabilities.contains(.query), !configuration.isTraining else { return }
        let name = gateway.displayName
        let why = "\(name) cannot be asked about an order: the till learns it is paid only from \(name)'s notification, which `shroff notify-server` writes to the ledger"
        let notify = configuration.notify
        guard notify.isConfigured else {
            throw ShroffFailure("\(why), and \(configurationFile) has no [notify] table: add [notify] with listen = \"127.0.0.1:8787\", start `shroff notify-server`, and set \(name)'s callback URL to https://YOUR-HOST/notify/\(gateway.name). Nothing was sent.")
        }
        // A server listening on every address is reached on loopback.
        let host = ["0.0.0.0", "::", ""].contains(notify.host) ? "127.0.0.1" : notify.host
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(notify.port)/healthz"
        let response: HTTPResponse
        do {
            response = try await CurlTransport().send(HTTPRequest(url: url, method: "GET", timeout: .seconds(3), connectTimeout: .seconds(2)))
        } catch {
            throw ShroffFailure("\(why), and no notify server answers at \(url) (\(error)): start `shroff notify-server` with this configuration. Nothing was sent.")
        }
        guard response.status == 200, let health = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw ShroffFailure("\(why), and \(url) answered HTTP \(response.status), not the notify server's health: check [notify] listen. Nothing was sent.")
        }
        let served = health["gateways"] as? [String] ?? []
        guard served.contains(gateway.name) else {
            throw ShroffFailure("\(why), and the notify server at \(url) does not receive \(gateway.name)'s notifications (it serves \(served.joined(separator: ", "))): restart it with this configuration. Nothing was sent.")
        }
        // The server names its ledger by identity, not path: the same file, however reached.
        let ours = try? ledger.identity().map(String.init)
        guard let theirs = health["ledger_id"] as? String, theirs == ours else {
            throw ShroffFailure("\(why), and the notify server at \(url) writes to another ledger, not this till's (\(configuration.store.ledgerPath)): run it with this configuration. Nothing was sent.")
        }
    }

    private var configurationFile: String {
        if case .file(let path) = configuration.source { return path }
        return "the configuration"
    }
}

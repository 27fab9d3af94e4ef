import Foundation
import Testing
import TestSupport

/// Two tills of one shop, two configurations differing in `till`, on one PostgreSQL ledger
/// (the tests' own cluster), paying against an external sandbox: each run is its own process.
@Suite("Two tills on one PostgreSQL ledger", .timeLimit(.minutes(2)))
struct SharedLedgerProcessTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    func writeConfig(_ name: String, sandbox: ExternalSandbox, server: PostgresServer, database: String) throws -> String {
        let text = TillHome.gatewayConfig(port: sandbox.port, checkout: TillHome.shortTimeouts)
            .replacingOccurrences(of: "[store]\n", with: "[store]\ntill = \"\(name)\"\n")
            + """

            [ledger]
            url = "postgresql://\(PostgresServer.user)@127.0.0.1:\(server.port)/\(database)"
            password_env = "SHROFF_LEDGER_PASSWORD"
            tls = "disable"
            """
        return try till.write("store/\(name).toml", text)
    }

    @Test("a sale on each till, a refund on the other till, one listing of the shop's day")
    func twoTillsSellAndRefundAsOneShop() async throws {
        let server = try PostgresServer.shared()
        let database = try server.makeDatabase()
        let environment = ["SHROFF_LEDGER_PASSWORD": PostgresServer.password]
        try await till.withExternalSandbox { sandbox in
            let first = try writeConfig("counter-1", sandbox: sandbox, server: server, database: database)
            let second = try writeConfig("counter-2", sandbox: sandbox, server: server, database: database)

            let migrated = try await till.run(["ledger", "migrate", "--config", first], environment: environment)
            #expect(migrated.exitCode == 0, "\(migrated)")
            let latest = try #require(migrated.stdout.firstMatch(of: /migrated from schema version 0 to ([0-9]+)\./)?.1, "\(migrated)")

            var orders: [String] = []
            for config in [first, second] {
                let run = try await till.run(["pay", "--amount", "20.00", "--code", TillHome.wechatCode, "--config", config, "--json"],
                                             environment: environment)
                #expect(run.exitCode == 0, "\(run)")
                orders.append(try #require(try run.json()[string: "order"]))
            }
            #expect(try server.sql("SELECT till FROM orders ORDER BY till", database: database) == "counter-1\ncounter-2")

            // The order paid at the first counter is refunded at the second.
            let refund = try await till.run(["refund", orders[0], "--amount", "5.00", "--reason", "test", "--config", second, "--json"],
                                            environment: environment)
            #expect(refund.exitCode == 0, "\(refund)")
            #expect(try refund.json()[string: "remaining"] == "15.00", "\(refund)")
            let tooMuch = try await till.run(["refund", orders[0], "--amount", "15.01", "--reason", "test", "--config", first],
                                             environment: environment)
            #expect(tooMuch.exitCode != 0, "\(tooMuch)")

            let listing = try await till.run(["orders", "--config", first, "--json"], environment: environment)
            #expect(listing.exitCode == 0, "\(listing)")
            let listed = try #require(try listing.json()[objects: "orders"])
            #expect(Set(listed.compactMap { $0[string: "order"] }) == Set(orders), "\(listing)")

            let again = try await till.run(["ledger", "migrate", "--config", second], environment: environment)
            #expect(again.stdout.contains("up to date (schema version \(latest))"), "\(again)")
        }
    }

    @Test("a till's SQLite ledger imported into the server, twice: the second changes nothing")
    func importsARealLedgerOnce() async throws {
        let server = try PostgresServer.shared()
        let database = try server.makeDatabase()
        let environment = ["SHROFF_LEDGER_PASSWORD": PostgresServer.password]
        try await till.withExternalSandbox { sandbox in
            let alone = try till.writeGatewayConfig(for: sandbox)
            let paid = try await till.run(["pay", "--amount", "20.00", "--code", TillHome.wechatCode, "--config", alone, "--json"])
            #expect(paid.exitCode == 0, "\(paid)")
            let order = try #require(try paid.json()[string: "order"])
            let refund = try await till.run(["refund", order, "--amount", "5.00", "--reason", "test", "--config", alone])
            #expect(refund.exitCode == 0, "\(refund)")
            let ledger = till.root + "/store/ledger.sqlite"
            let shared = try writeConfig("counter-1", sandbox: sandbox, server: server, database: database)

            let first = try await till.run(["ledger", "import", "--from", ledger, "--config", shared], environment: environment)
            #expect(first.exitCode == 0, "\(first)")
            #expect(first.stdout.contains("Imported 1 orders"), "\(first)")
            let second = try await till.run(["ledger", "import", "--from", ledger, "--config", shared], environment: environment)
            #expect(second.stdout.contains("Imported 0 orders") && second.stdout.contains("1 were already there"), "\(second)")
            #expect(try server.sql("SELECT count(*) FROM refunds", database: database) == "1")
            #expect(try server.sql("SELECT count(*) FROM events WHERE order_id = '\(order)'", database: database)
                    == String(try server.sql("SELECT count(*) FROM events", database: database)))

            // The shop's server now answers for the order: what is left to refund carries over.
            let status = try await till.run(["refund", order, "--amount", "15.01", "--reason", "test", "--config", shared],
                                            environment: environment)
            #expect(status.exitCode != 0 && "\(status)".contains("HKD 15.00"), "\(status)")
        }
    }

    @Test("a server that cannot be reached: no sale starts, and the cashier is told why")
    func anUnreachableServerStartsNoSale() async throws {
        try await till.withExternalSandbox { sandbox in
            let (fd, port) = try LoopbackSocket.bound()
            defer { close(fd) }
            let config = try till.write("store/down.toml", TillHome.gatewayConfig(port: sandbox.port, checkout: TillHome.shortTimeouts)
                .replacingOccurrences(of: "[store]\n", with: "[store]\ntill = \"counter-1\"\n")
                + "\n[ledger]\nurl = \"postgresql://shroff@127.0.0.1:\(port)/shop\"\ntls = \"disable\"\n")
            let run = try await till.run(["pay", "--amount", "20.00", "--code", TillHome.wechatCode, "--config", config])
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.stderr.contains("The shop's ledger server shroff@127.0.0.1:\(port)/shop cannot be reached"), "\(run)")
            #expect(!sandbox.process.stderr.contains("path=/paygate/"), "a request left while the ledger could not record it")
        }
    }
}

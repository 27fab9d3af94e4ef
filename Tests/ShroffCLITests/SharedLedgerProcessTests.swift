import Foundation
import Testing
import TestSupport

/// Two tills of one shop, two configurations differing in `till`, on one PostgreSQL ledger
/// (the tests' own cluster), paying against an external sandbox: each run is its own process.
@Suite("Two tills on one PostgreSQL ledger", .timeLimit(.minutes(2)))
struct SharedLedgerProcessTests {
    let till: TillHome

    init() async throws {
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
        let server = try await PostgresServer.shared()
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

            let listing = try await till.run(["orders", "--all-tills", "--config", first, "--json"], environment: environment)
            #expect(listing.exitCode == 0, "\(listing)")
            let listed = try #require(try listing.json()[objects: "orders"])
            #expect(Set(listed.compactMap { $0[string: "order"] }) == Set(orders), "\(listing)")

            let again = try await till.run(["ledger", "migrate", "--config", second], environment: environment)
            #expect(again.stdout.contains("up to date (schema version \(latest))"), "\(again)")
        }
    }

    @Test("each till lists and reports its own day; --till shows another's, --all-tills the shop's")
    func tillsReportTheirOwnDayAndTheShops() async throws {
        let server = try await PostgresServer.shared()
        let database = try server.makeDatabase()
        let environment = ["SHROFF_LEDGER_PASSWORD": PostgresServer.password]
        try await till.withExternalSandbox { sandbox in
            let first = try writeConfig("counter-1", sandbox: sandbox, server: server, database: database)
            let second = try writeConfig("counter-2", sandbox: sandbox, server: server, database: database)
            let migrated = try await till.run(["ledger", "migrate", "--config", first], environment: environment)
            #expect(migrated.exitCode == 0, "\(migrated)")

            // Both counters sell at once; then one more sale each, the second one declined.
            func pay(_ amount: String, _ config: String) async throws -> String {
                let run = try await till.run(["pay", "--amount", amount, "--code", TillHome.wechatCode, "--config", config, "--json"],
                                             environment: environment)
                return try #require(try run.json()[string: "order"], "\(run)")
            }
            async let big = pay("20.00", first)
            async let other = pay("12.00", second)
            let (firstSale, secondSale) = try await (big, other)
            let firstSmall = try await pay("7.50", first)
            let secondDeclined = try await pay("3.01", second)
            // The second counter refunds part of the first counter's sale: it stays that counter's money.
            let refund = try await till.run(["refund", firstSale, "--amount", "5.00", "--reason", "test", "--config", second],
                                            environment: environment)
            #expect(refund.exitCode == 0, "\(refund)")

            func orders(_ arguments: [String]) async throws -> JSONObject {
                let run = try await till.run(["orders"] + arguments + ["--json"], environment: environment)
                #expect(run.exitCode == 0, "\(run)")
                return try run.json()
            }
            func tills(_ listing: JSONObject) -> [String: String] {
                Dictionary(uniqueKeysWithValues: (listing[objects: "orders"] ?? []).map { ($0[string: "order"] ?? "", $0[string: "till"] ?? "") })
            }
            let own = try await orders(["--config", first])
            #expect(tills(own) == [firstSale: "counter-1", firstSmall: "counter-1"], "\(own)")
            #expect(own[strings: "tills"] == ["counter-1"] && own[string: "paid"] == "27.50" && own[string: "refunded"] == "5.00")
            let another = try await orders(["--config", first, "--till", "counter-2"])
            #expect(tills(another) == [secondSale: "counter-2", secondDeclined: "counter-2"], "\(another)")
            #expect(another[string: "paid"] == "12.00" && another[string: "refunded"] == "0.00")
            let shop = try await orders(["--config", second, "--all-tills"])
            #expect(tills(shop) == [firstSale: "counter-1", firstSmall: "counter-1", secondSale: "counter-2", secondDeclined: "counter-2"])
            #expect(shop[strings: "tills"] == ["counter-1", "counter-2"] && shop[string: "paid"] == "39.50" && shop[string: "net"] == "34.50")

            // For a person: the heading says whose orders these are, and each line its till.
            let text = try await till.run(["orders", "--all-tills", "--config", first], environment: environment)
            #expect(text.stdout.contains("all tills: counter-1, counter-2"), "\(text)")
            #expect(text.stdout.split(separator: "\n").contains { $0.contains(secondSale) && $0.hasSuffix("counter-2") }, "\(text)")
            let heading = try await till.run(["orders", "--config", second], environment: environment)
            #expect(heading.stdout.contains(", till counter-2:"), "\(heading)")

            // A name the shop has never used: said, with the names it has, and exit 1.
            let unknown = try await till.run(["orders", "--till", "counter-7", "--config", first], environment: environment)
            #expect(unknown.exitCode == 1, "\(unknown)")
            #expect(unknown.stderr.contains("No till named \"counter-7\"") && unknown.stderr.contains("counter-1, counter-2"), "\(unknown)")
            let both = try await till.run(["orders", "--till", "counter-2", "--all-tills", "--config", first], environment: environment)
            #expect(both.exitCode == 1, "\(both)")

            // The X report: each counter's drawer, and the shop's day.
            func report(_ arguments: [String]) async throws -> JSONObject {
                let run = try await till.run(["report"] + arguments + ["--json"], environment: environment)
                #expect(run.exitCode == 0, "\(run)")
                return try run.json()
            }
            let firstX = try await report(["--config", first])
            #expect(firstX[strings: "tills"] == ["counter-1"] && firstX[string: "paid"] == "27.50" && firstX[string: "refunded"] == "5.00"
                    && firstX[string: "net"] == "22.50" && firstX[int: "orders"] == 2, "\(firstX)")
            let secondX = try await report(["--config", second])
            #expect(secondX[string: "paid"] == "12.00" && secondX[string: "refunded"] == "0.00" && secondX[int: "orders"] == 2, "\(secondX)")
            let shopX = try await report(["--config", first, "--all-tills"])
            #expect(shopX[strings: "tills"] == ["counter-1", "counter-2"] && shopX[string: "paid"] == "39.50"
                    && shopX[string: "refunded"] == "5.00" && shopX[int: "orders"] == 4, "\(shopX)")
            let otherX = try await report(["--config", first, "--till", "counter-2"])
            #expect(otherX[string: "paid"] == "12.00", "\(otherX)")
            let xText = try await till.run(["report", "--config", first], environment: environment)
            #expect(xText.stdout.contains("till counter-1") && xText.stdout.contains("X report"), "\(xText)")
        }
    }

    @Test("a ledger file is one till's: its orders carry [store] till, or the machine's name; --all-tills is that till")
    func aLedgerFileIsOneTills() async throws {
        try await till.withExternalSandbox { sandbox in
            let unnamed = try till.writeGatewayConfig(for: sandbox)
            let paid = try await till.run(["pay", "--amount", "20.00", "--code", TillHome.wechatCode, "--config", unnamed, "--json"])
            let order = try #require(try paid.json()[string: "order"], "\(paid)")
            let hostName = try String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8)
            let machine = String(hostName.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").first ?? "")
            let listing = try await till.run(["orders", "--config", unnamed, "--json"])
            #expect(try listing.json()[objects: "orders"]?.map { $0[string: "till"] } == [machine], "\(listing)")
            let all = try await till.run(["orders", "--all-tills", "--config", unnamed, "--json"])
            #expect(try all.json()[objects: "orders"]?.map { $0[string: "order"] } == [order], "\(all)")
            #expect(try all.json()[strings: "tills"] == [machine], "\(all)")

            // The same file under a name of its own: the name is the configuration's, and another name is no till of it.
            let named = try till.write("store/named.toml", TillHome.gatewayConfig(port: sandbox.port)
                .replacingOccurrences(of: "[store]\n", with: "[store]\ntill = \"front\"\n"))
            let report = try await till.run(["report", "--config", named, "--json"])
            #expect(try report.json()[strings: "tills"] == ["front"] && report.json()[string: "paid"] == "20.00", "\(report)")
            let other = try await till.run(["orders", "--till", "back", "--config", named])
            #expect(other.exitCode == 1 && other.stderr.contains("No till named \"back\""), "\(other)")
        }
    }

    @Test("a till's SQLite ledger imported into the server, twice: the second changes nothing")
    func importsARealLedgerOnce() async throws {
        let server = try await PostgresServer.shared()
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

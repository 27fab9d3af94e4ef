import HTTPTransport
import Testing

/// A request that changes money leaves once per `send`, even when libcurl would send it again
/// by itself; idempotent requests keep the one kept-alive connection, and its retry.
@Suite("CurlTransport sends a money-changing request once", .timeLimit(.minutes(1)))
struct CurlTransportOnceTests {
    static let code = "134567890123456789"

    static func poll(_ server: DroppingServer, _ path: String = "/query") -> HTTPRequest {
        HTTPRequest(url: server.baseURL + path, body: Array("out_trade_no=S1".utf8), timeout: .seconds(10), effect: .idempotent)
    }

    @Test func aPaymentWhoseConnectionDiesUnansweredReachesTheGatewayOnceAndMayHaveArrived() async throws {
        try await withDroppingServer(dropping: ["/pospay"]) { server in
            let transport = try CurlTransport()
            // Given a connection kept alive by the till's last poll
            #expect(try await transport.send(Self.poll(server)).status == 200)

            // When the gateway takes the payment and the connection dies before its answer
            // (a request made without naming its effect is taken to change money)
            let payment = HTTPRequest(url: server.baseURL + "/pospay", body: Array("auth_code=\(Self.code)".utf8), timeout: .seconds(10))
            let error = await #expect(throws: TransportError.self) { try await transport.send(payment) }

            // Then the gateway received that payment whole and once, on a connection of its own,
            // and the caller is told it may have arrived
            #expect(server.arrivals(at: "/pospay") == [
                DroppingServer.Arrival(connection: 2, method: "POST", path: "/pospay", body: payment.body),
            ])
            #expect(error?.requestMayHaveArrived == true)
            #expect(error?.description.contains("may have arrived") == true)
            #expect(error?.description.contains(Self.code) == false)
            // And the next poll still goes on the connection kept alive before the payment
            #expect(try await transport.send(Self.poll(server)).status == 200)
            #expect(server.arrivals(at: "/query").map(\.connection) == [1, 1])
        }
    }

    @Test func pollsShareOneConnectionAndEachMoneyChangingRequestHasItsOwn() async throws {
        try await withDroppingServer(dropping: []) { server in
            let transport = try CurlTransport()
            _ = try await transport.send(Self.poll(server))
            _ = try await transport.send(Self.poll(server))
            let paid = try await transport.send(HTTPRequest(url: server.baseURL + "/pospay", body: [1], timeout: .seconds(10),
                                                            effect: .changesMoney))
            _ = try await transport.send(Self.poll(server))
            let refunded = try await transport.send(HTTPRequest(url: server.baseURL + "/refund", body: [2], timeout: .seconds(10)))
            _ = try await transport.send(Self.poll(server, "/order-list"))

            #expect(paid.status == 200 && refunded.status == 200)
            let connections = Dictionary(grouping: server.arrivals, by: \.path).mapValues { $0.map(\.connection) }
            #expect(connections["/query"] == [1, 1, 1])
            #expect(connections["/order-list"] == [1])
            #expect(connections["/pospay"] == [2])
            #expect(connections["/refund"] == [3])
            #expect(server.connections == 3)
        }
    }

    /// libcurl's own retry, kept for idempotent requests: harmless for a read, and the reason a
    /// money-changing request must never go on a reused connection.
    @Test func aPollOnADeadReusedConnectionIsSentAgainAndAnswered() async throws {
        try await withDroppingServer(dropping: ["/query"]) { server in
            let transport = try CurlTransport()
            _ = try await transport.send(Self.poll(server, "/order-list"))

            let answer = try await transport.send(Self.poll(server))

            #expect(answer.status == 200)
            #expect(answer.bodyText == "POST /query answered on connection 2")
            #expect(server.arrivals(at: "/query").map(\.connection) == [1, 2])
        }
    }
}

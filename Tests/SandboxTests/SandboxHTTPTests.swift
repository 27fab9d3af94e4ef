import CheckoutCore
import Foundation
import HTTPTransport
import Sandbox
import Testing
import TestSupport
import WantuGateway

/// The sandbox served over real HTTP on 127.0.0.1, spoken to with the till's own transport.
@Suite struct SandboxHTTPTests {
    let h = SandboxHarness()

    func post(_ url: String, _ body: [UInt8] = [], timeout: Duration = .seconds(10),
              transport: CurlTransport? = nil) async throws -> HTTPResponse {
        let transport = try transport ?? CurlTransport()
        return try await transport.send(HTTPRequest(
            url: url, headers: [(name: "Content-Type", value: "application/json; charset=utf-8")],
            body: body, timeout: timeout))
    }

    func pospayBody(_ fee: String, order: String) -> [UInt8] {
        h.signedBody(h.common().merging(["total_fee": fee, "subject": "Tea", "out_trade_no": order,
                                         "auth_code": SandboxHarness.wechatCode, "fee_type": "HKD",
                                         "notify_url": "http://127.0.0.1:9/notify"]) { $1 })
    }

    func verified(_ response: HTTPResponse) -> [String: WantuJSON]? {
        guard let fields = WantuWire.decodeObject(response.body),
              WantuSignature.verify(WantuWire.signingParameters(fields), key: h.account.key) else { return nil }
        return fields
    }

    @Test func servesTheWantuRoutesOnAPickedPort() async throws {
        let server = try await SandboxServer.start(h.sandbox, port: 0)
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)/paygate")

        let paid = try await post("\(server.baseURL)/pospay", pospayBody("1250", order: "H0001"))
        #expect(paid.status == 200)
        #expect(paid.header("content-type")?.hasPrefix("application/json") == true)
        let fields = try #require(verified(paid))
        #expect(fields["return_code"] == .integer(200))
        #expect(fields["out_trade_no"] == .string("H0001"))

        let query = try await post("\(server.baseURL)/query", h.signedBody(h.common().merging(["out_trade_no": "H0001"]) { $1 }))
        #expect(try #require(verified(query))["trade_status"] == .string("SUCCESS"))

        let html = try await post("\(server.baseURL)/pospay", Array("<html>oops</html>".utf8))
        #expect(try #require(verified(html))["return_code"] == .integer(300))
        await server.stop()
    }

    @Test func onlyPostIsProcessedAndUnknownPathsAreNotFound() async throws {
        let server = try await SandboxServer.start(h.sandbox)
        let transport = try CurlTransport()
        let get = try await transport.send(HTTPRequest(url: "\(server.baseURL)/query", method: "GET"))
        #expect(get.status == 405)
        #expect(get.header("allow") == "POST")
        let unknown = try await post("\(server.baseURL)/pay-form", pospayBody("100", order: "H0002"))
        #expect(unknown.status == 404)
        let outside = try await post("http://127.0.0.1:\(server.port)/elsewhere")
        #expect(outside.status == 404)
        let health = try await transport.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/sandbox/health", method: "GET"))
        #expect(health.status == 200)
        #expect(await h.sandbox.order("H0002") == nil)
        await server.stop()
    }

    @Test func theControlRoutePaysAQROrder() async throws {
        let server = try await SandboxServer.start(h.sandbox)
        let create = try await post("\(server.baseURL)/create-qrcode", h.signedBody(h.common().merging(
            ["total_fee": "2000", "subject": "Tea", "product_id": "tea", "out_trade_no": "H0003",
             "fee_type": "HKD", "notify_url": "http://127.0.0.1:9/notify"]) { $1 }))
        #expect(try #require(verified(create))["return_code"] == .integer(200))

        let pay = try await post("http://127.0.0.1:\(server.port)/sandbox/pay/H0003")
        #expect(pay.status == 200)
        #expect(await h.sandbox.order("H0003")?.status == .paid)
        let again = try await post("http://127.0.0.1:\(server.port)/sandbox/pay/H0003")
        #expect(again.status == 404)
        let unknown = try await post("http://127.0.0.1:\(server.port)/sandbox/pay/H0404")
        #expect(unknown.status == 404)
        await server.stop()
    }

    @Test func aHangingPospayTimesOutOnTheClientYetThePaymentWentThrough() async throws {
        let server = try await SandboxServer.start(h.sandbox)
        await #expect(throws: TransportError.timedOut) {
            _ = try await post("\(server.baseURL)/pospay", pospayBody("507", order: "H0004"), timeout: .milliseconds(500))
        }
        let query = try await post("\(server.baseURL)/query", h.signedBody(h.common().merging(["out_trade_no": "H0004"]) { $1 }))
        #expect(try #require(verified(query))["trade_status"] == .string("SUCCESS"))

        // Released, not cancelled: with a grace far beyond any load, the server ends by itself.
        #expect(await server.stop(grace: .seconds(60)), "the sandbox had to be cancelled: a request still hung")
    }

    @Test func stoppingReleasesARequestStillHanging() async throws {
        let server = try await SandboxServer.start(h.sandbox)
        let url = "\(server.baseURL)/pospay"
        let body = pospayBody("507", order: "H0005")
        let clock = ContinuousClock()
        let sent = clock.now
        let client = Task { () -> Result<HTTPResponse, TransportError> in
            do throws(TransportError) {
                return .success(try await CurlTransport().send(HTTPRequest(url: url, body: body, timeout: .seconds(20))))
            } catch {
                return .failure(error)
            }
        }
        // Wait for the request to reach the sandbox (a real network event, not a gateway poll).
        var arrived = false
        for _ in 0..<1_000 where !arrived {
            arrived = await h.sandbox.order("H0005") != nil
            if !arrived { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(arrived)

        // Released, not cancelled: with a grace far beyond any load, the server ends by itself.
        #expect(await server.stop(grace: .seconds(60)), "the sandbox had to be cancelled: the request still hung")
        let outcome = await client.value
        #expect(sent.duration(to: clock.now) < .seconds(20), "the client waited out its own 20 s timeout")
        switch outcome {
        case .success(let response):
            Issue.record("a hanging request was answered with \(response.status)")
        case .failure(let error):
            #expect(error.requestMayHaveArrived)
        }
    }

    @Test func aTakenPortIsReportedNotIgnored() async throws {
        let first = try await SandboxServer.start(h.sandbox)
        await #expect(throws: (any Error).self) {
            let second = try await SandboxServer.start(h.sandbox, port: first.port)
            await second.stop()
        }
        await first.stop()
    }
}

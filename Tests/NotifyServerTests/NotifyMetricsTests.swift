import Foundation
import HTTPTransport
import NotifyServer
import Testing

/// `/metrics` as Prometheus reads it, on its own listener: what was counted, and that the
/// gateways' address does not serve it.
@Suite("Notify server: metrics for Prometheus")
struct NotifyMetricsTests {
    /// The samples of a Prometheus text exposition, by series (`name{labels}`), comments left out.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func metrics(_ f: ReceiverFixture) async throws -> (HTTPResponse, [String: Double]) {
        let port = try #require(f.server.metricsPort)
        let response = try await CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics", method: "GET",
                                                                  timeout: .seconds(30), effect: .idempotent))
        return (response, samples(response.bodyText))
    }

    @Test func notificationsAreCountedByGatewayAndOutcomeWithTheirHandlingTime() async throws {
        try await withReceiver(metrics: true) { f in
            let paid = Notice.paid()
            #expect(try await f.post(paid.body()).status == 200)
            #expect(try await f.post(paid.body()).status == 200)  // the gateway's second copy
            #expect(try await f.post(Array("hello".utf8)).status == 400)
            #expect(try await f.post(paid.body(.given("0" + String(repeating: "a", count: 31)))).status == 403)

            let (response, samples) = try await Self.metrics(f)
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true, "\(response.headers)")
            #expect(samples[#"shroff_notifications_total{gateway="wantu",outcome="applied"}"#] == 2, "\(response.bodyText)")
            #expect(samples[#"shroff_notifications_total{gateway="wantu",outcome="malformed"}"#] == 1, "\(response.bodyText)")
            #expect(samples[#"shroff_notifications_total{gateway="wantu",outcome="forged"}"#] == 1, "\(response.bodyText)")
            #expect(samples[#"shroff_notification_handling_seconds_count{gateway="wantu"}"#] == 4, "\(response.bodyText)")
            #expect(samples[#"shroff_notification_handling_seconds_bucket{gateway="wantu",le="+Inf"}"#] == 4, "\(response.bodyText)")
            #expect(samples["shroff_ledger_errors_total"] == 0, "\(response.bodyText)")
            #expect(samples["shroff_notifications_busy_total"] == 0, "\(response.bodyText)")
            // Nothing in it names an order, a trade or the key.
            #expect(!response.bodyText.contains(orderNumber) && !response.bodyText.contains(tradeNumber) && !response.bodyText.contains(merchantKey))
        }
    }

    @Test func theGatewaysAddressDoesNotServeMetrics() async throws {
        try await withReceiver(metrics: true) { f in
            #expect(try await f.get("/metrics").status == 404)
            let port = try #require(f.server.metricsPort)
            #expect(port != f.port)
            let other = try await CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(port)/notify/wantu", body: Notice.paid().body(),
                                                                   timeout: .seconds(30), effect: .idempotent))
            #expect(other.status == 404)
            try f.expectUntouched("a notification posted to the metrics listener")
        }
    }

    @Test func withoutTheSettingNoMetricsListenerIsOpened() async throws {
        try await withReceiver { f in
            let response = try await f.get("/metrics")
            #expect(f.server.metricsPort == nil)
            #expect(response.status == 404)
        }
    }

    @Test func aNotificationTurnedAwayAsBusyIsCounted() async throws {
        try await withReceiver(limits: NotifyServer.Limits(readTimeout: .seconds(30), maximumConcurrent: 1), metrics: true) { f in
            let (held, hold, _) = try await NotifyServerLimitsTests.holdOne(f, body: Notice.paid().body())
            defer { held.close() }
            let (_, during) = try await Self.metrics(f)
            #expect((during["shroff_notifications_busy_total"] ?? 0) >= 1)
            hold.release()
            #expect(try await onThread { try held.readResponse() }.status == 200)
        }
    }

    @Test func aLedgerThatCannotBeWrittenIsCounted() async throws {
        try await withReceiver(metrics: true) { f in
            try f.ledger.close()
            #expect(try await f.post(Notice.paid().body()).status == 503)
            let (response, samples) = try await Self.metrics(f)
            #expect(samples["shroff_ledger_errors_total"] == 1, "\(response.bodyText)")
            #expect(samples[#"shroff_notifications_total{gateway="wantu",outcome="failed"}"#] == 1, "\(response.bodyText)")
        }
    }

    /// A port already served: the second server says which address it could not take.
    @Test func aTakenPortIsNamedForTheListenerThatCannotHaveIt() async throws {
        try await withReceiver(metrics: true) { f in
            let receiver = NotificationReceiver(gateways: [], ledger: f.ledger)
            let taken = f.port
            let metricsTaken = try #require(f.server.metricsPort)
            do {
                _ = try await NotifyServer.start(receiver, host: "127.0.0.1", port: taken)
                Issue.record("a second server started on port \(taken)")
            } catch let error as NotifyServerError {
                #expect(error.description.contains("could not listen on 127.0.0.1:\(taken)"), "\(error)")
            }
            do {
                _ = try await NotifyServer.start(receiver, host: "127.0.0.1", port: 0, metrics: ("127.0.0.1", metricsTaken))
                Issue.record("a second metrics listener started on port \(metricsTaken)")
            } catch let error as NotifyServerError {
                guard case .cannotListenForMetrics(_, let port) = error else {
                    Issue.record("expected cannotListenForMetrics, got \(error)")
                    return
                }
                #expect(port == metricsTaken)
                #expect(error.description.contains("[notify] metrics"), "\(error)")
            }
        }
    }
}

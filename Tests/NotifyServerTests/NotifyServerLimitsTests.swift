import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
@testable import SQLiteLedger
import NotifyServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import WantuGateway

/// The receiver's bounds, from a raw socket: too large, too slow, too many at once.
/// Nothing here sleeps to wait for the server: every wait is a blocking read with a generous
/// socket timeout, or a request repeated until the server answers as expected.
@Suite("Notification receiver: size, time and concurrency bounds", .serialized)
struct NotifyServerLimitsTests {
    static let maximumBody = 64 * 1024
    static let tooLargeReply = "a notification is at most \(maximumBody) bytes\n"

    // MARK: Too large

    @Test func aBodyOverTheLimitWithContentLengthIsRefusedBeforeItIsRead() async throws {
        try await withReceiver { f in
            let port = f.port
            // Only the head: the server answers from Content-Length without waiting for a byte of body.
            let headOnly = try await onThread {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try connection.send(postHead("/notify/wantu", port: port, contentLength: Self.maximumBody + 1))
                return try connection.readResponse()
            }
            f.record(headOnly.text)
            #expect(headOnly.status == 413)
            #expect(headOnly.text == Self.tooLargeReply)

            // The whole body sent.
            let whole = try await onThread {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try connection.send(postHead("/notify/wantu", port: port, contentLength: Self.maximumBody + 1))
                try connection.send([UInt8](repeating: UInt8(ascii: " "), count: Self.maximumBody + 1))
                return try connection.readResponse()
            }
            f.record(whole.text)
            #expect(whole.status == 413)
            #expect(whole.text == Self.tooLargeReply)
            try f.expectUntouched("bodies over the limit")

            // Exactly the limit is read: a valid notification padded with JSON whitespace.
            let notice = Notice.paid().body()
            let padded = notice + [UInt8](repeating: UInt8(ascii: " "), count: Self.maximumBody - notice.count)
            #expect(padded.count == Self.maximumBody)
            let atLimit = try await f.post(padded)
            #expect(atLimit.status == 200)
            #expect(atLimit.bodyText == successReply)
            #expect(try f.order().status == .paid)
        }
    }

    @Test func aChunkedBodyOverTheLimitIsRefusedWith413() async throws {
        try await withReceiver { f in
            let port = f.port
            let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 4096)
            let chunks = Self.maximumBody / chunk.count + 1  // 68 KiB in all
            let outcome = try await onThread { () -> Result<RawConnection.Response, RawConnection.Failure> in
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try connection.send(postHead("/notify/wantu", port: port, contentLength: nil,
                                             extra: ["Transfer-Encoding: chunked"]))
                var message: [UInt8] = []
                for _ in 0..<chunks { message += Array("1000\r\n".utf8) + chunk + Array("\r\n".utf8) }
                message += Array("0\r\n\r\n".utf8)
                // The server may stop reading once it has refused the body: a failed send is not the verdict.
                try? connection.send(message)
                do {
                    return .success(try connection.readResponse())
                } catch let failure as RawConnection.Failure {
                    return .failure(failure)
                }
            }
            switch outcome {
            case .success(let response):
                f.record(response.text)
                #expect(response.status == 413)
                #expect(response.text == Self.tooLargeReply)
            case .failure(let failure):
                Issue.record("no 413 for a chunked body of \(chunks * chunk.count) bytes: \(failure)")
            }
            try f.expectUntouched("a chunked body over the limit")
        }
    }

    // MARK: Too slow

    @Test func aClientThatStopsSendingItsBodyIsCutOffAfterTheReadTimeout() async throws {
        try await withReceiver(limits: NotifyServer.Limits(readTimeout: .milliseconds(500))) { f in
            let port = f.port
            let body = Notice.paid().body()
            let (bytes, end, waited) = try await onThread {
                let connection = try RawConnection(port: port, timeout: .seconds(5))
                defer { connection.close() }
                try connection.send(Array(postHead("/notify/wantu", port: port, contentLength: 100).utf8) + body.prefix(5))
                let start = ContinuousClock.now
                let (bytes, end) = connection.readUntilEnd()
                return (bytes, end, start.duration(to: .now))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            f.record(text)
            #expect(end != .timedOut, "the connection was still open after 5 s")
            #expect(waited < .seconds(3), "closed only after \(waited)")
            #expect(waited >= .milliseconds(400), "closed after \(waited), before the read timeout")
            #expect(!text.hasPrefix("HTTP/1.1 2"), "a half-sent notification was answered: \(text)")
            try f.expectUntouched("a half-sent notification")

            // The server still serves.
            let response = try await f.post(body)
            #expect(response.status == 200)
            #expect(response.bodyText == successReply)
        }
    }

    @Test func aClientDrippingItsBodyIsCutOffAfterTheReadTimeout() async throws {
        try await withReceiver(limits: NotifyServer.Limits(readTimeout: .milliseconds(500))) { f in
            let port = f.port
            let connection = try await onThread { try RawConnection(port: port, timeout: .seconds(5)) }
            defer { connection.close() }
            try await onThread { try connection.send(postHead("/notify/wantu", port: port, contentLength: 100)) }
            let start = ContinuousClock.now
            // One byte every 100 ms: the connection is never idle, yet the body takes 10 s.
            async let dripped: Int = onThread {
                var sent = 0
                while sent < 100 {
                    usleep(100_000)
                    guard (try? connection.send([UInt8(ascii: " ")])) != nil else { break }
                    sent += 1
                }
                return sent
            }
            let (bytes, end) = try await onThread { connection.readUntilEnd() }
            let waited = start.duration(to: .now)
            let sent = try await dripped
            let text = String(decoding: bytes, as: UTF8.self)
            f.record(text)
            #expect(end != .timedOut, "the connection was still open after 5 s")
            #expect(waited < .seconds(3), "closed only after \(waited)")
            #expect(waited >= .milliseconds(400), "closed after \(waited), before the read timeout")
            #expect(sent < 100, "the whole body went through")
            #expect(!text.hasPrefix("HTTP/1.1 2"), "answered: \(text)")
            try f.expectUntouched("a dripped body")
        }
    }

    // MARK: Too many at once

    /// Holds the ledger's writer on a thread of its own until `release` is called, so that a
    /// notification being applied waits in hand, holding its place. The receiver's writes go
    /// through the same ledger, so they queue behind this one: no timing involved.
    final class LedgerHold: Sendable {
        private let held = DispatchSemaphore(value: 0)
        private let released = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        init(_ ledger: SQLiteLedger) {
            Thread.detachNewThread { [held, released, done] in
                _ = try? ledger.write { _ in
                    held.signal()
                    released.wait()
                }
                done.signal()
            }
            held.wait()
        }

        func release() {
            released.signal()
            done.wait()
        }
    }

    /// Sends `body` whole on a raw connection with the ledger held, and returns once another
    /// POST gets 503: the held notification is then the one in hand. Returns its connection (to
    /// read its answer once the hold is released), the hold, and the 503 response.
    ///
    /// With one place, a probe in hand when the held notification arrives turns *it* away (503,
    /// nothing applied). That is the limit working, not the state wanted: the notification is
    /// then sent again on a new connection, as a gateway would.
    static func holdOne(_ f: ReceiverFixture, body: [UInt8]) async throws -> (RawConnection, LedgerHold, HTTPResponse) {
        let port = f.port
        let hold = LedgerHold(f.ledger)
        let send = {
            try await onThread {
                let connection = try RawConnection(port: port, timeout: .seconds(20))
                try connection.send(Array(postHead("/notify/wantu", port: port, contentLength: body.count).utf8) + body)
                return connection
            }
        }
        var held = try await send()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if held.hasPendingInput() {
                let early = try await onThread { [held] in try held.readResponse() }
                held.close()
                #expect(early.status == 503, "the held notification was answered before its hold ended: \(early.text)")
                try f.expectUntouched("a notification turned away as busy")
                held = try await send()
            }
            // A body that changes nothing if it is let in: "hello" is malformed.
            let probe = try await f.post(Array("hello".utf8))
            if probe.status == 503 { return (held, hold, probe) }
            #expect(probe.status == 400, "\(probe.status): \(probe.bodyText)")
        }
        hold.release()
        held.close()
        throw RawConnection.Failure(description: "no POST got 503 in 20 s while one was held in hand")
    }

    @Test func aSecondNotificationWhileOneIsInHandGets503ThenGoesThrough() async throws {
        try await withReceiver(limits: NotifyServer.Limits(readTimeout: .seconds(30), maximumConcurrent: 1)) { f in
            let body = Notice.paid().body()
            let (held, hold, busy) = try await Self.holdOne(f, body: body)
            defer { held.close() }
            #expect(busy.bodyText == "busy; send it again shortly\n")
            #expect(busy.header("Retry-After") == "1")

            // A valid notification is turned away, not applied.
            let turnedAway = try await f.post(body)
            #expect(turnedAway.status == 503)
            #expect(turnedAway.bodyText == "busy; send it again shortly\n")
            // The health check is not a notification.
            #expect(try await f.get("/healthz").status == 200)

            // The held one completes and is applied.
            hold.release()
            let heldResponse = try await onThread { try held.readResponse() }
            f.record(heldResponse.text)
            #expect(heldResponse.status == 200)
            #expect(heldResponse.text == successReply)
            #expect(try f.order().status == .paid)
            #expect(try f.order().gatewayTradeID == tradeNumber)

            // Its place is free again: the one turned away, sent again, is acknowledged (a duplicate).
            let again = try await f.post(body)
            #expect(again.status == 200)
            #expect(again.bodyText == successReply)
            #expect(try f.events().map(\.kind) == [.created, .notification])
        }
    }

    /// 200 clients send a notification's head and a few bytes of its body, then nothing, as a
    /// slow or hostile network does. A real notification posted after them is applied and
    /// answered within a second, and every stalled client is cut off by the read timeout.
    @Test func twoHundredStalledClientsDoNotDelayARealNotification() async throws {
        let limits = NotifyServer.Limits(readTimeout: .seconds(3))
        try await withReceiver(limits: limits) { f in
            let port = f.port
            let body = Notice.paid().body()
            let stalled = try await onThread {
                var connections: [RawConnection] = []
                do {
                    for _ in 0..<200 {
                        let connection = try RawConnection(port: port, timeout: .seconds(15))
                        connections.append(connection)
                        try connection.send(Array(postHead("/notify/wantu", port: port, contentLength: body.count).utf8) + body.prefix(10))
                    }
                } catch {
                    for connection in connections { connection.close() }
                    throw error
                }
                return connections
            }
            defer { for connection in stalled { connection.close() } }

            let start = ContinuousClock.now
            let response = try await f.post(body)
            let took = start.duration(to: .now)
            #expect(response.status == 200, "\(response.status): \(response.bodyText)")
            #expect(response.bodyText == successReply)
            #expect(took < .seconds(1), "answered after \(took)")
            #expect(try f.order().status == .paid)

            // Each stalled client is cut off, unanswered, and none of them reached the ledger.
            let ends = try await onThread { stalled.map { $0.readUntilEnd() } }
            let open = ends.filter { $0.end == .timedOut }.count
            let answered = ends.filter { String(decoding: $0.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 2") }.count
            #expect(open == 0, "\(open) stalled connections were still open 15 s after their last byte")
            #expect(answered == 0, "\(answered) half-sent notifications were answered")
            #expect(try f.events().map(\.kind) == [.created, .notification])
        }
    }
}

import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import NotifyServer
import Testing
import WantuGateway

/// Wantu's notifications over real HTTP on 127.0.0.1, applied to a real SQLite ledger file.
/// Each test checks the status, the exact reply body, and the ledger afterwards.
@Suite("Notification receiver: Wantu notifications over HTTP into the ledger", .serialized)
struct NotifyServerTests {
    // MARK: Believed and applied

    @Test func aValidPaidNotificationPaysTheOrderAndIsAcknowledged() async throws {
        try await withReceiver { f in
            let body = Notice.paid().body()
            let response = try await f.post(body)
            #expect(response.status == 200)
            #expect(response.bodyText == successReply)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)

            let order = try f.order()
            #expect(order.status == .paid)
            #expect(order.gatewayTradeID == tradeNumber)
            #expect(order.attention == nil)
            let events = try f.events()
            #expect(events.map(\.kind) == [.created, .notification])
            let notification = try #require(events.last)
            #expect(notification.detail.contains(String(decoding: body, as: UTF8.self)),
                    "the event keeps the body as posted: \(notification.detail)")
        }
    }

    @Test func theSameNotificationAgainIsAcknowledgedAndChangesNothing() async throws {
        try await withReceiver { f in
            let body = Notice.paid().body()
            let first = try await f.post(body)
            #expect(first.status == 200)
            #expect(first.bodyText == successReply)
            let orderAfterFirst = try f.order()
            let eventsAfterFirst = try f.events()
            #expect(orderAfterFirst.status == .paid)
            #expect(eventsAfterFirst.count == 2)

            let again = try await f.post(body)
            #expect(again.status == 200)
            #expect(again.bodyText == successReply)
            #expect(try f.order() == orderAfterFirst)
            #expect(try f.events() == eventsAfterFirst)
        }
    }

    @Test func aSecondTradeForAPaidOrderIsFlaggedAndAcknowledged() async throws {
        try await withReceiver { f in
            #expect(try await f.post(Notice.paid().body()).bodyText == successReply)
            #expect(try f.events().count == 2)

            let replay = Notice.paid(trade: otherTradeNumber).body()
            let response = try await f.post(replay)
            #expect(response.status == 200)
            #expect(response.bodyText == successReply)
            let order = try f.order()
            #expect(order.status == .paid)
            #expect(order.gatewayTradeID == tradeNumber, "the first trade stays the order's")
            let attention = try #require(order.attention)
            #expect(attention.hasPrefix("second payment"))
            #expect(attention.contains(otherTradeNumber))
            let events = try f.events()
            #expect(events.map(\.kind) == [.created, .notification, .notification])
            #expect(events.last?.detail.contains(String(decoding: replay, as: UTF8.self)) == true)

            // The same replay once more: already flagged, nothing new.
            let again = try await f.post(replay)
            #expect(again.status == 200)
            #expect(again.bodyText == successReply)
            #expect(try f.order() == order)
            #expect(try f.events().count == 3)
        }
    }

    @Test func aPaymentForAClosedOrderKeepsItsStatusAndNeedsAttention() async throws {
        try await withReceiver { f in
            try f.ledger.updateOrder(f.orderID, status: .cancelled, gatewayTradeID: nil,
                                     reason: "cancelled by the cashier", at: Date())
            #expect(try f.events().map(\.kind) == [.created, .status])

            let body = Notice.paid().body()
            let response = try await f.post(body)
            #expect(response.status == 200)
            #expect(response.bodyText == successReply)
            let order = try f.order()
            #expect(order.status == .cancelled)
            #expect(order.gatewayTradeID == tradeNumber)
            let attention = try #require(order.attention)
            #expect(attention.contains("paid after close"))
            let events = try f.events()
            #expect(events.map(\.kind) == [.created, .status, .notification])
            #expect(events.last?.detail.contains(String(decoding: body, as: UTF8.self)) == true)

            let again = try await f.post(body)
            #expect(again.status == 200)
            #expect(again.bodyText == successReply)
            #expect(try f.order() == order)
            #expect(try f.events().count == 3)
        }
    }

    // MARK: Not signed by Wantu

    @Test func aNotificationSignedWithAnotherKeyIsRefusedWith403() async throws {
        try await withReceiver { f in
            let notice = Notice.paid()
            let forged = notice.body(.given(WantuSignature.sign(notice.parameters, key: "another-key")))
            let response = try await f.post(forged)
            #expect(response.status == 403)
            #expect(response.bodyText == failReply("wrong signature"))
            try f.expectUntouched("a forged notification")

            // Signed for one cent, then the amount changed to the order's: the signature no longer fits.
            let signedForOneCent = WantuSignature.sign(notice.setting("total_fee", "1").parameters, key: merchantKey)
            let tampered = try await f.post(notice.body(.given(signedForOneCent)))
            #expect(tampered.status == 403)
            #expect(tampered.bodyText == failReply("wrong signature"))
            try f.expectUntouched("a tampered notification")
        }
    }

    @Test func aNotificationWithoutSignatureIsRefusedWith403() async throws {
        try await withReceiver { f in
            let unsigned = try await f.post(Notice.paid().body(.none))
            #expect(unsigned.status == 403)
            #expect(unsigned.bodyText == failReply("no signature"))
            try f.expectUntouched("an unsigned notification")

            let emptySign = try await f.post(Notice.paid().body(.given("")))
            #expect(emptySign.status == 403)
            #expect(emptySign.bodyText == failReply("no signature"))
            try f.expectUntouched("an empty signature")
        }
    }

    // MARK: Signed, but not about this order as the ledger has it

    @Test func aSignedNotificationForAnotherAmountIsRefused() async throws {
        try await withReceiver { f in
            let response = try await f.post(Notice.paid(fee: "1").body())
            #expect(response.status == 200)
            let reply = try #require(replyObject(response), "not a JSON object: \(response.bodyText)")
            #expect(Set(reply.keys) == ["return_code", "return_msg"])
            #expect(reply["return_code"] == "FAIL")
            #expect(reply["return_msg"]?.contains("0.01") == true, "the reason names the amount: \(response.bodyText)")
            try f.expectUntouched("a notification for one cent")
        }
    }

    @Test func aSignedNotificationInAnotherCurrencyIsRefused() async throws {
        try await withReceiver { f in
            let response = try await f.post(Notice.paid(currency: "USD").body())
            #expect(response.status == 200)
            let reply = try #require(replyObject(response), "not a JSON object: \(response.bodyText)")
            #expect(Set(reply.keys) == ["return_code", "return_msg"])
            #expect(reply["return_code"] == "FAIL")
            #expect(reply["return_msg"]?.contains("USD") == true, "the reason names the currency: \(response.bodyText)")
            try f.expectUntouched("a notification in USD")
        }
    }

    @Test func aSignedNotificationForAnUnknownOrderIsRefused() async throws {
        try await withReceiver { f in
            let unknown = try OrderID("S250615120000NOSUCH")
            let response = try await f.post(Notice.paid(order: unknown.rawValue).body())
            #expect(response.status == 200)
            #expect(response.bodyText == failReply("unknown order"))
            #expect(try f.ledger.order(unknown) == nil)
            #expect(try f.ledger.events(for: unknown).isEmpty)
            try f.expectUntouched("a notification for another order")
        }
    }

    // MARK: Not readable

    @Test func malformedBodiesAreRefusedWith400() async throws {
        try await withReceiver { f in
            let notJSON = failReply("the body is not a JSON object (or names a key twice) nor a form")
            let valid = Notice.paid()
            var twice = valid
            twice.fields.insert(("total_fee", "1"), at: 0)  // signed over the last value, 1230
            let hugeNumber = "99999999999999999999999"
            // The receiver signs a huge JSON number by its shortest Double text.
            let hugeSignedAs = String(try #require(Double(hugeNumber)))
            let hugeNotice = valid.setting("total_fee", hugeNumber)
            let hugeNumberBody = hugeNotice.body(.given(WantuSignature.sign(
                valid.setting("total_fee", hugeSignedAs).parameters, key: merchantKey)))
            var hugeString = valid.setting("total_fee", "99999999999999999999")
            hugeString.numeric = []

            let cases: [(String, [UInt8], String)] = [
                ("not JSON", Array("hello".utf8), notJSON),
                ("truncated JSON", Array(valid.body().dropLast(12)), notJSON),
                ("a key named twice", twice.body(), notJSON),
                ("not UTF-8", Array(#"{"out_trade_no":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8),
                 failReply("the body is not UTF-8")),
                ("a huge total_fee number, signed", hugeNumberBody,
                 failReply("a SUCCESS notification without trade_id or total_fee")),
                ("a huge total_fee string, signed", hugeString.body(),
                 failReply("a SUCCESS notification without trade_id or total_fee")),
            ]
            for (what, body, reply) in cases {
                let response = try await f.post(body)
                #expect(response.status == 400, "\(what): \(response.bodyText)")
                #expect(response.bodyText == reply, "\(what)")
                try f.expectUntouched("\(what)")
            }
        }
    }

    // MARK: Routes

    @Test func healthRoutesAndMethods() async throws {
        try await withReceiver { f in
            let health = try await f.get("/healthz")
            #expect(health.status == 200)
            #expect(health.header("Content-Type")?.hasPrefix("application/json") == true)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any],
                                      "not a JSON object: \(health.bodyText)")
            #expect(object["status"] as? String == "ok")
            #expect(object["gateways"] as? [String] == ["wantu"])
            // Which ledger, as its identity: the path tells a stranger where the books are.
            #expect(!health.bodyText.contains(f.folder), "the health check names the ledger's folder: \(health.bodyText)")
            #expect(object["ledger"] == nil)
            let identity = try #require(try f.ledger.identity())
            #expect(object["ledger_id"] as? String == String(identity))
            #expect(Set(object.keys) == ["status", "gateways", "ledger_id"])

            let get = try await f.get("/notify/wantu")
            #expect(get.status == 405)
            #expect(get.header("Allow") == "POST")

            // A valid notification on a route no gateway serves is not applied.
            let nosuch = try await f.post(Notice.paid().body(), path: "/notify/nosuch")
            #expect(nosuch.status == 404)
            let elsewhere = try await f.post(Notice.paid().body(), path: "/wantu")
            #expect(elsewhere.status == 404)
            let postHealth = try await f.post([], path: "/healthz")
            #expect(postHealth.status == 405)
            try f.expectUntouched("requests to other routes")
        }
    }

    // MARK: Secrets

    @Test func theKeyIsInNoLogLineNoReplyAndNoEvent() async throws {
        try await withReceiver { f in
            let valid = Notice.paid()
            let posts: [[UInt8]] = [
                valid.body(.given(WantuSignature.sign(valid.parameters, key: "wrong-key"))),
                valid.body(.none),
                Array("hello".utf8),
                Notice.paid(order: "S250615120000NOSUCH").body(),
                Notice.paid(fee: "1").body(),
                valid.body(),
                valid.body(),
                Notice.paid(trade: otherTradeNumber).body(),
            ]
            var replies: [String] = []
            for body in posts { replies.append(try await f.post(body).bodyText) }
            #expect(replies.count == posts.count)
            for reply in replies { #expect(!reply.contains(merchantKey), "\(reply)") }

            // One line per notification from the receiver, each naming the gateway.
            let lines = f.receiverLogs.all
            #expect(lines.count == posts.count, "\(lines.joined(separator: "\n"))")
            #expect(lines.allSatisfy { $0.contains("wantu") })
            #expect(lines.contains { $0.contains("NEEDS ATTENTION") && $0.contains(orderNumber) })
            let all = f.receiverLogs.text + f.serverLogs.text
            #expect(!all.contains(merchantKey))
            #expect(try f.events().allSatisfy { !$0.detail.contains(merchantKey) })
            // `finish` checks the logs, the replies and the events once more after the server stops.
        }
    }
}

import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Sandbox
import Testing
import TestSupport

/// The aggregator's simulator over real HTTP: it checks what the seed requires, answers in the
/// seed's shape, and posts signed callbacks until it gets exactly `SUCCESS`.
@Suite struct AggregatorSandboxTests {
    let clock = SteppingClock()
    let account = AggregatorSandboxAccount.training

    func sandbox(deliveries: (any HTTPTransport)? = nil) -> AggregatorSandbox {
        AggregatorSandbox(clock: clock.checkoutClock,
                          deliveries: deliveries.map { SandboxDeliveries(transport: $0, clock: clock.checkoutClock) })
    }

    func unified(_ overrides: [String: String?] = [:], secret: String? = nil) -> [String: String] {
        var form = ["appid": account.appID, "order_no": "S261201180000ABCDEFG", "amount": "1200", "product_name": "Tea",
                    "bank_code": "912", "notify_url": "http://127.0.0.1:9/notify/aggregator", "return_url": "http://127.0.0.1:9/"]
        for (key, value) in overrides { form[key] = value }
        form["sign"] = AggregatorSignature.sign(form, secret: secret ?? account.secret, form: .request)
        return form
    }

    func post(_ server: RunningSandbox, _ form: [String: String], contentType: String = "application/x-www-form-urlencoded") async throws -> HTTPResponse {
        try await CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/aggregator/api/order/unified",
                                                   headers: [(name: "Content-Type", value: contentType)],
                                                   body: Array(FormEncoding.encode(form).utf8), timeout: .seconds(10)))
    }

    func checkOrder(_ server: RunningSandbox, _ number: String, method: String = "GET") async throws -> HTTPResponse {
        var form = ["appid": account.appID, "order_no": number]
        form["sign"] = AggregatorSignature.sign(form, secret: account.secret, form: .request)
        return try await CurlTransport().send(HTTPRequest(
            url: "http://127.0.0.1:\(server.port)/aggregator/api/order/check_order?" + FormEncoding.encode(form), method: method, timeout: .seconds(10)))
    }

    func json(_ response: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    func withServer(_ sandbox: AggregatorSandbox, _ body: (RunningSandbox) async throws -> Void) async throws {
        try await stopping(try await SandboxServer.start(sandbox), with: { await $0.stop() }, body)
    }

    @Test func aWellFormedOrderGetsTheSeedsAnswerAndCheckOrderFollowsIt() async throws {
        let sandbox = sandbox()
        try await withServer(sandbox) { server in
            let created = json(try await post(server, unified()))
            #expect(created["status"] as? String == "1")
            let data = try #require(created["data"] as? [String: Any])
            #expect((data["redirect_url"] as? String)?.hasPrefix("weixin://wxpay/bizpayurl?pr=") == true)
            #expect(data["amount"] as? String == "1200")
            #expect(data["pay_status"] as? Int == -1)

            var answer = json(try await checkOrder(server, "S261201180000ABCDEFG"))
            #expect((answer["data"] as? [String: Any])?["pay_status"] as? Int == -1)
            #expect((answer["data"] as? [String: Any])?["pay_time"] is NSNull)
            #expect(await sandbox.customerPays("S261201180000ABCDEFG"))
            answer = json(try await checkOrder(server, "S261201180000ABCDEFG"))
            let paid = try #require(answer["data"] as? [String: Any])
            #expect(paid["pay_status"] as? Int == 1)
            #expect(paid["amount"] as? String == "1200.00")
            #expect(paid["pay_time"] is String)
        }
    }

    @Test func badRequestsAreRefusedWithStatusZeroAndAReason() async throws {
        let sandbox = sandbox()
        try await withServer(sandbox) { server in
            let cases: [([String: String], String)] = [
                (unified(secret: "wrong-secret"), "sign"),
                (unified(["amount": "12.00"]), "amount"),
                (unified(["order_no": "S261201180000ABCDEFGHIJ"]), "order_no"),
                // "字符长度20" read strictly: 19 characters are refused too.
                (unified(["order_no": "S261201180000ABCDEF"]), "order_no must be 20"),
                (unified(["bank_code": "901"]), "bank_code"),
                (unified(["appid": "gpu999"]), "appid"),
                (unified(["return_url": nil]), "return_url"),
            ]
            for (form, reason) in cases {
                let answer = json(try await post(server, form))
                #expect(answer["status"] as? String == "0", "\(reason)")
                #expect((answer["message"] as? String)?.contains(reason) == true, "\(answer)")
            }
            let asJSON = json(try await post(server, unified(), contentType: "application/json"))
            #expect((asJSON["message"] as? String)?.contains("Content-Type") == true)
            // Nothing was created by any of them.
            #expect(await sandbox.payStatus("S261201180000ABCDEFG") == nil)
        }
    }

    @Test func eachEndpointTakesOnlyItsMethodAndAnOrderNumberOnlyOnce() async throws {
        let sandbox = sandbox()
        try await withServer(sandbox) { server in
            let posted = try await checkOrder(server, "S261201180000ABCDEFG", method: "POST")
            #expect(posted.status == 405)
            let created = try await post(server, unified())
            #expect(json(created)["status"] as? String == "1")
            let again = json(try await post(server, unified()))
            #expect(again["status"] as? String == "0")
        }
    }

    @Test func serverErrorScenariosAnswerHTTP500() async throws {
        let sandbox = sandbox()
        try await withServer(sandbox) { server in
            let failed = try await post(server, unified(["amount": "1215"]))
            #expect(failed.status == 500)
            #expect(await sandbox.payStatus("S261201180000ABCDEFG") == nil)
            let created = try await post(server, unified(["amount": "1214", "order_no": "S261201180000QUERY01"]))
            #expect(json(created)["status"] as? String == "1")
            let asked = try await checkOrder(server, "S261201180000QUERY01")
            #expect(asked.status == 500)
        }
    }

    @Test func aPaymentIsAnnouncedAsASignedFormUntilTheAnswerIsExactlySUCCESS() async throws {
        let receiver = RecordingTransport { _, index in
            .success(HTTPResponse(status: 200, body: Array((index == 0 ? "success" : index == 1 ? "SUCCESS\n" : "SUCCESS").utf8)))
        }
        let sandbox = sandbox(deliveries: receiver)
        try await withServer(sandbox) { server in
            _ = try await post(server, unified())
            #expect(await sandbox.customerPays("S261201180000ABCDEFG"))
            #expect(await AggregatorTill.waitUntil(within: .seconds(20)) { receiver.sent.count >= 3 })
        }
        #expect(receiver.sent.count == 3)
        let request = try #require(receiver.sent.first)
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/x-www-form-urlencoded" })
        let form = try #require(FormEncoding.decode(request.body))
        #expect(form["pay_status"] == "1")
        #expect(form["amount"] == "1200.00")
        #expect(form["actual_amount"] == "1200.00")
        #expect(form["attach"] == "")
        #expect(AggregatorSignature.verify(form, secret: account.secret, form: .callback))
    }

    @Test func theCallbackScenariosSignBadlyOrPayShort() async throws {
        let receiver = RecordingTransport { _, _ in .success(HTTPResponse(status: 200, body: Array("SUCCESS".utf8))) }
        let sandbox = sandbox(deliveries: receiver)
        try await withServer(sandbox) { server in
            _ = try await post(server, unified(["amount": "1216", "order_no": "S261201180000BADSIG1"]))
            #expect(await AggregatorTill.waitUntil(within: .seconds(20)) { receiver.sent.count >= 1 })
            _ = try await post(server, unified(["amount": "1217", "order_no": "S261201180000SHORT01"]))
            #expect(await AggregatorTill.waitUntil(within: .seconds(20)) { receiver.sent.count >= 2 })
        }
        let forms = receiver.sent.compactMap { FormEncoding.decode($0.body) }
        let badlySigned = try #require(forms.first { $0["order_no"] == "S261201180000BADSIG1" })
        #expect(!AggregatorSignature.verify(badlySigned, secret: account.secret, form: .callback))
        let short = try #require(forms.first { $0["order_no"] == "S261201180000SHORT01" })
        #expect(AggregatorSignature.verify(short, secret: account.secret, form: .callback))
        #expect(short["amount"] == "1217.00")
        #expect(short["actual_amount"] == "1117.00")
    }

    /// The seed's other reading of pay_status 0: a fresh, unpaid order (its check_order example).
    @Test func theNineteenScenarioSaysPayStatusZeroWhileUnpaidAndCanStillBePaid() async throws {
        let sandbox = sandbox()
        try await withServer(sandbox) { server in
            let created = json(try await post(server, unified(["amount": "1219"])))
            #expect(created["status"] as? String == "1")
            let data = try #require(created["data"] as? [String: Any])
            #expect(data["pay_status"] as? Int == 0)
            #expect(data["redirect_url"] is String)

            clock.advance(by: .seconds(60))
            var answer = json(try await checkOrder(server, "S261201180000ABCDEFG"))
            #expect((answer["data"] as? [String: Any])?["pay_status"] as? Int == 0)
            #expect(await sandbox.payStatus("S261201180000ABCDEFG") == 0)

            #expect(await sandbox.customerPays("S261201180000ABCDEFG"))
            answer = json(try await checkOrder(server, "S261201180000ABCDEFG"))
            #expect((answer["data"] as? [String: Any])?["pay_status"] as? Int == 1)
        }
    }

    @Test func theTwentyScenarioPostsItsCallbackAsJSONShapedLikeTheSeedsExample() async throws {
        let receiver = RecordingTransport { _, _ in .success(HTTPResponse(status: 200, body: Array("SUCCESS".utf8))) }
        let sandbox = sandbox(deliveries: receiver)
        try await withServer(sandbox) { server in
            _ = try await post(server, unified(["amount": "1220"]))
            #expect(await AggregatorTill.waitUntil(within: .seconds(20)) { receiver.sent.count >= 1 })
        }
        let request = try #require(receiver.sent.first)
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        let text = String(decoding: request.body, as: UTF8.self)
        #expect(text.contains(#""pay_status":1"#), "\(text)")
        #expect(text.contains(#""attach":"""#), "\(text)")
        #expect(text.contains(#""actual_amount":"1220.00""#), "\(text)")
        // What a till's gateway makes of it.
        let gateway = AggregatorTill.gateway(baseURL: "http://127.0.0.1:1/aggregator", notifyURL: "http://127.0.0.1:9/n", transport: receiver)
        let verdict = gateway.verifyNotification(IncomingNotification(headers: request.headers, body: request.body))
        guard case .payment(let order, .paid(let confirmation)) = verdict else { Issue.record("\(verdict)"); return }
        #expect(order.rawValue == "S261201180000ABCDEFG")
        #expect(confirmation.amount == AggregatorTill.cny(1220))
    }
}

/// The simulator's orders outlive it in its state file.
@Suite struct AggregatorSandboxStateTests {
    @Test func aNewSimulatorOnTheSameFileKnowsTheOrdersAndTheirTiming() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("AggregatorState-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/sandbox.json"
        let clock = SteppingClock()
        let wall = EndToEndBox(Date(timeIntervalSince1970: 1_764_583_200))
        let first = AggregatorSandbox(clock: clock.checkoutClock, wallClock: { wall.current }, stateFile: file)
        var form = ["appid": AggregatorSandboxAccount.training.appID, "order_no": "S261201180000STATE01", "amount": "1210",
                    "product_name": "Tea", "bank_code": "911", "notify_url": "http://127.0.0.1:9/n", "return_url": "http://127.0.0.1:9/"]
        form["sign"] = AggregatorSignature.sign(form, secret: AggregatorSandboxAccount.training.secret, form: .request)
        _ = await first.handle(SimulatedRequest(endpoint: "api/order/unified",
                                                headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                                body: Array(FormEncoding.encode(form).utf8)))
        #expect(await first.payStatus("S261201180000STATE01") == -1)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        // Another process, 4 s later by the wall clock: the order is there, still paying; the
        // `..10` customer pays 10 s after creation, by either clock.
        wall.update { $0 = $0.addingTimeInterval(4) }
        let second = AggregatorSandbox(clock: SteppingClock().checkoutClock, wallClock: { wall.current }, stateFile: file)
        #expect(await second.payStatus("S261201180000STATE01") == -1)
        #expect(await second.customerPays("S261201180000STATE01"))
        #expect(await AggregatorSandbox(clock: SteppingClock().checkoutClock, stateFile: file).payStatus("S261201180000STATE01") == 1)
    }

    @Test func anUnreadableFileIsMovedAsideAndTheSimulatorStartsEmpty() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("AggregatorState-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/sandbox.json"
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: file))
        let logs = CapturedLogs()
        let sandbox = AggregatorSandbox(clock: SteppingClock().checkoutClock, logger: logs.logger(), stateFile: file)
        #expect(await sandbox.payStatus("S261201180000STATE01") == nil)
        #expect(logs.text.contains("state file unusable"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).contains { $0.hasPrefix("sandbox.json.corrupt-") })
    }
}

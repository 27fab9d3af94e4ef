import Foundation
import HTTPTransport
import Testing

@Suite("CurlTransport over real HTTP on 127.0.0.1", .timeLimit(.minutes(1)))
struct CurlTransportTests {
    @Test func postRoundTripCarriesBodyAndHeaders() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            // Zero bytes and non-ASCII in the body: it must travel byte for byte, not as a C string.
            let body: [UInt8] = Array("{\"total_fee\":1023,\"subject\":\"奶茶\"}".utf8) + [0, 1, 2, 0]
            let response = try await transport.send(HTTPRequest(
                url: server.baseURL + "/echo",
                headers: [(name: "Content-Type", value: "application/json"), (name: "X-Shroff-Test", value: "hello")],
                body: body, timeout: .seconds(5)))
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.headers["x-seen-shroff-test"] == "hello")
            #expect(response.headers["x-seen-content-type"] == "application/json")
            #expect(response.headers["x-seen-method"] == "POST")
            // Names come back lower-cased; repeated fields joined.
            #expect(response.header("X-Multi") == "a, b")
            #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
            #expect(response.headers["content-length"] == String(body.count))
        }
    }

    @Test func emptyPostAndGet() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let empty = try await transport.send(HTTPRequest(url: server.baseURL + "/echo", timeout: .seconds(5)))
            #expect(empty.status == 200)
            #expect(empty.body.isEmpty)
            #expect(empty.headers["x-seen-method"] == "POST")
            // After a POST on the same handle, a GET must not carry the old body or method.
            let get = try await transport.send(HTTPRequest(url: server.baseURL + "/echo", method: "GET", timeout: .seconds(5)))
            #expect(get.status == 200)
            #expect(get.bodyText == "method=GET")
        }
    }

    @Test func serverErrorIsAResponse() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let response = try await transport.send(HTTPRequest(url: server.baseURL + "/fail", body: Array("x".utf8), timeout: .seconds(5)))
            #expect(response.status == 500)
            #expect(response.bodyText == "gateway exploded")
        }
    }

    @Test func refusedConnectionIsCouldNotConnect() async throws {
        try await withRefusingPort { port in
            let transport = try CurlTransport()
            let request = HTTPRequest(url: "http://127.0.0.1:\(port)/pay", body: Array("auth_code=134567890123456789".utf8), timeout: .seconds(5))
            let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
            guard case .couldNotConnect = error else {
                Issue.record("expected couldNotConnect, got \(String(describing: error))")
                return
            }
            #expect(error?.requestMayHaveArrived == false)
            #expect(error?.description.contains("134567890123456789") == false)
        }
    }

    @Test func unknownHostIsCouldNotConnect() async throws {
        let transport = try CurlTransport()
        // The .invalid top-level domain never resolves (RFC 2606), and resolving it stays local.
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: "http://gateway.invalid/pay", timeout: .seconds(5)))
        }
        guard case .couldNotConnect = error else {
            Issue.record("expected couldNotConnect, got \(String(describing: error))")
            return
        }
    }

    @Test func silentServerTimesOutWithinTheRequestTimeout() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let secret = "auth_code=134567890123456789"
            let started = ContinuousClock.now
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/hang", body: Array(secret.utf8), timeout: .seconds(2)))
            }
            let elapsed = ContinuousClock.now - started
            #expect(error == .timedOut)
            #expect(error?.requestMayHaveArrived == true)
            #expect(error?.description.contains("134567890123456789") == false)
            // The 2 s given, not milliseconds or minutes: `/hang` answers only after 60 s. The
            // upper bound leaves a busy machine 8 s to wake the caller.
            #expect(elapsed >= .milliseconds(1900))
            #expect(elapsed < .seconds(10))
            // The handle stays usable after a timeout.
            let next = try await transport.send(HTTPRequest(url: server.baseURL + "/echo", body: [7], timeout: .seconds(5)))
            #expect(next.body == [7])
        }
    }

    @Test func serverWithAHangingHandlerStopsPromptly() async throws {
        let server = try await TestServer.start()
        let transport = try CurlTransport()
        async let answer = try? transport.send(HTTPRequest(url: server.baseURL + "/hang", timeout: .seconds(30)))
        await server.record.waitForHangingRequest()
        let started = ContinuousClock.now
        await server.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        // The client sees the connection go away rather than waiting its 30 s.
        #expect(await answer == nil)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func idempotentRequestsInARowReuseOneConnection() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            for index in 0..<5 {
                let path = index == 2 ? "/fail" : "/echo"
                let response = try await transport.send(HTTPRequest(url: server.baseURL + path, body: [UInt8(index)], timeout: .seconds(5),
                                                                    effect: .idempotent))
                #expect(response.status == (index == 2 ? 500 : 200))
            }
            let ports = server.record.peerPorts
            #expect(ports.count == 5)
            // One client port for all five: curl kept the connection open between requests.
            #expect(Set(ports).count == 1)
        }
    }

    @Test func concurrentSendsAreSerialisedAndEachGetsItsOwnAnswer() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let results = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body = Array("order-\(index)".utf8)
                        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/slow", body: body, timeout: .seconds(10),
                                                                            effect: .idempotent))
                        return (index, response.body)
                    }
                }
                return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
            }
            #expect(results.count == 8)
            for (index, body) in results {
                #expect(body == Array("order-\(index)".utf8))
            }
            #expect(server.record.maxInFlight == 1)
            #expect(Set(server.record.peerPorts).count == 1)
        }
    }

    @Test func oversizedAnswerFails() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/large", timeout: .seconds(5)))
            }
            guard case .failed(let reason) = error else {
                Issue.record("expected failed, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("larger than"))
            #expect(error?.requestMayHaveArrived == true)
        }
    }

    @Test func responseLimitIsExact() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport(maxResponseBytes: 1000)
            let fits = try await transport.send(HTTPRequest(url: server.baseURL + "/echo", body: Array(repeating: 1, count: 1000), timeout: .seconds(5)))
            #expect(fits.body.count == 1000)
            await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/echo", body: Array(repeating: 1, count: 1001), timeout: .seconds(5)))
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let sending = Task {
                try await transport.send(HTTPRequest(url: server.baseURL + "/hang", timeout: .seconds(30)))
            }
            await server.record.waitForHangingRequest()
            let started = ContinuousClock.now
            sending.cancel()
            let result = await sending.result
            #expect(ContinuousClock.now - started < .seconds(5))
            guard case .failure(let error as TransportError) = result, case .failed = error else {
                Issue.record("expected failed after cancelling, got \(result)")
                return
            }
            #expect(error.requestMayHaveArrived)
        }
    }

    @Test func headerWithLineBreakIsRefusedBeforeSending() async throws {
        try await withTestServer { server in
            let transport = try CurlTransport()
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: server.baseURL + "/echo",
                                                     headers: [(name: "Authorization", value: "sk_live_secret\r\nX-Evil: 1")],
                                                     timeout: .seconds(5)))
            }
            #expect(error?.requestMayHaveArrived == false)
            #expect(error?.description.contains("sk_live_secret") == false)
            #expect(server.record.peerPorts.isEmpty)
        }
    }
}

@Suite("CurlTransport and proxies", .serialized)
struct CurlTransportProxyTests {
    @Test func thisMachineIsNeverReachedThroughAProxy() async throws {
        // A proxy that refuses every connection: a request sent through it could only fail.
        try await withRefusingPort { proxyPort in
            try await withTestServer { server in
                setenv("http_proxy", "http://127.0.0.1:\(proxyPort)", 1)
                defer { unsetenv("http_proxy") }
                // A long timeout: what is tested is the route, and a busy machine answers slowly.
                let response = try await CurlTransport().send(HTTPRequest(url: server.baseURL + "/echo", body: Array("x".utf8), timeout: .seconds(30)))
                #expect(response.status == 200)
                #expect(response.bodyText == "x")
            }
        }
    }
}

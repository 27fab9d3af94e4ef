import Foundation
internal import CCurl

/// One libcurl easy handle, reused for every request so curl keeps the connection alive for
/// `.idempotent` requests; a `.changesMoney` request gets a connection of its own.
///
/// Not thread-safe: `CurlTransport` confines it to one serial queue. Frees the handle on deinit.
final class CurlEasyHandle {
    private let handle: UnsafeMutableRawPointer
    /// curl writes a human-readable reason here (CURLOPT_ERRORBUFFER): host and port at most.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init` must run once per process, before any handle exists.
    private static let globalInit: CURLcode = curl_global_init(shroff_curl_global_default)

    init() throws(TransportError) {
        guard Self.globalInit == CURLE_OK else {
            throw .couldNotConnect("libcurl could not initialise: \(Self.reason(Self.globalInit))")
        }
        guard let handle = curl_easy_init() else { throw .couldNotConnect("libcurl could not create a handle") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs `request` to the end, blocking the calling thread. `cancel` aborts it mid-way.
    func perform(_ request: HTTPRequest, maxResponseBytes: Int, cancel: CancelFlag) -> Result<HTTPResponse, TransportError> {
        if cancel.isSet { return .failure(.couldNotConnect("cancelled before sending")) }
        let collector = ResponseCollector(limit: maxResponseBytes)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        do throws(TransportError) {
            try configure(request, collector: collector, cancel: cancel, headerList: &headerList)
        } catch {
            return .failure(error)
        }
        // The collector and flag outlive the transfer: both are retained by this frame.
        let code = withExtendedLifetime((collector, cancel)) { curl_easy_perform(handle) }
        if code != CURLE_OK {
            return .failure(mapError(code, collector: collector, cancel: cancel))
        }
        var status = 0
        _ = shroff_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: collector.headers, body: collector.body))
    }

    // MARK: - Options

    private func configure(_ request: HTTPRequest, collector: ResponseCollector, cancel: CancelFlag,
                           headerList: inout UnsafeMutablePointer<curl_slist>?) throws(TransportError) {
        // Reset clears the previous request's options but keeps live connections and the DNS cache.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try set(shroff_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        // Curl must not raise SIGALRM for timeouts: the process has many threads.
        try set(shroff_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "no signals")
        try set(shroff_curl_setopt_string(handle, CURLOPT_URL, request.url), "URL")
        // This machine is never reached through a proxy ($http_proxy): a loopback server (the
        // sandbox, the notify server) would otherwise be asked for by a machine elsewhere.
        if HTTPRequest.isLoopback(request.url) {
            try set(shroff_curl_setopt_string(handle, CURLOPT_NOPROXY, "*"), "no proxy")
        }
        try set(shroff_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try set(shroff_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), "redirects")
        if request.effect == .changesMoney {
            // When a reused connection dies after the request went out and before any answer,
            // libcurl sends the request again on a new one by itself, POST included, and this
            // libcurl has no option to forbid it. It never does so on a connection it has just
            // opened. The connection is closed afterwards, so the pool keeps only the one that
            // idempotent requests share.
            try set(shroff_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1), "fresh connection")
            try set(shroff_curl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1), "no reuse")
        }

        let total = Self.milliseconds(request.timeout)
        try set(shroff_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, total), "timeout")
        try set(shroff_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS,
                                        min(total, Self.milliseconds(request.connectTimeout))), "connect timeout")

        try setMethod(request)
        headerList = try makeHeaderList(request.headers)
        try set(shroff_curl_setopt_headers(handle, headerList), "headers")

        let collectorPointer = Unmanaged.passUnretained(collector).toOpaque()
        try set(shroff_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlCollectBody), "body callback")
        try set(shroff_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, collectorPointer), "body callback data")
        try set(shroff_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlCollectHeader), "header callback")
        try set(shroff_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, collectorPointer), "header callback data")

        try set(shroff_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0), "progress")
        try set(shroff_curl_setopt_xferinfo_function(handle, curlCheckCancel), "cancel callback")
        try set(shroff_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA,
                                           Unmanaged.passUnretained(cancel).toOpaque()), "cancel callback data")
    }

    private func setMethod(_ request: HTTPRequest) throws(TransportError) {
        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            try set(shroff_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case "HEAD":
            try set(shroff_curl_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
        default:
            try set(shroff_curl_setopt_long(handle, CURLOPT_POST, 1), "POST")
            // The size first: COPYPOSTFIELDS copies exactly that many bytes (bodies may hold zeros).
            try set(shroff_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "body size")
            let copied = request.body.withUnsafeBufferPointer { buffer -> CURLcode in
                // An empty body still needs a valid pointer, or curl would read it as a C string.
                var empty: CChar = 0
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return shroff_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, &empty)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    shroff_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, $0)
                }
            }
            try set(copied, "body")
            if method != "POST" {
                try set(shroff_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "method")
            }
        }
    }

    private func makeHeaderList(_ headers: [(name: String, value: String)]) throws(TransportError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        var names = Set<String>()
        for (name, value) in headers {
            // A line break would let a value smuggle extra header lines into the request.
            guard !name.isEmpty, !name.contains(where: { $0 == ":" || $0.isNewline || $0 == " " }),
                  !value.contains(where: \.isNewline) else {
                curl_slist_free_all(list)
                throw .couldNotConnect("header \"\(name.filter { !$0.isNewline })\" is malformed")
            }
            names.insert(name.lowercased())
            // "Name;" is curl's way to send a header with an empty value.
            let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .couldNotConnect("out of memory building headers")
            }
            list = appended
        }
        // curl would otherwise wait for "100 Continue" before sending a large body: a wasted round trip.
        if !names.contains("expect"), let appended = curl_slist_append(list, "Expect:") { list = appended }
        return list
    }

    private func set(_ code: CURLcode, _ what: String) throws(TransportError) {
        guard code == CURLE_OK else {
            throw .couldNotConnect("libcurl refused the \(what) option: \(Self.reason(code))")
        }
    }

    // MARK: - Errors

    private func mapError(_ code: CURLcode, collector: ResponseCollector, cancel: CancelFlag) -> TransportError {
        if collector.overflowed {
            return .failed("the answer was larger than \(collector.limit) bytes")
        }
        if code == CURLE_ABORTED_BY_CALLBACK && cancel.isSet {
            return .failed("cancelled while the request was in flight")
        }
        let reason = errorBuffer[0] != 0 ? String(cString: errorBuffer) : Self.reason(code)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // Also raised when connecting timed out; reported as "may have arrived" to stay safe.
            return .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
             CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            // All of these fail before a byte of the request is written.
            return .couldNotConnect(reason)
        default:
            return .failed(reason)
        }
    }

    private static func reason(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    /// Whole milliseconds, at least 1: curl reads 0 as "no timeout at all".
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 1 }
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return Int.max }
        return max(1, Int(millis.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}

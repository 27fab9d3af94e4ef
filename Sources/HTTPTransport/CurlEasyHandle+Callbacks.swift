internal import CCurl
import Synchronization

/// Set when the awaiting task is cancelled; the transfer's progress callback then aborts it.
final class CancelFlag: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// Gathers one response's body and headers from curl's callbacks, on the transfer's thread.
final class ResponseCollector {
    let limit: Int
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        // Trim CR and LF as bytes: in a Swift String "\r\n" is one Character.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0D || bytes[end - 1] == 0x0A { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line (after "100 Continue" or a redirect) starts a new header block.
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingSpaces()
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingSpaces() -> String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(self[first...last])
    }
}

// MARK: - Callbacks (C function pointers: no captures; state arrives as user data)

let curlCollectBody: curl_write_callback = { data, size, count, userData in
    guard let userData else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    guard collector.body.count + length <= collector.limit else {
        collector.overflowed = true
        return 0  // Anything but `length` makes curl stop with CURLE_WRITE_ERROR.
    }
    if let data, length > 0 {
        collector.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    }
    return length
}

let curlCollectHeader: curl_write_callback = { data, size, count, userData in
    guard let userData else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    if let data { collector.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

let curlCheckCancel: curl_xferinfo_callback = { userData, _, _, _, _ in
    guard let userData else { return 0 }
    return Unmanaged<CancelFlag>.fromOpaque(userData).takeUnretainedValue().isSet ? 1 : 0
}

import Foundation

/// A JSON value as Wantu sends it. Wantu mixes `"return_code": 200` and `"200"`, and
/// `"total_fee": 100` and `"100"`, so values are kept as typed here and turned into the
/// text that is signed by one rule (`signingText`) on both sides of the wire.
public enum WantuJSON: Sendable, Equatable, Codable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
    case array([WantuJSON])
    case object([String: WantuJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([WantuJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: WantuJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The text this value contributes to a signature; nil for null, which is left out like an
    /// empty value. Numbers print in their shortest form (100, 0.1); lists and objects as
    /// compact JSON with sorted keys. Wantu documents only flat parameters: the rule for
    /// nested values is ours and the sandbox follows it.
    public var signingText: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): value ? "true" : "false"
        case .null: nil
        case .array, .object: WantuWire.compactJSON(self)
        }
    }

    /// The value as a string, when it is a string or a number.
    public var text: String? {
        switch self {
        case .string, .integer, .number, .bool: signingText
        default: nil
        }
    }
}

/// Encoding and decoding of Wantu's JSON bodies.
public enum WantuWire {
    /// A request body: every parameter a JSON string, keys sorted, as Wantu's examples show.
    public static func encodeRequest(_ parameters: [String: String]) -> [UInt8] {
        compactJSONBytes(.object(parameters.mapValues { .string($0) }))
    }

    /// Reads a JSON object; nil when the bytes are not one (an HTML error page, a truncated body),
    /// are not UTF-8, or name a key twice in one object.
    public static func decodeObject(_ bytes: [UInt8]) -> [String: WantuJSON]? {
        guard isUnambiguous(bytes), case .object(let object)? = try? JSONDecoder().decode(WantuJSON.self, from: Data(bytes)) else { return nil }
        return object
    }

    /// The parameters of a decoded object as they are signed (nulls and empties dropped by the signer).
    public static func signingParameters(_ object: [String: WantuJSON]) -> [String: String] {
        object.compactMapValues(\.signingText)
    }

    static func compactJSONBytes(_ value: WantuJSON) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("null".utf8))
    }

    static func compactJSON(_ value: WantuJSON) -> String {
        String(decoding: compactJSONBytes(value), as: UTF8.self)
    }
}

extension WantuWire {
    /// True when `bytes` are valid UTF-8 and no JSON object in them names a key twice.
    ///
    /// Why: parsers disagree on which of two equal keys wins, so a signature checked over one
    /// value could vouch for another. Only the structure is scanned here; `decodeObject`
    /// parses the values.
    static func isUnambiguous(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        var objects: [Set<[UInt8]>?] = []  // one entry per open brace or bracket; nil for arrays
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                objects.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !objects.isEmpty else { return false }
                objects.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard end < bytes.count else { return false }
                if expectingKey, let last = objects.indices.last, var keys = objects[last] {
                    // Escapes are compared as written: "a" and "\u0061" count as different here,
                    // and the decoder would read them as one; refuse escaped keys outright.
                    let key = Array(bytes[(index + 1)..<end])
                    guard !key.contains(UInt8(ascii: "\\")), keys.insert(key).inserted else { return false }
                    objects[last] = keys
                    expectingKey = false
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return objects.isEmpty
    }
}

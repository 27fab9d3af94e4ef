/// Why a text could not become a QR code. Descriptions give sizes only, never the text
/// (a payment link is short-lived but still identifies an order).
public enum QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is nothing to encode.
    case empty
    /// The text holds a NUL character, which the encoder cannot take.
    case containsNul
    /// The text is longer than the largest QR code holds at this error-correction level.
    case tooLong(bytes: Int)
    /// libqrencode failed for another reason (its errno).
    case encoderFailed(errno: Int32)

    public var description: String {
        switch self {
        case .empty: "There is no text to show as a QR code."
        case .containsNul: "The QR code text contains a NUL character."
        case .tooLong(let bytes): "The QR code text is too long (\(bytes) bytes)."
        case .encoderFailed(let code): "The QR code could not be made (libqrencode errno \(code))."
        }
    }
}

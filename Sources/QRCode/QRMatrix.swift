internal import CQRencode
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A QR code as a square of dark and light modules, ready to draw. A plain value: the C
/// encoder's memory is copied out and freed as soon as the code is made.
public struct QRMatrix: Sendable, Equatable {
    /// How much of the code may be damaged and still read. Higher levels make larger codes.
    public enum ErrorCorrection: Sendable, CaseIterable {
        /// About 7 % of the code may be lost.
        case low
        /// About 15 %: the level wallets' own codes use.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// Modules per side (21 for version 1, +4 per version).
    public let width: Int
    /// The QR version (1...40) the encoder chose: the smallest that holds the text.
    public let version: Int
    /// Row-major, `width * width` entries, `true` for dark.
    private let modules: [Bool]

    private init(width: Int, version: Int, modules: [Bool]) {
        self.width = width
        self.version = version
        self.modules = modules
    }

    /// Encodes `text`'s UTF-8 bytes in 8-bit mode, case preserved, at the smallest version that fits.
    public static func encode(_ text: String, level: ErrorCorrection = .medium) throws(QRCodeError) -> QRMatrix {
        guard !text.isEmpty else { throw .empty }
        guard !text.utf8.contains(0) else { throw .containsNul }
        errno = 0
        guard let code = QRcode_encodeString(text, 0, level.level, QR_MODE_8, 1) else {
            throw errno == ERANGE ? .tooLong(bytes: text.utf8.count) : .encoderFailed(errno: errno)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let count = width * width
        // Bit 0 of each byte is the module's colour; the other bits describe its role.
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: count).map { $0 & 1 == 1 }
        return QRMatrix(width: width, version: Int(code.pointee.version), modules: modules)
    }

    /// Whether the module at column `x`, row `y` is dark. Outside the code (the quiet zone) is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<width).contains(x), (0..<width).contains(y) else { return false }
        return modules[y * width + x]
    }
}

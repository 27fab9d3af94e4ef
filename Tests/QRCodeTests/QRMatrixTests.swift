import QRCode
import TestSupport
import Testing

@Suite("QR codes: encoding, terminal drawing, and a real decode")
struct QRMatrixTests {
    /// A 60-character link: 60 bytes fit version 4-M (62 bytes in 8-bit mode) but not 3-M (42).
    static let sixtyCharURL = "https://qr.alipay.com/bax01234567890abcdefghijklmnopqrstuvwx"

    static let wechatPayload = "weixin://wxpay/bizpayurl?pr=Ab3dEfGhIjk"
    static let alipayPayload = "https://qr.alipay.com/bax08431uhxsapfuy8wk0012"

    /// Turns half-block lines back into module rows, dropping the quiet zone: the reverse of
    /// `halfBlockRows`, so a decode proves the lines themselves are right.
    /// With `ink: .light` the glyphs are the light modules: a cell's dark modules are the rest.
    static func modules(fromHalfBlocks lines: [String], margin: Int, width: Int, ink: QRInk = .dark) -> [[Bool]] {
        var grid: [[Bool]] = []
        for line in lines {
            var upper: [Bool] = [], lower: [Bool] = []
            for scalar in line.unicodeScalars {
                upper.append((scalar == "\u{2580}" || scalar == "\u{2588}") == (ink == .dark))
                lower.append((scalar == "\u{2584}" || scalar == "\u{2588}") == (ink == .dark))
            }
            grid.append(upper)
            grid.append(lower)
        }
        return grid[margin..<(margin + width)].map { Array($0[margin..<(margin + width)]) }
    }

    @Test func sixtyCharacterURLIsVersion4() throws {
        #expect(Self.sixtyCharURL.count == 60)
        let matrix = try QRMatrix.encode(Self.sixtyCharURL, level: .medium)
        #expect(matrix.version == 4)
        #expect(matrix.width == 33)
    }

    @Test func halfBlockSizeWithMarginTwo() throws {
        let matrix = try QRMatrix.encode(Self.sixtyCharURL)
        let lines = matrix.halfBlockRows(margin: 2)
        #expect(lines.count == 19)
        #expect(lines.allSatisfy { $0.unicodeScalars.count == 37 })
    }

    @Test func oddMarginIsRoundedUpToEven() throws {
        let matrix = try QRMatrix.encode("shroff")
        #expect(matrix.width == 21)
        #expect(matrix.halfBlockRows(margin: 3) == matrix.halfBlockRows(margin: 4))
        #expect(matrix.halfBlockRows(margin: 4).first?.unicodeScalars.count == 29)
        #expect(matrix.halfBlockRows(margin: 0).count == 11)
    }

    @Test func quietZoneIsBlankAndFinderPatternIsDark() throws {
        let matrix = try QRMatrix.encode(Self.wechatPayload)
        let lines = matrix.halfBlockRows(margin: 2)
        // The first line is the top quiet zone: two light module rows.
        #expect(lines[0].allSatisfy { $0 == " " })
        // The top-left finder pattern starts with 7 dark modules on code row 0 (line 1, upper half).
        let line1 = Array(lines[1].unicodeScalars)
        #expect(line1[0] == " " && line1[1] == " ")
        #expect(line1[2..<9].allSatisfy { $0 == "\u{2588}" || $0 == "\u{2580}" })
        #expect(matrix.isDark(x: 0, y: 0))
        #expect(!matrix.isDark(x: -1, y: 0))
        #expect(!matrix.isDark(x: matrix.width, y: 0))
    }

    @Test func caseIsPreserved() throws {
        // Case-insensitive encoding would upper-case the text and change the payment link.
        let lower = try QRMatrix.encode("https://qr.alipay.com/abc")
        let upper = try QRMatrix.encode("https://qr.alipay.com/ABC")
        #expect(lower != upper)
    }

    @Test(arguments: [wechatPayload, alipayPayload, sixtyCharURL])
    func terminalDrawingDecodesToTheSameText(payload: String) throws {
        let matrix = try QRMatrix.encode(payload)
        let lines = matrix.halfBlockRows(margin: 2)
        let modules = Self.modules(fromHalfBlocks: lines, margin: 2, width: matrix.width)
        #expect(modules.count == matrix.width)
        let decoded = try ZBar.decode(modules: modules)
        #expect(decoded == payload)
    }

    @Test(arguments: [wechatPayload, alipayPayload])
    func lightInkDrawsTheSameCodeFromTheOtherModules(payload: String) throws {
        let matrix = try QRMatrix.encode(payload)
        let dark = matrix.halfBlockRows(margin: 2, ink: .dark)
        let light = matrix.halfBlockRows(margin: 2, ink: .light)
        #expect(light.count == dark.count)
        // The quiet zone is all light: a full row of █ when the light modules are inked.
        #expect(light[0].allSatisfy { $0 == "\u{2588}" })
        let modules = Self.modules(fromHalfBlocks: light, margin: 2, width: matrix.width, ink: .light)
        #expect(modules == Self.modules(fromHalfBlocks: dark, margin: 2, width: matrix.width, ink: .dark))
        #expect(try ZBar.decode(modules: modules) == payload)
    }

    @Test func everyLevelDecodes() throws {
        for level in QRMatrix.ErrorCorrection.allCases {
            let matrix = try QRMatrix.encode(Self.alipayPayload, level: level)
            let modules = Self.modules(fromHalfBlocks: matrix.halfBlockRows(margin: 4), margin: 4, width: matrix.width)
            #expect(try ZBar.decode(modules: modules) == Self.alipayPayload)
        }
    }

    @Test func emptyAndNulTextAreRefused() {
        #expect(throws: QRCodeError.empty) { try QRMatrix.encode("") }
        #expect(throws: QRCodeError.containsNul) { try QRMatrix.encode("a\u{0}b") }
    }

    @Test func tooLongTextIsATypedError() {
        // Version 40 at level H holds 1,273 bytes.
        let text = String(repeating: "x", count: 1_300)
        #expect(throws: QRCodeError.tooLong(bytes: 1_300)) { try QRMatrix.encode(text, level: .high) }
    }
}

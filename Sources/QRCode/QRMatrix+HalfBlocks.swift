extension QRMatrix {
    /// The code as lines of text for a terminal, two module rows per line: ▀ (upper dark),
    /// ▄ (lower dark), █ (both) and space (neither), one column per module.
    ///
    /// The glyphs' ink is the dark module, so draw the lines dark-on-light (black foreground on a
    /// white background); on a light-on-dark terminal the code comes out inverted and many
    /// phones will not read it. `margin` is the quiet zone in modules on every side, rounded up
    /// to an even number (scanners need at least 2; 4 is the standard); negative counts as 0.
    /// A code of width w gives w + 2·margin columns and (w + 2·margin + 1) / 2 lines.
    public func halfBlockRows(margin: Int = 2) -> [String] {
        let quiet = max(0, margin + (margin & 1))
        let side = width + 2 * quiet
        var lines: [String] = []
        lines.reserveCapacity((side + 1) / 2)
        var y = 0
        while y < side {
            var line = ""
            line.unicodeScalars.reserveCapacity(side)
            for x in 0..<side {
                let upper = isDark(x: x - quiet, y: y - quiet)
                let lower = isDark(x: x - quiet, y: y + 1 - quiet)
                let glyph: Unicode.Scalar = switch (upper, lower) {
                case (true, true): "\u{2588}"   // █
                case (true, false): "\u{2580}"  // ▀
                case (false, true): "\u{2584}"  // ▄
                case (false, false): " "
                }
                line.unicodeScalars.append(glyph)
            }
            lines.append(line)
            y += 2
        }
        return lines
    }
}

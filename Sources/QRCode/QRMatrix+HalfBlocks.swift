/// Which modules a half-block drawing inks with its glyphs.
public enum QRInk: Sendable {
    /// The glyphs are the dark modules: draw them in the terminal's own foreground, for a
    /// terminal without colour (or a file).
    case dark
    /// The glyphs are the light modules: draw them white on a black background. A terminal
    /// emulator's font often leaves thin gaps between text rows; this way the gaps fall inside
    /// light modules as dark hairlines, which scanners ignore, instead of striping every dark
    /// module light (which they do not). Dark modules are the background, gap-free.
    case light
}

extension QRMatrix {
    /// The code as lines of text for a terminal, two module rows per line: ▀ (upper inked),
    /// ▄ (lower inked), █ (both) and space (neither), one column per module; `ink` says
    /// whether the glyphs stand for the dark modules or the light ones.
    ///
    /// With `.dark`, draw the lines dark-on-light (black foreground on a white background); on a
    /// light-on-dark terminal the code comes out inverted and many phones will not read it.
    /// With `.light`, draw them white on black. `margin` is the quiet zone in modules on every
    /// side, rounded up to an even number (scanners need at least 2; 4 is the standard);
    /// negative counts as 0. A code of width w gives w + 2·margin columns and
    /// (w + 2·margin + 1) / 2 lines.
    public func halfBlockRows(margin: Int = 2, ink: QRInk = .dark) -> [String] {
        let quiet = max(0, margin + (margin & 1))
        let side = width + 2 * quiet
        var lines: [String] = []
        lines.reserveCapacity((side + 1) / 2)
        var y = 0
        while y < side {
            var line = ""
            line.unicodeScalars.reserveCapacity(side)
            for x in 0..<side {
                // Outside the code (the quiet zone, and the half row past an odd side) is light.
                let upper = isDark(x: x - quiet, y: y - quiet) == (ink == .dark)
                let lower = isDark(x: x - quiet, y: y + 1 - quiet) == (ink == .dark)
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

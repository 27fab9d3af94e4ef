internal import CNcursesw

extension CursesScreen {
    /// Colour pair numbers, one per coloured style. Pair 0 is the terminal's default colours.
    private enum Pair: Int16 {
        case title = 1, training, ok, warning, alert, qr, footer
    }

    static func definePairs() {
        // -1 is "the terminal's own colour", so plain text keeps the user's theme.
        let useDefault = use_default_colors() == OK
        let background: Int16 = useDefault ? -1 : Int16(COLOR_BLACK)
        init_pair(Pair.title.rawValue, Int16(COLOR_WHITE), Int16(COLOR_BLUE))
        init_pair(Pair.training.rawValue, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        init_pair(Pair.ok.rawValue, Int16(COLOR_GREEN), background)
        init_pair(Pair.warning.rawValue, Int16(COLOR_YELLOW), background)
        init_pair(Pair.alert.rawValue, Int16(COLOR_WHITE), Int16(COLOR_RED))
        // The glyphs are the light modules, white on black, whatever the theme (`QRInk.light`):
        // the black background fills whole cells, so the font's gaps never stripe a dark module.
        init_pair(Pair.qr.rawValue, Int16(COLOR_WHITE), Int16(COLOR_BLACK))
        init_pair(Pair.footer.rawValue, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
    }

    /// Attributes and colour pair for a style. Without colour, each style that carries meaning
    /// keeps a distinct look in bold, reverse or underline alone.
    static func attributes(for style: Style, colour: Bool) -> (attributes: attr_t, pair: Int16) {
        let bold = shroff_attr_bold(), reverse = shroff_attr_reverse()
        let underline = shroff_attr_underline(), dim = shroff_attr_dim(), normal = shroff_attr_normal()
        switch style {
        case .normal: return (normal, 0)
        case .bold: return (bold, 0)
        case .dim: return (dim, 0)
        case .reverse: return (reverse, 0)
        case .title: return colour ? (bold, Pair.title.rawValue) : (bold | underline, 0)
        case .training: return colour ? (bold, Pair.training.rawValue) : (bold | reverse, 0)
        case .ok: return colour ? (bold, Pair.ok.rawValue) : (bold, 0)
        case .warning: return colour ? (bold, Pair.warning.rawValue) : (bold | underline, 0)
        case .alert: return colour ? (bold, Pair.alert.rawValue) : (bold | reverse, 0)
        // Without colour the terminal's own foreground draws the dark modules.
        // Bold makes the white bright on terminals with 8 colours, for contrast.
        case .qr: return colour ? (bold, Pair.qr.rawValue) : (normal, 0)
        case .footer: return colour ? (normal, Pair.footer.rawValue) : (reverse, 0)
        }
    }

    func apply(_ style: Style) {
        let (attributes, pair) = CursesScreen.attributes(for: style, colour: colour)
        _ = shroff_set_attributes(window, attributes, pair)
    }
}

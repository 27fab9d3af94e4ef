/// Which rows of a frame must be written to the terminal, given the frame already on it.
///
/// The till redraws after every event (each key, each tick); rewriting only the rows that
/// changed keeps that cheap and keeps a slow terminal (a serial console, ssh) from flickering.
enum FrameDiff {
    /// Every row index of `next` whose spans differ from `previous`; all rows when nothing is
    /// known to be on screen (first draw, after a resize, after a forced repaint) or when the
    /// sizes differ. Rows past the end of `previous` always count as changed.
    static func rowsToRewrite(from previous: Frame?, to next: Frame) -> [Int] {
        guard let previous, previous.size == next.size else { return Array(next.rows.indices) }
        return next.rows.indices.filter { row in
            row >= previous.rows.count || previous.rows[row] != next.rows[row]
        }
    }
}

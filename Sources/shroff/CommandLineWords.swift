/// The command line as argument-parser should see it.
enum CommandLineWords {
    /// `--name=value` split into `--name` and `value` by Unicode scalars, before the parser sees
    /// it, when the "=" is hidden inside a Character.
    ///
    /// Why: the parser splits on the Character "=", and a value that starts with a combining
    /// mark (`--subject=́…`) fuses with the "=" into one Character, so the whole word was taken
    /// for an unknown option. Any UTF-8 text must be accepted as a value.
    static func splittingOptionValues(_ words: [String]) -> [String] {
        var result: [String] = []
        var afterTerminator = false
        for word in words {
            if afterTerminator || word == "--" || !word.hasPrefix("--") {
                afterTerminator = afterTerminator || word == "--"
                result.append(word)
                continue
            }
            // Only where the parser cannot see the "=" itself; `--reason=-x` stays one word.
            let scalars = word.unicodeScalars
            guard !word.contains("="), let equals = scalars.firstIndex(of: "=") else {
                result.append(word)
                continue
            }
            result.append(String(scalars[..<equals]))
            result.append(String(scalars[scalars.index(after: equals)...]))
        }
        return result
    }
}

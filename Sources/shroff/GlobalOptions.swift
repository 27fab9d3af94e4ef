import ArgumentParser

/// Options every till command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file (default: $SHROFF_CONFIG, then ~/.config/shroff/config.toml; none: training mode).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The language for this run: en, zh-Hant or zh-Hans (default: [store] language, then the locale).", valueName: "code"))
    var language: String?

    @Flag(name: .long, help: "Print one JSON object instead of lines for a person.")
    var json = false

    @Flag(name: .long, help: "Log gateway requests and answers (never keys or full payment codes) to standard error.")
    var verbose = false
}

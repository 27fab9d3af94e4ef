import ArgumentParser
import Foundation
import Words

/// `shroff`: a till for WeChat Pay and Alipay. Subcommands take payments, look after orders
/// and serve the training sandbox; every one prints a line for a person, or one JSON object
/// with `--json`, and exits with a documented code (`ExitStatus`).
@main
struct Shroff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shroff",
        abstract: "A terminal point-of-sale for WeChat Pay and Alipay.",
        discussion: """
            With no configuration file, shroff runs in TRAINING mode against a sandbox started \
            inside the process: no real money moves. Amounts ending in .01–.09 choose sandbox \
            scenarios (see `shroff sandbox --help`).

            Exit codes: 0 paid or done, 1 usage or configuration error, 2 declined or failed, \
            3 cancelled or expired, 4 outcome unknown or needs attention.
            """,
        subcommands: [PayCommand.self, QRCommand.self, StatusCommand.self, CancelCommand.self, RefundCommand.self,
                      OrdersCommand.self, DayReportCommand.self, ReconcileCommand.self, RateCommand.self, StoreQRCommand.self, SetPINCommand.self,
                      SandboxCommand.self, NotifyServerCommand.self, InfoCommand.self, ScannersCommand.self, TillScreenCommand.self, LedgerCommand.self],
        defaultSubcommand: TillScreenCommand.self)

    /// Runs the command and maps every ending to a documented exit code: argument errors
    /// exit 1 (not ArgumentParser's 64), results exit with their own code.
    static func main() async {
        if let missing = Words.missingCatalogs {
            FileHandle.standardError.write(Data((missing + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        do {
            var command = try parseAsRoot(CommandLineWords.splittingOptionValues(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.done.rawValue)
        } catch let status as ExitStatus {
            Foundation.exit(status.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(ExitStatus.done.rawValue)
            }
            let message = (error as? ShroffFailure)?.description ?? fullMessage(for: error)
            if CommandLine.arguments.contains("--json") {
                print(JSONValue.object(["error": .string(message), "exit_code": .int(Int64(ExitStatus.usage.rawValue))]).rendered)
            } else {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

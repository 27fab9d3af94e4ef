import Foundation
import Testing
import TestSupport

/// `Assets/postgresql-setup.sh` run against a real server, as a shop's owner runs it on theirs:
/// what it makes, that running it again changes nothing, and that a bad password changes nothing.
@Suite("PostgreSQL set-up script", .serialized)
struct PostgresSetupScriptTests {
    let server: PostgresServer
    let suffix = UUID().uuidString.prefix(8).lowercased()
    var role: String { "till_\(suffix)" }
    var database: String { "shop_\(suffix)" }
    static let password = "correct-horse-battery-staple"

    init() throws {
        server = try PostgresServer.shared()
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Assets/postgresql-setup.sh").path
    }

    /// Runs the script as the server's superuser, with `input` on standard input.
    func setUp(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.script] + arguments
        process.environment = [
            "PATH": server.binaries + ":/usr/bin:/bin", "PGHOST": "127.0.0.1", "PGPORT": "\(server.port)",
            "PGUSER": PostgresServer.user, "PGPASSWORD": PostgresServer.password,
        ]
        // From a file, not a pipe: a run refused before it reads its input would leave a pipe's
        // writer to die of SIGPIPE.
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("shroff-setup-\(UUID().uuidString)").path
        try input.write(toFile: inputPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let output = Pipe()
        process.standardInput = try #require(FileHandle(forReadingAtPath: inputPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    @Test func makesARoleWithAScramPasswordADatabaseItAloneUsesAndOneRuleForItsNetwork() throws {
        let arguments = ["--network", "127.0.0.1/32", "--role", role, "--database", database, "--no-tls"]
        let first = try setUp(arguments, input: Self.password + "\n")
        #expect(first.status == 0, "\(first.output)")
        #expect(!first.output.contains(Self.password), "\(first.output)")

        // Only the SCRAM hash is stored; the database is the role's, closed to everyone else.
        #expect(try server.sql("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AND NOT rolsuper FROM pg_authid WHERE rolname = '\(role)'") == "t")
        #expect(try server.sql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(database)'") == role)
        #expect(try server.sql("SELECT has_database_privilege('public', '\(database)', 'CONNECT')") == "f")
        // The server itself reads the rule as written.
        let rule = "host|{\(database)}|{\(role)}|127.0.0.1|scram-sha-256"
        let rules = try server.sql("SELECT type, database, user_name, address, auth_method FROM pg_hba_file_rules WHERE error IS NULL")
        #expect(rules.split(separator: "\n").filter { $0 == rule }.count == 1, "\(rules)")
        // The role gets in with the password.
        let login = Process()
        login.executableURL = URL(fileURLWithPath: server.binaries + "/psql")
        login.arguments = ["-X", "-A", "-t", "-h", "127.0.0.1", "-p", "\(server.port)", "-U", role, "-d", database, "-c", "SELECT current_user"]
        login.environment = ["PGPASSWORD": Self.password]
        let answer = Pipe()
        login.standardOutput = answer
        try login.run()
        let said = String(decoding: answer.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        login.waitUntilExit()
        #expect(login.terminationStatus == 0 && said.trimmingCharacters(in: .whitespacesAndNewlines) == role, "\(said)")

        // Again: nothing more.
        let second = try setUp(arguments, input: Self.password + "\n")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("already lets \(role) in"), "\(second.output)")
        let again = try server.sql("SELECT type, database, user_name, address, auth_method FROM pg_hba_file_rules WHERE error IS NULL")
        #expect(again.split(separator: "\n").filter { $0 == rule }.count == 1, "\(again)")
    }

    @Test(arguments: [
        (["--network", "127.0.0.1/32"], "short", "at least 12 characters"),
        (["--network", "10.0.0.0"], "correct-horse-battery-staple", "not a CIDR block"),
        ([], "correct-horse-battery-staple", "--network"),
        (["--network", "127.0.0.1/32", "--role", "x; DROP TABLE orders"], "correct-horse-battery-staple", "not a plain name"),
    ])
    func badInputIsRefusedAndMakesNothing(arguments: [String], password: String, says: String) throws {
        let refused = try setUp(arguments + ["--database", database, "--no-tls"], input: password + "\n")
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains(says), "\(refused.output)")
        #expect(try server.sql("SELECT count(*) FROM pg_database WHERE datname = '\(database)'") == "0")
    }
}

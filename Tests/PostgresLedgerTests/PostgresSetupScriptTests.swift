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

    init() async throws {
        server = try await PostgresServer.shared()
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
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    /// Logs in as `role` over TCP with `password`; the name psql printed, or nil when refused.
    func login(as role: String, password: String, database: String) throws -> String? {
        let login = Process()
        login.executableURL = URL(fileURLWithPath: server.binaries + "/psql")
        login.arguments = ["-X", "-A", "-t", "-h", "127.0.0.1", "-p", "\(server.port)", "-U", role, "-d", database, "-c", "SELECT current_user"]
        login.environment = ["PGPASSWORD": password]
        let answer = Pipe()
        login.standardOutput = answer
        login.standardError = FileHandle.nullDevice
        try login.run()
        let said = String(decoding: answer.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        login.waitUntilExit()
        return login.terminationStatus == 0 ? said.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// The server's own reading of pg_hba.conf: `line|type|database|user|address|method`, in order.
    func rules() throws -> [String] {
        try server.sql("SELECT line_number, type, database, user_name, address, auth_method FROM pg_hba_file_rules WHERE error IS NULL ORDER BY line_number")
            .split(separator: "\n").map(String.init)
    }

    @Test func makesARoleWithAScramVerifierADatabaseItAloneUsesAndARuleBeforeAllOthers() throws {
        let arguments = ["--network", "127.0.0.1/32", "--role", role, "--database", database, "--no-tls"]
        // A password file written on Windows: the tills drop the \r, and so does the script.
        let first = try setUp(arguments, input: Self.password + "\r\n")
        #expect(first.status == 0, "\(first.output)")
        #expect(!first.output.contains(Self.password), "\(first.output)")

        // Only the SCRAM verifier is stored; the database is the role's, closed to everyone else.
        #expect(try server.sql("SELECT rolpassword LIKE 'SCRAM-SHA-256$4096:%' AND NOT rolsuper FROM pg_authid WHERE rolname = '\(role)'") == "t")
        #expect(try server.sql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(database)'") == role)
        #expect(try server.sql("SELECT has_database_privilege('public', '\(database)', 'CONNECT')") == "f")
        // The server reads the rule as written, and it comes before every other rule.
        let ours = "host|{\(database)}|{\(role)}|127.0.0.1|scram-sha-256"
        let all = try rules()
        #expect(all.filter { $0.hasSuffix("|" + ours) }.count == 1, "\(all)")
        #expect(all.first?.hasSuffix("|" + ours) == true, "\(all)")
        // The role gets in with its password, and not with another.
        #expect(try login(as: role, password: Self.password, database: database) == role)
        #expect(try login(as: role, password: Self.password + "x", database: database) == nil)

        // Again: nothing more.
        let second = try setUp(arguments, input: Self.password + "\n")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("already lets \(role) in"), "\(second.output)")
        #expect(try rules().filter { $0.hasSuffix("|" + ours) }.count == 1)
    }

    /// The tests' server takes no TLS: the shop's network, which needs it, is refused before
    /// anything is made, rather than left with a rule that can never let a till in.
    @Test func theShopsNetworkOnAServerWithoutTLSIsRefusedBeforeAnythingIsMade() throws {
        let before = try rules()
        let run = try setUp(["--network", "10.9.8.0/24", "--role", role, "--database", database], input: Self.password + "\n")
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("ssl = on"), "\(run.output)")
        #expect(try rules() == before)
        #expect(try server.sql("SELECT count(*) FROM pg_roles WHERE rolname = '\(role)'") == "0")
    }

    @Test func aSuperuserOrADatabaseOfAnotherOwnerIsRefusedAndNothingChanges() throws {
        let before = try rules()
        let superuser = try setUp(["--network", "127.0.0.1/32", "--role", PostgresServer.user, "--database", database, "--no-tls"],
                                  input: Self.password + "\n")
        #expect(superuser.status == 1 && superuser.output.contains("is a superuser"), "\(superuser.output)")
        let theirs = try server.makeDatabase()
        let taken = try setUp(["--network", "127.0.0.1/32", "--role", role, "--database", theirs, "--no-tls"], input: Self.password + "\n")
        #expect(taken.status == 1 && taken.output.contains("belongs to \(PostgresServer.user)"), "\(taken.output)")
        #expect(try server.sql("SELECT count(*) FROM pg_roles WHERE rolname = '\(role)'") == "0")
        #expect(try rules() == before)
    }

    @Test(arguments: [
        (["--network", "127.0.0.1/32"], "short", "at least 12 characters"),
        (["--network", "127.0.0.1/32"], "correct horse battery", "printable ASCII"),
        (["--network", "10.0.0.0"], "correct-horse-battery-staple", "not a CIDR block"),
        (["--network", "10.0.0.0/24"], "correct-horse-battery-staple", "only for loopback"),
        ([], "correct-horse-battery-staple", "--network"),
        (["--network", "127.0.0.1/32", "--role", "x; DROP TABLE orders"], "correct-horse-battery-staple", "not a plain name"),
        (["--network", "127.0.0.1/32", "--role", "all"], "correct-horse-battery-staple", "keeps for itself"),
        (["--network", "127.0.0.1/32", "--role", "pg_monitor"], "correct-horse-battery-staple", "keeps for itself"),
    ])
    func badInputIsRefusedAndMakesNothing(arguments: [String], password: String, says: String) throws {
        let refused = try setUp(arguments + ["--database", database, "--no-tls"], input: password + "\n")
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains(says), "\(refused.output)")
        #expect(try server.sql("SELECT count(*) FROM pg_database WHERE datname = '\(database)'") == "0")
    }
}

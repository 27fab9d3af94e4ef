import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway PostgreSQL cluster for tests and `shroff-bench`: `initdb` into a temporary
/// folder, the server on a free loopback port, stopped and removed when the process ends. Each
/// test asks for a database of its own (`makeDatabase`).
///
/// The server runs as an unprivileged user: the caller, or `postgres` (made by Debian's
/// package) when the tests run as root, as CI does. Where the server's programs are missing
/// or it cannot start, `shared` throws a `Failure` saying why; a test that needs it fails
/// with that message, never passing silently.
public final class PostgresServer: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The superuser's name and password (loopback only, a cluster that lives one test run).
    public static let user = "shroff"
    public static let password = "throwaway-\(UUID().uuidString.prefix(8))"

    public let port: Int
    let folder: String
    /// The folder of the server's programs (initdb, pg_ctl, psql).
    public let binaries: String
    let runAs: String?

    /// The cluster of this test process, started at its first use.
    ///
    /// Asked for from a thread of its own: starting (initdb, pg_ctl) takes seconds, up to a
    /// minute on a busy machine, and every caller waits for the first one's start. Waiting on
    /// Swift's cooperative pool (as many threads as cores) would stop every other task in the
    /// process for that long.
    public static func shared() async throws -> PostgresServer {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresServer, any Error>) in
            Thread.detachNewThread { continuation.resume(with: started.mapError { $0 as any Error }) }
        }
    }

    private static let started: Result<PostgresServer, Failure> = {
        do {
            let server = try PostgresServer()
            atexit { PostgresServer.stopShared() }
            return .success(server)
        } catch let error as Failure {
            return .failure(error)
        } catch {
            return .failure(Failure(description: "PostgreSQL could not start: \(error)"))
        }
    }()

    /// A cluster of the caller's own, to stop and start at will; `remove()` it at the end.
    /// Started on a thread of its own, as `shared()` is.
    public static func own() async throws -> PostgresServer {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresServer, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try PostgresServer() }) }
        }
    }

    /// Stops the server as a machine's shutdown does (open connections are told and closed).
    public func halt() throws {
        try run("pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "-t", "120", "stop"])
    }

    /// Starts the server (again, after `halt()`) on its port, with everything it had committed.
    public func resume() throws {
        try run("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "120",
                           "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                           "start"])
    }

    /// Stops an `own()` cluster and removes its folder.
    public func remove() { stop() }

    private static func stopShared() {
        if case .success(let server) = started { server.stop() }
    }

    private init() throws {
        guard let binaries = Self.findBinaries() else {
            throw Failure(description: "PostgreSQL's server programs (initdb, pg_ctl) are not installed: run scripts/setup, which installs Debian's postgresql package")
        }
        self.binaries = binaries
        runAs = geteuid() == 0 ? "postgres" : nil
        if let runAs, getpwnam(runAs) == nil {
            throw Failure(description: "tests run as root start PostgreSQL as the user \(runAs), which does not exist: run scripts/setup (Debian's postgresql package makes it)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("shroff-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        if let runAs, let user = getpwnam(runAs) {
            chown(folder, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        chmod(folder, 0o700)
        let passwordFile = folder + "/password"
        try Self.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if let runAs, let user = getpwnam(runAs) { chown(passwordFile, user.pointee.pw_uid, user.pointee.pw_gid) }
        try run("initdb", ["-D", folder + "/data", "-U", Self.user, "--auth=scram-sha-256", "--pwfile=" + passwordFile,
                           "--encoding=UTF8", "--no-sync", "--no-instructions"])
        try resume()
    }

    /// Stops the server and removes its folder.
    func stop() {
        _ = try? run("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A new, empty database on the server, named for the caller's test.
    public func makeDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try sql("CREATE DATABASE \(name)")
        return name
    }

    /// Runs `statement` with psql as the superuser, in `database`, and returns what it printed
    /// (unaligned, tuples only: one line a row, columns separated by `|`).
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        try run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user,
                         "-d", database, "-c", statement], environment: ["PGPASSWORD": Self.password])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        var path = binaries + "/" + program
        var argv = [program] + arguments
        if let runAs, program != "psql" {
            path = "/usr/sbin/runuser"
            argv = ["runuser", "-u", runAs, "--", binaries + "/" + program] + arguments
        }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("shroff-pg-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        // From "/": the server's user may not enter the folder the tests run in.
        let status = try Self.spawnAndWait("/bin/sh", ["sh", "-c", "cd / && exec \"$0\" \"$@\"", path] + argv.dropFirst(),
                                           variables, output: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)).map { "\nserver log:\n" + $0.suffix(2000) } ?? ""
            throw Failure(description: "\(program) \(arguments.first ?? "") failed (status \(status)): \(text.suffix(2000))\(log)")
        }
        return text
    }

    /// Runs a program with its output in a file and waits for it. Not Foundation's `Process`:
    /// it learns of the end from a socket the child inherits, which the server that `pg_ctl`
    /// starts would keep open for its whole life.
    private static func spawnAndWait(_ path: String, _ argv: [String], _ environment: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let args = cStrings(argv)
        let env = cStrings(environment)
        defer { for pointer in args + env { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, args, env)
        guard spawned == 0 else { throw Failure(description: "\(path) could not start: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for \(path): \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The newest installed server's programs (Debian: /usr/lib/postgresql/<major>/bin).
    private static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for major in majors where FileManager.default.isExecutableFile(atPath: "\(root)/\(major)/bin/initdb") {
            return "\(root)/\(major)/bin"
        }
        return nil
    }

    /// A port the system hands out for 127.0.0.1 now.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "no socket for a free port (errno \(errno))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard found else { throw Failure(description: "no free port on 127.0.0.1 (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

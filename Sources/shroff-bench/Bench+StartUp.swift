import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Bench {
    /// The `shroff` binary built beside this program (same build products directory).
    static func shroffBinary() -> String? {
        let me = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = me.deletingLastPathComponent().appendingPathComponent("shroff").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// `shroff ARGUMENTS` (by default `info`) as a child process, `runs` times after 3 untimed
    /// runs, in training mode or, with `configuration`, with that file as the shop's.
    /// With `freshData`, every run gets new empty XDG folders (the first start of a till:
    /// the ledger is created); otherwise they all share one (the ledger exists).
    /// Returns wall time from spawn to exit (ms) and each child's peak RSS (MB).
    static func startUp(binary: String, in folder: URL, runs: Int, freshData: Bool, arguments: [String] = ["info"],
                        configuration: String? = nil) throws -> (time: Samples, peakRSS: Samples) {
        var time = Samples()
        var rss = Samples()
        let tag = (arguments.first ?? "run") + (configuration == nil ? "-training" : "-configured")
        let shared = try makeHome(in: folder, named: "shared-\(tag)", configuration: configuration)
        for run in -3..<runs {
            let home = freshData ? try makeHome(in: folder, named: "fresh-\(tag)-\(run + 3)", configuration: configuration) : shared
            let (elapsed, maxRSS) = try runChild(binary, arguments: arguments, environment: environment(home: home))
            if run >= 0 {
                time.append(elapsed.milliseconds)
                if let maxRSS { rss.append(maxRSS) }
            }
        }
        return (time, rss)
    }

    /// Config and data folders under `folder/name`: empty, so no configuration is found, or
    /// with `configuration` as `config/shroff/config.toml` (readable by its owner alone).
    private static func makeHome(in folder: URL, named name: String, configuration: String? = nil) throws -> URL {
        let home = folder.appendingPathComponent(name)
        for sub in ["config/shroff", "data"] {
            try FileManager.default.createDirectory(at: home.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        if let configuration {
            let file = home.appendingPathComponent("config/shroff/config.toml").path
            let text = configuration.replacingOccurrences(of: "$DATA", with: home.appendingPathComponent("data").path)
            guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw BenchFailure("could not write \(file)")
            }
        }
        return home
    }

    /// A shop's configuration on Wantu (never contacted by `info`), its ledger in the run's data folder.
    static let shopConfiguration = """
        [store]
        name = "Bench Tea"
        currency = "HKD"
        timezone = "Asia/Hong_Kong"
        ledger = "$DATA/ledger.sqlite"

        [providers.wantu]
        base_url = "http://127.0.0.1:9/paygate"
        merchant_account = "bench"
        store_account = "bench"
        key = "bench-key"
        notify_url = "https://shop.example.com/notify/wantu"
        """

    /// This process's environment without anything pointing at a real configuration or ledger.
    private static func environment(home: URL) -> [String] {
        var variables = ProcessInfo.processInfo.environment
        variables["SHROFF_CONFIG"] = nil
        variables["HOME"] = home.path
        variables["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        variables["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        return variables.map { "\($0.key)=\($0.value)" }
    }

    /// Spawns `binary` with its output discarded, waits for it, and returns the wall time and
    /// its own peak RSS in MB (`wait4`'s rusage, kB on Linux). A non-zero exit is an error.
    private static func runChild(_ binary: String, arguments: [String], environment: [String]) throws -> (Duration, Double?) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let clock = ContinuousClock()
        let start = clock.now
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchFailure("\(binary) could not be started: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchFailure("waiting for \(binary) failed: \(String(cString: strerror(errno)))") }
        }
        let elapsed = clock.now - start
        // Exited normally with status 0: the low 7 bits hold the signal, bits 8–15 the exit code.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchFailure("`shroff \(arguments.joined(separator: " "))` failed (wait status \(status)); run it by hand to see why")
        }
        #if os(Linux)
        let megabytes = Double(usage.ru_maxrss) / 1024
        #else
        let megabytes = Double(usage.ru_maxrss) / 1_048_576
        #endif
        return (elapsed, usage.ru_maxrss > 0 ? megabytes : nil)
    }
}

internal import CProcess
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a process does before it reads a key: a crash must not write the key to disk.
public enum KeyProcess {
    /// Turns core dumps off for the rest of this process's life: not dumpable (no core by any
    /// `core_pattern`, no ptrace or `/proc/PID/mem` from other processes of the same user) and
    /// a core file size limit of 0. Call it once at start, before any key is loaded; calling
    /// it again does nothing more.
    public static func forbidCoreDumps() throws(SigningError) {
        guard shroff_forbid_dumps() == 0 else {
            throw .coreDumpsNotForbidden(reason: "prctl PR_SET_DUMPABLE: \(String(cString: strerror(errno)))")
        }
        guard shroff_limit_core_files_to_nothing() == 0 else {
            throw .coreDumpsNotForbidden(reason: "setrlimit RLIMIT_CORE: \(String(cString: strerror(errno)))")
        }
    }
}

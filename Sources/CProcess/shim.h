#ifndef SHROFF_CPROCESS_SHIM_H
#define SHROFF_CPROCESS_SHIM_H
// What a process that holds keys asks of the kernel about itself. prctl is variadic, which
// Swift cannot call, so each use has a typed wrapper here. Only the Signing target imports
// this module.
#include <sys/prctl.h>
#include <sys/resource.h>

/// PR_SET_DUMPABLE 0: no core dump of this process, by any core_pattern (a file, or a pipe to
/// systemd-coredump or apport), and no ptrace or /proc/PID/mem from other processes of its
/// user. 0, or -1 and errno.
static inline int shroff_forbid_dumps(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

/// RLIMIT_CORE 0, soft and hard: no core file either, even where the dumpable flag is set
/// again (execve resets it; this limit is inherited and cannot be raised back).
/// 0, or -1 and errno.
static inline int shroff_limit_core_files_to_nothing(void) {
    struct rlimit none = {0, 0};
    return setrlimit(RLIMIT_CORE, &none);
}

#endif

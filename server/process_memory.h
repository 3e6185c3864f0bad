// ProcessMemory: how much memory a running process holds, read from Linux's
// /proc/PID/status. The hostile tests (tests/server_hostile_test.cc) and
// findling-hostile (benchmarks/hostile_client.cc) watch a findling-server
// process with it while attacking it: a capped buffer shows as a flat VmHWM.
#pragma once

#include <sys/types.h>

namespace findling::server {

struct ProcessMemory {
  long rss_kb = 0;   // VmRSS: resident now
  long peak_kb = 0;  // VmHWM: the most it was ever resident
};

// The memory of process `pid`; both fields 0 when `pid` is not positive, the
// process is gone or /proc cannot be read (a figure to report, not to fail on).
ProcessMemory ReadProcessMemory(pid_t pid);

}  // namespace findling::server

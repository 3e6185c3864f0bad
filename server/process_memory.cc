#include "server/process_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace findling::server {

ProcessMemory ReadProcessMemory(pid_t pid) {
  ProcessMemory m;
  if (pid <= 0) return m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line, key;
  long value = 0;
  // Lines such as "VmRSS:	  123456 kB"; the other lines are skipped.
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    if (!(fields >> key >> value)) continue;
    if (key == "VmRSS:") m.rss_kb = value;
    if (key == "VmHWM:") m.peak_kb = value;
  }
  return m;
}

}  // namespace findling::server

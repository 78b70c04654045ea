// One error type for everything a user can get wrong: a config, an ELF, a
// command line. It carries the place (file:line:col or an ELF offset) and a
// sentence the user can act on; the CLI prints it on one line and exits with
// the code it names (docs/exit-codes.md).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace spinlab {

// Process exit codes spinlab itself uses. Anything else is the firmware's own
// exit code, passed through.
enum class ExitCode : int {
  ok = 0,
  usage = 64,        // bad command line (sysexits EX_USAGE)
  bad_input = 65,    // a config or ELF that cannot be used (EX_DATAERR)
  no_input = 66,     // a file that does not exist or cannot be read (EX_NOINPUT)
  unavailable = 69,  // a program spinlab needs is not installed: gnuplot (EX_UNAVAILABLE)
  internal = 70,     // a bug in spinlab (EX_SOFTWARE)
  cycle_limit = 124, // run.max_cycles reached before the firmware finished
  asleep = 125,      // every hart sleeps and nothing can wake one
  deadlock = 126,    // the lock monitor found a deadlock (run.on_deadlock = "stop")
  killed = 137,      // GDB killed the run (`kill`): 128 + SIGKILL, as a shell reports a killed process
};

struct Place {
  std::string file;
  uint32_t line = 0;     // 1-based; 0: none
  uint32_t column = 0;   // 1-based; 0: none
  int64_t offset = -1;   // byte offset in a binary file; -1: none
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, Place place, const std::string& message);
  ExitCode code() const { return code_; }
  const Place& place() const { return place_; }
  const std::string& message() const { return message_; }

 private:
  ExitCode code_;
  Place place_;
  std::string message_;
};

// "file:line:col: message", "file: offset 0x34: message" or "file: message".
std::string format_error(const Place& place, const std::string& message);

// Throws Error (no_input, "cannot write the WHAT here: why") unless `path`
// could be written: an existing file that is writable, or a new one in a
// writable directory. Outputs written after a run are checked before it, so
// that a typo in a path costs no run (and nothing throws after SystemC ran).
void require_writable(const std::string& path, const std::string& what);

}  // namespace spinlab

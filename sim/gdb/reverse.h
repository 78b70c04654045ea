// Reverse execution for the GDB server: reverse-stepi and reverse-continue,
// served by re-running. SystemC cannot elaborate a second machine in one
// process, and a run is deterministic, so the past is kept as processes:
// every `interval` cycles the running process fork()s; the parent becomes a
// checkpoint and waits, the child goes on. Going back wakes the newest
// checkpoint at or before the target, ends every later process (this one
// too, without writing outputs) and the woken one re-runs forward to the
// target; the call that asked returns there, in that process. Positions are
// Debug's event numbers (models/debug.h). docs/debugging.md, "Going back in
// time", has the whole story and its costs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/debug.h"

namespace spinlab::models {
class Machine;
}

namespace spinlab::gdb {

class Reverse {
 public:
  // At most this many checkpoints live at once: at the bound, every second
  // one (never the start) retires and the interval doubles.
  static constexpr size_t kMaxCheckpoints = 32;

  // Construct before the machine's first run: positions count from the
  // start. `interval` > 0 (cycles between checkpoints). The server's state
  // (whatever it must keep across a travel: the selected thread, no-ack
  // mode, ...) travels as an opaque string.
  Reverse(models::Machine& m, uint64_t interval, std::function<std::string()> save_server_state,
          std::function<void(const std::string&)> restore_server_state);

  // The server's continue/step: runs to the next stop the debugger asked
  // for, taking checkpoints on the way (hidden). May return in a woken
  // checkpoint process after a travel (as may the two below).
  models::StopInfo run();
  // Back to hart's previous instruction boundary: step_done there, or
  // history_start if it has none (at the start, pc = hart 0's).
  models::StopInfo reverse_step(unsigned hart);
  // Back to the last breakpoint or watchpoint stop before now (reported as
  // it was), or to the start of the run (history_start).
  models::StopInfo reverse_continue();

  // What is live now, oldest first (tests, `monitor` commands).
  struct Checkpoint {
    pid_t pid;
    int fd;          // the write end of its pipe
    uint64_t event;  // its position
    uint64_t cycle;
  };
  const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
  // GDB is gone: the run goes on to its end taking no more checkpoints,
  // and recording no more positions (at full speed).
  void stop_checkpoints();
  uint64_t interval() const { return interval_; }
  // True while a woken checkpoint re-runs toward its target: what happens
  // then happened before and was told then, so the server neither stops for
  // a finding nor pauses for a Ctrl-C (either would end the re-run short).
  bool replaying() const { return replaying_; }

 private:
  struct Request;
  struct Woken;
  models::StopInfo forward(bool take_checkpoints);
  void take_checkpoint();  // throws Woken in the checkpoint when a later process wakes it
  void thin_out();
  [[noreturn]] void travel(Request r);
  models::StopInfo arrive(Request r);
  models::StopInfo scan(const Request& r);
  models::StopInfo here(models::StopInfo::Why why) const;

  models::Machine& m_;
  uint64_t interval_;
  std::function<std::string()> save_;
  std::function<void(const std::string&)> restore_;
  std::vector<Checkpoint> checkpoints_;
  bool replaying_ = false;
  bool no_more_ = false;  // stop_checkpoints()
};

}  // namespace spinlab::gdb

// Debugger hooks: breakpoints on execute addresses, watchpoints on data
// address ranges, a pause at the next instruction boundary and a single step
// of one hart. The scheduler calls before_step() and after_access() only while
// something is armed, so an unarmed machine pays one untaken branch per step
// and per bus transaction. A stop suspends the machine's SystemC thread where
// it is (sc_pause, then a zero-time wait); Machine::run_until_stop() returns
// the stop, and the next call resumes the thread right there, in the middle
// of the cycle if that is where it stopped, so the history is the one a run
// without stops has. docs/debug-hooks.md has the exact semantics.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "isa/mem.h"

namespace spinlab::models {

class Core;
enum class StopReason : uint8_t;  // models/machine.h

// What a watchpoint watches, as GDB's Z2 (store), Z3 (load), Z4 (either).
enum class WatchKind : uint8_t { load = 1, store = 2, access = 3 };

// Why Machine::run_until_stop() returned, and where.
struct StopInfo {
  enum class Why : uint8_t {
    breakpoint,     // `hart` is about to execute the instruction at `pc`, a breakpoint
    watch_load,     // `hart`'s access at `pc` read watched bytes (an AMO's read: only if no watchpoint saw its write)
    watch_store,    // `hart`'s access at `pc` wrote watched bytes (a store, a successful SC, an AMO)
    step_done,      // the stepped `hart` completed its instruction (or took a trap); `pc` is its next one
    pause,          // pause() was asked for; `hart` is the one at whose instruction boundary it stopped
    run_ended,      // the run is over: `ended` says why; no further stop will come
    history_start,  // reverse execution reached the start of the run (sim/gdb/reverse.h); `hart` 0
  };
  Why why = Why::run_ended;
  unsigned hart = 0;
  uint32_t pc = 0;
  uint32_t data_addr = 0;                // watch_*: the first watched byte the access touched
  WatchKind watch = WatchKind::access;   // watch_*: the kind of the watchpoint that matched
  uint64_t cycle = 0;                    // Machine::cycles() at the stop
  StopReason ended{};                    // run_ended: the machine's stop reason
};

const char* to_string(StopInfo::Why why);

class Debug {
 public:
  explicit Debug(const std::vector<std::unique_ptr<Core>>& cores) : cores_(cores) {}

  // Stop any hart before it executes the instruction at `pc` (every hart:
  // GDB filters by thread itself). Adding one twice keeps one.
  void add_breakpoint(uint32_t pc);
  bool remove_breakpoint(uint32_t pc);  // false: there was none at `pc`
  // Stop after an access that touches [addr, addr + bytes) completes.
  void add_watchpoint(uint32_t addr, uint32_t bytes, WatchKind kind);
  bool remove_watchpoint(uint32_t addr, uint32_t bytes, WatchKind kind);  // false: no such watchpoint
  // The next run stops once `hart` has completed `count` instructions
  // (taking a trap counts as one). An instruction in flight when this is
  // called (waiting for the bus, or a wfi asleep) is the first of them.
  // Throws std::out_of_range for a hart the machine does not have.
  void step(unsigned hart, uint64_t count = 1);
  // Stop at the next instruction boundary of any hart. From a callback the
  // run makes (a hook, the progress function) or between runs; not from
  // another thread.
  void pause();
  // Stop at the first instruction boundary of any hart at or after `cycle`
  // (re-running to a cycle: how reverse execution can be served).
  void pause_at(uint64_t cycle);
  // Every breakpoint, watchpoint, step and pause gone.
  void clear();

  bool armed() const { return armed_; }
  uint64_t breakpoints() const { return breakpoints_.size(); }
  uint64_t watchpoints() const { return watchpoints_.size(); }

  struct Watchpoint {
    uint32_t addr, bytes;
    WatchKind kind;
  };
  // The lists themselves, in the order they were added (reverse execution
  // carries them into a woken checkpoint).
  const std::vector<uint32_t>& breakpoint_list() const { return breakpoints_; }
  const std::vector<Watchpoint>& watchpoint_list() const { return watchpoints_; }

  // Reverse execution's bookkeeping (sim/gdb/reverse.h). While recording,
  // every instruction boundary and every completed bus access is an event,
  // numbered from 1 in the order the run meets them. Runs are deterministic
  // and stops change no history, so an event number names one point of the
  // run exactly, in every re-run: a position. Recording keeps the hooks
  // armed (before_step and after_access are called for every step and
  // transaction); off, nothing of it costs anything.
  void record(bool on);
  bool recording() const { return recording_; }
  // Events so far: at a stop, the stop's own position (0: nothing has run).
  uint64_t events() const { return events_; }
  // The position of hart h's last instruction boundary before now (at a
  // stop at h's own boundary, the one before that); 0: it has none.
  uint64_t previous_boundary(unsigned h) const;
  // Stop at position `event` (a boundary, or just after an access),
  // reported as a pause of the hart the event belongs to. Like pause_at,
  // ended by any stop.
  void pause_at_event(uint64_t event);
  // A stop the debugger does not ask for: at the first instruction boundary
  // at or after `cycle`, after any stop of the debugger's own at that
  // boundary. It ends no step or pause in progress; hidden_stop() tells it.
  void checkpoint_at(uint64_t cycle);
  bool hidden_stop() const { return stopped_ && hidden_; }

  // The machine's side.
  // Core c is at an instruction boundary at cycle c.at, about to step.
  void before_step(const Core& c);
  // Hart h's access at `pc` completed at `cycle`.
  void after_access(unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse& resp,
                    uint64_t cycle);
  // A run begins: forget the last stop.
  void resume() { stopped_ = false; }
  bool stopped() const { return stopped_; }
  // The hart stopped at its instruction boundary, while the machine is
  // stopped there (-1: none: the stop is after an access, or no stop).
  int parked() const { return parked_; }
  const StopInfo& last_stop() const { return last_; }

 private:
  void stop(const StopInfo& s, bool at_boundary, bool hidden = false);
  void pause_on_event(unsigned h, uint32_t pc, uint64_t cycle);
  void update_armed() {
    armed_ = !breakpoints_.empty() || !watchpoints_.empty() || step_left_ || pause_ || pause_at_ != kNever ||
             recording_ || pause_event_ || checkpoint_at_ != kNever;
  }
  static constexpr uint64_t kNever = ~uint64_t{0};

  const std::vector<std::unique_ptr<Core>>& cores_;
  std::vector<uint32_t> breakpoints_;
  std::vector<Watchpoint> watchpoints_;
  bool armed_ = false;
  bool pause_ = false;
  uint64_t pause_at_ = kNever;
  unsigned step_hart_ = 0;
  uint64_t step_left_ = 0;  // boundaries of step_hart_ still to pass (0: no step)
  int parked_ = -1;         // the hart stopped at its boundary, while the machine is stopped there
  bool stopped_ = false;
  bool hidden_ = false;  // the last stop was checkpoint_at's
  StopInfo last_;
  // Recording (reverse execution).
  bool recording_ = false;
  uint64_t events_ = 0;
  uint64_t pause_event_ = 0;  // 0: none
  uint64_t checkpoint_at_ = kNever;
  std::vector<uint64_t> last_boundary_, previous_boundary_;  // per hart, positions
  std::vector<uint32_t> last_boundary_pc_;                   // per hart, its pc at last_boundary_
};

}  // namespace spinlab::models

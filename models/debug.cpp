#include "models/debug.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <systemc>

#include "models/core.h"

namespace spinlab::models {

const char* to_string(StopInfo::Why why) {
  switch (why) {
    case StopInfo::Why::breakpoint: return "breakpoint";
    case StopInfo::Why::watch_load: return "load watchpoint";
    case StopInfo::Why::watch_store: return "store watchpoint";
    case StopInfo::Why::step_done: return "step done";
    case StopInfo::Why::pause: return "paused";
    case StopInfo::Why::run_ended: return "run ended";
    case StopInfo::Why::history_start: return "start of history";
  }
  return "?";
}

void Debug::add_breakpoint(uint32_t pc) {
  if (std::find(breakpoints_.begin(), breakpoints_.end(), pc) == breakpoints_.end()) breakpoints_.push_back(pc);
  update_armed();
}

bool Debug::remove_breakpoint(uint32_t pc) {
  auto it = std::find(breakpoints_.begin(), breakpoints_.end(), pc);
  if (it == breakpoints_.end()) return false;
  breakpoints_.erase(it);
  update_armed();
  return true;
}

void Debug::add_watchpoint(uint32_t addr, uint32_t bytes, WatchKind kind) {
  watchpoints_.push_back({addr, bytes ? bytes : 1, kind});
  update_armed();
}

bool Debug::remove_watchpoint(uint32_t addr, uint32_t bytes, WatchKind kind) {
  auto it = std::find_if(watchpoints_.begin(), watchpoints_.end(), [&](const Watchpoint& w) {
    return w.addr == addr && w.bytes == (bytes ? bytes : 1) && w.kind == kind;
  });
  if (it == watchpoints_.end()) return false;
  watchpoints_.erase(it);
  update_armed();
  return true;
}

void Debug::step(unsigned hart, uint64_t count) {
  if (hart >= cores_.size())
    throw std::out_of_range("debug step: no hart " + std::to_string(hart) + " (the machine has " +
                            std::to_string(cores_.size()) + ")");
  step_hart_ = hart;
  // A ready hart's next boundary is where its first instruction starts, so
  // the stop comes one boundary later; a hart stopped at its own boundary is
  // past that one already. An instruction in flight (bus, wfi, not started)
  // ends at the hart's next boundary.
  const Core& c = *cores_[hart];
  const bool starts_at_next = c.phase == Core::Phase::ready && parked_ != static_cast<int>(hart);
  step_left_ = count ? count + (starts_at_next ? 1 : 0) : 0;
  update_armed();
}

void Debug::pause() {
  pause_ = true;
  armed_ = true;
}

void Debug::pause_at(uint64_t cycle) {
  pause_at_ = cycle;
  update_armed();
}

void Debug::record(bool on) {
  recording_ = on;
  last_boundary_.resize(cores_.size());
  previous_boundary_.resize(cores_.size());
  last_boundary_pc_.resize(cores_.size());
  update_armed();
}

uint64_t Debug::previous_boundary(unsigned h) const {
  if (h >= last_boundary_.size()) return 0;
  // Stopped at its last boundary: the one before. Stopped inside the
  // instruction begun there (a watch stop), or after it ran with no boundary
  // since (the run ended in it, at a deadlock the monitor found): that one.
  const bool at_it = last_boundary_[h] == events_ && cores_[h]->hart.pc() == last_boundary_pc_[h];
  return at_it ? previous_boundary_[h] : last_boundary_[h];
}

void Debug::pause_at_event(uint64_t event) {
  pause_event_ = event;
  update_armed();
}

void Debug::checkpoint_at(uint64_t cycle) {
  checkpoint_at_ = cycle;
  update_armed();
}

void Debug::clear() {
  pause_at_ = kNever;
  pause_event_ = 0;
  checkpoint_at_ = kNever;
  breakpoints_.clear();
  watchpoints_.clear();
  step_left_ = 0;
  pause_ = false;
  update_armed();
}

void Debug::before_step(const Core& c) {
  const unsigned h = c.hart.hartid();
  const uint32_t pc = c.hart.pc();
  if (recording_) {
    previous_boundary_[h] = last_boundary_[h];
    last_boundary_[h] = ++events_;
    last_boundary_pc_[h] = pc;
  }
  // One stop per boundary: the breakpoint first (the most specific), then the
  // step, then the pause. Resuming continues past this boundary.
  if (std::find(breakpoints_.begin(), breakpoints_.end(), pc) != breakpoints_.end())
    return stop({StopInfo::Why::breakpoint, h, pc, 0, WatchKind::access, c.at, {}}, true);
  if (step_left_ && h == step_hart_ && --step_left_ == 0)
    return stop({StopInfo::Why::step_done, h, pc, 0, WatchKind::access, c.at, {}}, true);
  if (pause_ || c.at >= pause_at_ || (pause_event_ && events_ == pause_event_))
    return stop({StopInfo::Why::pause, h, pc, 0, WatchKind::access, c.at, {}}, true);
  if (c.at >= checkpoint_at_) return stop({StopInfo::Why::pause, h, pc, 0, WatchKind::access, c.at, {}}, true, true);
}

void Debug::after_access(unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse& resp,
                         uint64_t cycle) {
  if (recording_) ++events_;
  if (resp.fault) return pause_on_event(h, pc, cycle);  // nothing was read or written: the hart takes an access fault
  // A failed SC reads nothing and writes nothing.
  const bool read = r.op == isa::MemOp::load || r.op == isa::MemOp::lr || r.op == isa::MemOp::amo;
  const bool wrote = resp.wrote;
  const uint64_t begin = r.addr, end = begin + r.size;
  const Watchpoint* hit = nullptr;
  bool hit_store = false;
  for (const Watchpoint& w : watchpoints_) {
    if (end <= w.addr || uint64_t{w.addr} + w.bytes <= begin) continue;
    const bool sees_store = wrote && (static_cast<unsigned>(w.kind) & static_cast<unsigned>(WatchKind::store));
    const bool sees_load = read && (static_cast<unsigned>(w.kind) & static_cast<unsigned>(WatchKind::load));
    // An AMO both reads and writes: its write is what it is reported as,
    // when a watchpoint sees it.
    if (sees_store && !hit_store) hit = &w, hit_store = true;
    else if (sees_load && !hit) hit = &w;
  }
  if (!hit) return pause_on_event(h, pc, cycle);
  StopInfo s{hit_store ? StopInfo::Why::watch_store : StopInfo::Why::watch_load, h, pc,
             std::max(r.addr, hit->addr), hit->kind, cycle, {}};
  stop(s, false);
}

// A pause_at_event() at an access.
void Debug::pause_on_event(unsigned h, uint32_t pc, uint64_t cycle) {
  if (pause_event_ && events_ == pause_event_)
    stop({StopInfo::Why::pause, h, pc, 0, WatchKind::access, cycle, {}}, false);
}

// Suspends the machine's SystemC thread: sc_pause() makes sc_start() return
// at the end of this delta cycle, and the zero-time wait is where the next
// sc_start() resumes it. Called from the machine's thread only.
void Debug::stop(const StopInfo& s, bool at_boundary, bool hidden) {
  last_ = s;
  stopped_ = true;
  hidden_ = hidden;
  // Any stop ends a step and a pause in progress: the debugger decides
  // again. A hidden stop is not the debugger's: it ends only itself.
  checkpoint_at_ = kNever;
  if (!hidden) {
    step_left_ = 0;
    pause_ = false;
    pause_at_ = kNever;
    pause_event_ = 0;
  }
  update_armed();
  parked_ = at_boundary ? static_cast<int>(s.hart) : -1;
  sc_core::sc_pause();
  sc_core::wait(sc_core::SC_ZERO_TIME);
  parked_ = -1;
}

}  // namespace spinlab::models

// The lock monitor's threads (docs/monitor.md, "Threads"): a thread is a
// stack. The machine tells of every move of sp that is not a function's
// frame (models::Hooks::stack_switched); here such a move becomes a
// switch between threads, a move to or from an interrupt stack, or nothing
// (a frame pointer restored). Locks carried across a switch, a switch inside
// an interrupt handler and a spin on a switched-out thread's lock are the
// findings of threads.
#include "sim/monitor/monitor.h"

#include <algorithm>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "sim/load/elf.h"

namespace spinlab {

namespace {

// An sp move by less than this, to no parked thread's sp, stays on the
// same stack: `addi sp, s0, -N` after alloca, `mv sp, s0`. Stacks of
// threads are further apart.
constexpr uint32_t kFrameBytes = 512;
// A new thread is confirmed by an access this close to its first sp (its
// registers restored from its stack, a frame pushed).
constexpr uint32_t kStackWindow = 4096;

// A preempted holder and a sleeping one break the same rule (lesson 10
// shows the first; 13 the second); a handler that sleeps is lesson 14.
constexpr const char* kSwitchLesson = "docs/lessons/10-preempt-spinlock.md";
constexpr const char* kSleepIrqLesson = "docs/lessons/14-irq-sleep.md";
constexpr const char* kSwitchRule =
    "a thread must not switch out while it holds a spinlock (spin_lock disables preemption): every thread that "
    "wants the lock spins until the holder runs again; only the scheduler's own lock may be handed to the thread "
    "switched to, which releases it";
constexpr const char* kSleepIrqRule =
    "an interrupt handler must not sleep or schedule (\"scheduling while in interrupt\"): the interrupted "
    "thread is switched out in the middle of the handler, whose device still waits to be acknowledged; "
    "preempt only on the way out, after the handler has finished";

}  // namespace

std::string thread_label(const ThreadRef& t) {
  if (t.id < 0) return "-";
  return fmt::format("{}/{}", t.name, t.id);
}

std::string Monitor::thread_name(int id) const {
  if (id < 0 || static_cast<size_t>(id) >= threads_.size()) return "-";
  return threads_[id].name.empty() ? "?" : threads_[id].name;
}

ThreadRef Monitor::thread_ref(int id) const {
  ThreadRef t{id, thread_name(id)};
  t.switched = id >= 0 && static_cast<size_t>(id) < threads_.size() && threads_[id].switched;
  return t;
}

void Monitor::begin_thread(unsigned h, uint64_t cycle, uint32_t pc) {
  HartState& s = harts_[h];
  s.thread = static_cast<int>(threads_.size());
  threads_.emplace_back();
  threads_.back().hart = h;
  s.naming = true;
  name_thread(h, pc);
  (void)cycle;
}

// A thread is named by the first code it runs that is not the switch's:
// its first access or mret target outside the function whose instruction
// switched to it (swtch, or a trap handler's exit restoring it). A thread
// switched to goes on being watched during its first run, for the function
// it goes to from there (`second`): if its first function proves a start
// trampoline (settle_thread), that names it.
void Monitor::name_thread(unsigned h, uint32_t pc, bool to_user) {
  HartState& s = harts_[h];
  Thread& t = threads_[s.thread];
  if (!t.name.empty()) {
    // Hot while it runs: one compare per access once `second` is known.
    const Symbol* first = t.first;
    if (pc - first->addr < first->size && !to_user) {
      t.second = nullptr;  // back in its first function: what it called returned
    } else if (!t.second || to_user) {
      // Its first mret to user mode goes to the code it was started for.
      const Symbol* f = elf_->containing(pc);
      if (f && f != first && (to_user || f != elf_->containing(t.switch_pc))) t.second = f;
      if (to_user && f) s.naming = false;  // that is its second function for good
    }
    return;
  }
  const Symbol* f = elf_ ? elf_->containing(pc) : nullptr;
  if (t.switch_pc && elf_ && f && f == elf_->containing(t.switch_pc)) return;
  t.name = f ? f->name : fmt::format("{:#010x}", pc);
  t.first = f && f->size ? f : nullptr;
  s.naming = still_naming(t);
}

// A boot thread is named by its first function for good; a thread switched
// to is watched until its first switch out.
bool Monitor::still_naming(const Thread& t) const {
  return t.name.empty() || (t.switch_pc && t.first && !t.settled);
}

// A function is a start trampoline when two threads began in it and left
// it for different functions, never to run in it again during their first
// run (kthread_start calls fn and does not return before fn switches out;
// a helper it calls first, mycpu, returns to it). Threads begun in a
// trampoline are named by the function they left it for: the earlier ones
// too, from now on.
void Monitor::settle_thread(int id) {
  Thread& t = threads_[id];
  if (t.settled || !t.switch_pc || !t.first) return;
  t.settled = true;
  if (!t.second) return;
  const bool known = std::find(trampolines_.begin(), trampolines_.end(), t.first) != trampolines_.end();
  if (!known) {
    bool proved = false;
    for (const Thread& u : threads_)
      if (u.settled && u.first == t.first && u.second && u.second != t.second) proved = true;
    if (!proved) return;
    trampolines_.push_back(t.first);
    for (Thread& u : threads_)
      if (u.settled && u.first == t.first && u.second) u.name = u.second->name;
  }
  t.name = t.second->name;
}

void Monitor::thread_access(unsigned h, uint64_t cycle, uint32_t pc, uint32_t addr) {
  HartState& s = harts_[h];
  if (s.thread < 0) {
    begin_thread(h, cycle, pc);
    return;
  }
  if (s.provisional && addr - (s.prov_sp - kStackWindow) < 2 * kStackWindow) confirm_thread(h);
  if (s.naming) name_thread(h, pc);
}

void Monitor::confirm_thread(unsigned h) {
  HartState& s = harts_[h];
  s.provisional = false;
  settle_thread(s.prov_from);  // before the switch is told, so that it names it so
  if (!listeners_.empty()) emit(s.prov_event);  // with the switch's cycle: told late
}

void Monitor::undo_thread(unsigned h) {
  HartState& s = harts_[h];
  const int id = s.thread;
  Thread& from = threads_[s.prov_from];
  s.frames.swap(from.frames);
  for (uint32_t addr : s.carried) {
    auto it = words_.find(addr);
    if (it != words_.end() && it->second.hold.carry_to == id) it->second.hold.carried = false;
  }
  s.carried.clear();
  from.parked = false;
  from.switched = s.prov_from_switched;
  s.on_irq_stack = s.kernel_stack = from.kernel_stack;
  s.irq_from = from.user_sp;
  s.thread = s.prov_from;
  s.naming = still_naming(from);
  s.provisional = false;
  // Its id is free again, unless another hart has met a thread since.
  if (static_cast<size_t>(id) + 1 == threads_.size()) threads_.pop_back();
}

int Monitor::parked_at(uint32_t sp) const {
  // A handler that slept parked deep in the interrupt stack; the top of a
  // trap stack is where every trap begins, never where one resumes.
  const bool top = std::find(irq_stacks_.begin(), irq_stacks_.end(), sp) != irq_stacks_.end();
  for (size_t i = 0; i < threads_.size(); ++i)
    if (threads_[i].parked && (threads_[i].sp == sp || (!top && threads_[i].irq_sp != 0 && threads_[i].irq_sp == sp)))
      return static_cast<int>(i);
  return -1;
}

void Monitor::acknowledge(unsigned h, uint32_t addr, uint32_t data) {
  Context c;
  if (addr == CLINT_MSIP(h) && data == 0) c = Context::software_irq;
  else if (addr - CLINT_MTIMECMP(h) < 8) c = Context::timer_irq;
  else if (addr == PLIC_CLAIM(PLIC_MCONTEXT(h))) c = Context::external_irq;  // the completion
  else return;
  HartState& s = harts_[h];
  for (size_t i = s.frames.size(); i-- > 1;)
    if (s.frames[i].interrupt && s.frames[i].context == c && !s.frames[i].acked) {
      s.frames[i].acked = true;
      return;
    }
}

void Monitor::stack_switched(uint64_t cycle, unsigned h, uint32_t pc, uint32_t old_sp, uint32_t new_sp) {
  HartState& s = hart_state(h);
  if (s.thread < 0) return;  // boot code setting up its stack, before its first access
  if (s.provisional) {
    if (new_sp == threads_[s.prov_from].sp) {
      undo_thread(h);  // straight back: it never ran
      return;
    }
    confirm_thread(h);
  }
  if (s.over_kernel && new_sp == s.kernel_sp) {
    s.over_kernel = false;  // back from the interrupt stack to the thread's kernel stack
    return;
  }
  if (s.on_irq_stack && new_sp == s.irq_from) {
    s.on_irq_stack = s.kernel_stack = false;  // back from the interrupt (or kernel) stack to the thread's own
    return;
  }
  int to = parked_at(new_sp);
  // The innermost interrupt handler still running (not acknowledged yet).
  size_t handler = 0;
  for (size_t i = s.frames.size(); i-- > 1;)
    if (s.frames[i].interrupt && !s.frames[i].acked) {
      handler = i;
      break;
    }
  if (to < 0) {
    const uint32_t moved = new_sp > old_sp ? new_sp - old_sp : old_sp - new_sp;
    if (moved < kFrameBytes) return;
    if (!s.on_irq_stack && s.frames.size() > 1 && s.frames[1].from_user) {
      // A trap from user mode onto the thread's kernel stack (xv6, Linux).
      s.on_irq_stack = s.kernel_stack = true;
      s.irq_from = old_sp;
      return;
    }
    const bool known_irq_stack = std::find(irq_stacks_.begin(), irq_stacks_.end(), new_sp) != irq_stacks_.end();
    // An exception handler (FreeRTOS's ecall yield) moves to the trap stack
    // as an interrupt handler does; from there, an unknown sp is a new thread.
    const bool exception = s.frames.size() > 1 && !s.frames.back().interrupt;
    if (s.kernel_stack && !s.over_kernel && s.frames.size() > 1 && (known_irq_stack || handler)) {
      // From the kernel stack a trap from user mode entered, on to the
      // CPU's interrupt stack (Linux's call_on_irq_stack): a stack switch
      // undone before the trap returns, not a thread switch.
      s.over_kernel = true;
      s.kernel_sp = old_sp;
      if (!known_irq_stack) irq_stacks_.push_back(new_sp);
      return;
    }
    if (s.frames.size() > 1 && (known_irq_stack || (!s.on_irq_stack && (handler || exception)))) {
      // A trap handler moving to a stack of its own (FreeRTOS's
      // xISRStackTop, Linux's per-CPU irq stack): the thread runs on.
      if (!s.on_irq_stack) {
        s.on_irq_stack = true;
        s.irq_from = old_sp;
        if (!known_irq_stack) irq_stacks_.push_back(new_sp);
      }
      return;
    }
  }

  // A switch: the running thread parks at the sp it left (its own, when it
  // left from an interrupt stack), with its contexts; the other resumes
  // with its own, or begins.
  const int from = s.thread;
  const bool is_new = to < 0;
  if (is_new) {
    to = static_cast<int>(threads_.size());
    threads_.emplace_back();
    Thread& t = threads_.back();
    t.switch_pc = pc;
    t.frames.reserve(kMaxFrames);
    Frame base;
    base.entered = cycle;  // not the boot thread's frame 0 (holding_context compares them)
    t.frames.push_back(base);
  }
  Event e;
  if (!listeners_.empty()) {
    e = make_event(EventKind::thread_switch, cycle, h, pc, 0, 0, 0, switch_caller(h, pc));
    e.where = handler                         ? SwitchWhere::in_handler
              : s.frames.size() < 2           ? SwitchWhere::kernel
              : s.frames[1].from_user         ? SwitchWhere::from_user
              : s.frames.back().interrupt     ? SwitchWhere::irq_return
                                              : SwitchWhere::in_trap;
    e.to_thread = to;
    e.new_thread = is_new;
  }
  if (!is_new) settle_thread(from);  // a new thread's switch is settled when confirmed
  check_carried(s.carried);  // the last switch's locks: handed over by now, or not
  carry_locks(h, cycle, pc, to);
  Thread& out = threads_[from];
  const bool out_switched = out.switched;
  out.parked = true;
  out.switched = true;
  // It parks where it will be resumed: the sp it left for the CPU's
  // interrupt stack, or the one it leaves now (its own kernel stack too).
  out.sp = s.on_irq_stack && !s.kernel_stack ? s.irq_from : old_sp;
  out.irq_sp = s.on_irq_stack && !s.kernel_stack ? old_sp : 0;
  out.kernel_stack = s.on_irq_stack && s.kernel_stack;
  out.user_sp = s.irq_from;
  out.hart = h;
  out.frames.swap(s.frames);
  Thread& in = threads_[to];
  in.parked = false;
  in.switched = true;
  in.hart = h;
  s.frames.swap(in.frames);
  s.thread = to;
  s.naming = still_naming(in);
  s.on_irq_stack = s.kernel_stack = in.kernel_stack;
  s.irq_from = in.user_sp;
  if (in.irq_sp != 0 && new_sp == in.irq_sp) {
    s.on_irq_stack = true;  // back inside the handler that slept, on the interrupt stack
    s.irq_from = in.sp;
  }
  in.irq_sp = 0;
  s.over_kernel = false;  // (a thread switched out there, by a sleeping handler, parks at that sp)
  s.lr_pending = false;
  s.zero_load_addr = kNoLoad;
  if (is_new) {
    // Told once the new thread touches its stack: an mret to user mode
    // before that makes it the user stack of `from` instead.
    s.provisional = true;
    s.prov_from = from;
    s.prov_sp = new_sp;
    s.prov_from_switched = out_switched;
    s.prov_event = e;
  } else if (!listeners_.empty()) {
    emit(e);
  }
  if (handler) report_sleep_in_irq(h, cycle, pc, from, to, handler);
}

void Monitor::carry_locks(unsigned h, uint64_t cycle, uint32_t pc, int to) {
  HartState& s = harts_[h];
  for (uint32_t addr : s.held) {
    HoldRec& r = words_.at(addr).hold;
    if (r.thread != s.thread || r.carried) continue;
    r.carried = true;
    r.carry_cycle = cycle;
    r.carry_pc = pc;
    r.carry_caller = switch_caller(h, pc);
    r.carry_to = to;
    s.carried.push_back(addr);
  }
}

void Monitor::check_carried(std::vector<uint32_t>& carried) {
  for (uint32_t addr : carried) {
    auto it = words_.find(addr);
    if (it != words_.end() && it->second.held && it->second.hold.carried) report_carried(it->second, addr);
  }
  carried.clear();
}

void Monitor::report_carried(Word& w, uint32_t addr) {
  // A word not known as a lock yet is told when its holder releases it
  // (on_release), if it does: a lock confirmed only then was still carried.
  if (w.hold.carry_reported || w.kind != Kind::lock) return;
  w.hold.carry_reported = true;
  if (w.switch_warned) return;  // once a lock
  w.switch_warned = true;
  Finding f;
  f.kind = FindingKind::switch_holding_lock;
  f.cycle = w.hold.carry_cycle;
  f.hart = w.hold.hart;
  f.at = site(w.hold.carry_pc, w.hold.carry_caller);
  f.lock = {addr, lock_name(addr)};
  f.holds.push_back(hold_of(w.hold, addr));
  f.thread = thread_ref(w.hold.thread);
  f.to_thread = thread_ref(w.hold.carry_to);
  f.rule = kSwitchRule;
  f.lesson = kSwitchLesson;
  report(std::move(f));
}

void Monitor::report_sleep_in_irq(unsigned h, uint64_t cycle, uint32_t pc, int from, int to, size_t frame) {
  const Frame& fr = threads_[from].frames.at(frame);
  // Once per place and cause: a handler that schedules does it at every interrupt.
  for (const auto& [at, cause] : sleeps_reported_)
    if (at == pc && cause == fr.mcause) return;
  sleeps_reported_.emplace_back(pc, fr.mcause);
  Finding f;
  f.kind = FindingKind::sleep_in_interrupt;
  f.cycle = cycle;
  f.hart = h;
  f.at = site(pc, switch_caller(h, pc));
  f.thread = thread_ref(from);
  f.to_thread = thread_ref(to);
  f.has_interrupt = true;
  f.interrupt = {h, fr.context, fr.mcause, fr.entered, site(fr.mepc)};
  for (uint32_t addr : harts_[h].held) {
    const Word& w = words_.at(addr);
    if (w.kind == Kind::lock && w.hold.thread == from) f.holds.push_back(hold_of(w.hold, addr));
  }
  if (!f.holds.empty()) f.lock = f.holds.front().lock;
  f.rule = kSleepIrqRule;
  f.lesson = kSleepIrqLesson;
  report(std::move(f));
}

}  // namespace spinlab

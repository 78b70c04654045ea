// The lock monitor's checks of the rules that a stuck or unsafe lock breaks:
// a lock an interrupt handler takes, taken or held with interrupts enabled,
// and the deadlocks (a hart that waits for itself, two harts that wait for each
// other, a handler that spins on a lock its own hart holds). The events that
// call them are in sim/monitor/infer.cpp.
#include "sim/monitor/monitor.h"

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

namespace spinlab {

namespace {

constexpr const char* kIrqLesson = "docs/lessons/03-irq-deadlock.md";
constexpr const char* kReenableLesson = "docs/lessons/08-irq-wrong.md";
constexpr const char* kRecursiveLesson = "docs/lessons/15-recursive.md";
constexpr const char* kThreadDeadlockLesson = "docs/lessons/10-preempt-spinlock.md";
constexpr const char* kBhLesson = "docs/lessons/22-bh-lock.md";
constexpr const char* kBhIrqLesson = "docs/lessons/23-bh-irq-lock.md";

// The sentence of each rule, where it is broken.
constexpr const char* kIrqRule =
    "a lock that an interrupt handler takes must be taken with interrupts disabled on the local CPU "
    "(spin_lock_irqsave)";
constexpr const char* kReenableRule =
    "a lock that an interrupt handler takes must be held with interrupts disabled until it is released; they "
    "were enabled again while it was held (as spin_unlock_irq of another lock does, unconditionally): save and "
    "restore the interrupt state instead (spin_lock_irqsave, push_off/pop_off)";
// A bottom half in a deadlock of one CPU: spinning on process context's
// lock, or holding one that a handler on top of it wants.
constexpr const char* kBhRule =
    "process context must take a lock it shares with a bottom half (softirq, tasklet) with bottom halves "
    "disabled (spin_lock_bh, local_bh_disable): the bottom half runs on the same CPU when an interrupt returns, "
    "and spins on the lock the code it interrupted holds";
constexpr const char* kBhIrqRule =
    "a bottom half that shares a lock with an interrupt handler must take it with interrupts disabled "
    "(spin_lock_irqsave): the handler can interrupt the bottom half on the same CPU and spin on the lock it holds";
constexpr const char* kBhNestRule =
    "bottom halves do not nest on one CPU: Linux runs softirqs at interrupt exit only when the CPU is not already "
    "in one (in_interrupt()), so a handler that came on top of a bottom half must not start another";
constexpr const char* kRecursiveRule =
    "a spinlock is not recursive: a hart that takes a lock it already holds waits for itself forever";
constexpr const char* kThreadDeadlockRule =
    "a thread must not be switched out holding a spinlock: a thread of the same CPU that then spins on it with "
    "interrupts disabled can never be preempted, so the holder never runs again to release it";
constexpr const char* kOrderRule =
    "harts that take more than one lock must take them in one global order, or each can hold a lock "
    "the other waits for";

}  // namespace

void Monitor::check_irq_safety(Word& w, uint32_t addr, uint64_t cycle) {
  check_softirq_safety(w, addr, cycle);
  if (w.kind != Kind::lock || w.warned || !w.irq_used || !w.unsafe_used) return;
  w.warned = true;
  Finding f;
  f.kind = FindingKind::irq_unsafe_lock;
  f.cycle = cycle;
  f.lock = {addr, lock_name(addr)};
  f.holds.push_back(hold_of(w.irq_use, addr));
  f.holds.push_back(hold_of(w.unsafe_use, addr));
  const Hold& later = f.holds.back();
  f.hart = later.hart;
  f.at = later.enabled_later ? later.enabled_at : later.taken_at;
  f.rule = later.enabled_later ? kReenableRule : later.context == Context::softirq ? kBhIrqRule : kIrqRule;
  f.lesson = later.enabled_later ? kReenableLesson : later.context == Context::softirq ? kBhIrqLesson : kIrqLesson;
  report(std::move(f));
}

bool Monitor::live(const Spin& s, uint64_t cycle) const {
  if (!s.active) return false;
  // Still spinning: its last attempt is recent, for the pace it spins at
  // (a hart that gave up has stopped attempting).
  uint64_t every = s.attempts > 1 ? (s.last - s.since) / (s.attempts - 1) : 0;
  return cycle - s.last <= std::max(options_.stale_cycles, 4 * every);
}

bool Monitor::stuck(const Spin& s, uint64_t cycle) const {
  if (!live(s, cycle)) return false;
  return s.attempts >= options_.deadlock_attempts ||
         (s.attempts >= 2 && cycle - s.since >= options_.deadlock_cycles);
}

void Monitor::check_deadlock(Word& w, uint32_t addr, uint64_t cycle, unsigned h) {
  HartState& me = harts_[h];
  Spin& sp = me.frames.back().spin;
  if (sp.reported || !stuck(sp, cycle)) return;

  if (w.hold.hart == h) {
    // Spinning on its own lock: from an interrupt handler that came on top
    // of the holding context, or from the holding context itself; or on a
    // lock of another thread of this hart, switched out (threads.cpp).
    const HoldRec& hr = w.hold;
    const bool other_thread = hr.thread != me.thread;
    // With interrupts on, a tick can preempt the spinner and run the holder:
    // a long spin (a whole time slice, preempt-spinlock), not a deadlock.
    if (other_thread && (me.mie || me.user)) return;
    bool holder_live =
        !other_thread && hr.frame < me.frames.size() && me.frames[hr.frame].entered == hr.frame_entered;
    size_t irq_frame = 0;
    if (holder_live)
      for (size_t i = hr.frame + 1; i < me.frames.size(); ++i)
        if (me.frames[i].interrupt) {
          irq_frame = i;
          break;
        }
    Finding f;
    f.cycle = cycle;
    f.hart = h;
    f.at = site(sp.pc, sp.caller);
    f.lock = {addr, lock_name(addr)};
    f.holds.push_back(hold_of(w.hold, addr));
    f.waits.push_back(wait_of(sp, h));
    if (other_thread) {
      f.kind = FindingKind::thread_deadlock;
      f.thread = f.holds[0].thread;
      f.to_thread = f.waits[0].thread;
      f.rule = kThreadDeadlockRule;
      f.lesson = kThreadDeadlockLesson;
    } else if (irq_frame) {
      const Frame& fr = me.frames[irq_frame];
      f.kind = FindingKind::irq_deadlock;
      f.has_interrupt = true;
      f.interrupt = {h, fr.cause, fr.mcause, fr.entered, site(fr.mepc)};
      // Taken with interrupts off and enabled again while held: the
      // spin_unlock_irq mistake, not the plain spin_lock one.
      bool reenabled = !w.hold.mie && w.hold.enabled_later;
      f.rule = reenabled ? kReenableRule : kIrqRule;
      f.lesson = reenabled ? kReenableLesson : kIrqLesson;
      // A bottom half on either side: the rule of bottom halves.
      const bool bh_waits = me.frames.back().context == Context::softirq;
      if (bh_waits || hr.context == Context::softirq) {
        f.rule = bh_waits ? (hr.context == Context::softirq ? kBhNestRule : kBhRule) : kBhIrqRule;
        f.lesson = bh_waits ? (hr.context == Context::softirq ? "" : kBhLesson) : kBhIrqLesson;
      }
    } else {
      f.kind = FindingKind::recursive_deadlock;
      f.rule = kRecursiveRule;
      f.lesson = kRecursiveLesson;
    }
    sp.reported = true;
    report(std::move(f));
    return;
  }

  // Follow the wait-for graph from h: the holder, what it spins on, that
  // lock's holder... A cycle back to h is a deadlock; h waiting on a cycle
  // it is not part of is left to the members of that cycle to report.
  // Called at every failed attempt of a stuck spinner (a spin loop on a
  // held lock): a path of a few harts stays off the heap.
  boost::container::small_vector<std::pair<unsigned, uint32_t>, 8> path{{h, addr}};  // (waiter, lock)
  unsigned next = w.hold.hart;
  int holder = w.hold.thread;
  while (path.size() <= harts_.size()) {
    if (next == h) break;
    if (next < harts_.size() && harts_[next].thread != holder) return;  // the holder is switched out: no spin of its
    for (const auto& p : path)
      if (p.first == next) return;
    if (next >= harts_.size()) return;
    const Spin& s = harts_[next].frames.back().spin;
    if (!stuck(s, cycle)) return;
    auto it = words_.find(s.addr);
    if (it == words_.end() || it->second.kind != Kind::lock || !it->second.held) return;
    if (it->second.hold.hart == next) return;  // its own same-CPU deadlock
    path.emplace_back(next, s.addr);
    next = it->second.hold.hart;
    holder = it->second.hold.thread;
  }
  if (next != h || me.thread != holder) return;

  Finding f;
  f.kind = FindingKind::cross_cpu_deadlock;
  f.cycle = cycle;
  f.hart = h;
  f.at = site(sp.pc, sp.caller);
  f.lock = {addr, lock_name(addr)};
  for (const auto& [waiter, lock] : path) {
    Spin& s = harts_[waiter].frames.back().spin;
    s.reported = true;
    f.waits.push_back(wait_of(s, waiter));
    f.holds.push_back(hold_of(words_.at(lock).hold, lock));
  }
  f.rule = kOrderRule;
  report(std::move(f));
}

}  // namespace spinlab

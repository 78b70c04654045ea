// The lock monitor's contexts beyond process and hardirq (docs/monitor.md,
// "Bottom halves and nested interrupts"): the bottom half of a trap, inferred
// from what the hart does (its handler acknowledged the device, then turned
// interrupts back on before mret), and lockdep's softirq usage bits with the
// SOFTIRQ-safe -> SOFTIRQ-unsafe warning. Nested interrupts need nothing
// here: each trap pushes a frame (infer.cpp), and the depth is the count of
// interrupt frames (a thread switch may swap a hart's frames: threads.cpp).
#include "sim/monitor/monitor.h"

#include <algorithm>

namespace spinlab {

namespace {

// The rule a lock shared with a bottom half breaks, where (deadlock.cpp
// picks the deadlock's; the warning's is here).
constexpr const char* kSoftirqRule =
    "a lock that a bottom half (softirq, tasklet) takes must be taken in process context with bottom halves "
    "disabled (spin_lock_bh, or interrupts off): a bottom half that runs on the same CPU while process context "
    "holds it spins forever";
constexpr const char* kSoftirqLesson = "docs/lessons/22-bh-lock.md";

}  // namespace

unsigned Monitor::irq_depth(unsigned h) const {
  if (h >= harts_.size()) return 0;
  unsigned n = 0;
  for (const Frame& f : harts_[h].frames) n += f.interrupt;
  return n;
}

Context Monitor::context(unsigned h) const { return h < harts_.size() ? context_of(h) : Context::process; }

// From the words, not the hart's list: the run's end (finish) empties that.
std::vector<uint32_t> Monitor::held(unsigned h) const {
  std::vector<std::pair<uint64_t, uint32_t>> by_time;
  for (const auto& [addr, w] : words_) {
    if (w.kind != Kind::lock || !w.held) continue;  // a candidate may be a counter yet
    if (w.hold.hart == h) by_time.emplace_back(w.hold.since, addr);
    for (const HoldRec& r : w.inside)
      if (r.hart == h) by_time.emplace_back(r.since, addr);
  }
  std::sort(by_time.begin(), by_time.end());
  std::vector<uint32_t> held;
  for (const auto& [since, addr] : by_time) held.push_back(addr);
  return held;
}

uint32_t Monitor::spinning_on(unsigned h) const {
  if (h >= harts_.size()) return 0;
  const Spin& s = harts_[h].frames.back().spin;
  return s.active ? s.addr : 0;
}

void Monitor::maybe_bottom_half(unsigned h, uint64_t cycle, uint32_t pc) {
  HartState& s = harts_[h];
  Frame& f = s.frames.back();
  // Interrupts on before the device was acknowledged: a handler that lets
  // other interrupts nest, still hardirq (its own would come again at once).
  // Once in its bottom half a trap stays there, interrupts off again or not
  // (a bottom half that takes a lock with spin_lock_irqsave), until mret.
  if (!f.interrupt || !f.acked || f.context == Context::softirq) return;
  f.context = Context::softirq;
  event(EventKind::bottom_half, cycle, h, pc, 0, f.mcause, f.entered);
  // A bottom half runs while the interrupted process context holds locks:
  // bottom halves were enabled there (lockdep's ENABLED_SOFTIRQ, seen; the
  // monitor cannot see local_bh_disable, only that it was not in effect).
  for (uint32_t addr : s.held) {
    Word& w = words_.at(addr);
    if (w.bh_used || w.hold.context != Context::process || w.hold.thread != s.thread) continue;
    w.bh_used = true;
    w.bh_use = w.hold;
    w.bh_irq = {h, f.cause, f.mcause, f.entered, site(f.mepc)};
    check_softirq_safety(w, addr, cycle);
  }
}

void Monitor::mark_usage(Word& w, unsigned h) {
  const HartState& s = harts_[h];
  const Context c = s.frames.back().context;
  if (is_hardirq(c)) {
    if (!w.irq_used) w.irq_used = true, w.irq_use = w.hold;
    return;
  }
  if (c == Context::softirq && !w.softirq_used) w.softirq_used = true, w.softirq_use = w.hold;
  // Held with interrupts on, in process context or in a bottom half: a
  // handler that takes it too can come on top (lockdep's ENABLED_HARDIRQ).
  if (s.mie && !w.unsafe_used) w.unsafe_used = true, w.unsafe_use = w.hold;
}

void Monitor::check_softirq_safety(Word& w, uint32_t addr, uint64_t cycle) {
  if (w.kind != Kind::lock || w.softirq_warned || !w.softirq_used || !w.bh_used) return;
  w.softirq_warned = true;
  Finding f;
  f.kind = FindingKind::softirq_unsafe_lock;
  f.cycle = cycle;
  f.lock = {addr, lock_name(addr)};
  f.holds.push_back(hold_of(w.softirq_use, addr));
  f.holds.push_back(hold_of(w.bh_use, addr));
  f.hart = w.bh_use.hart;
  f.at = f.holds.back().taken_at;
  f.has_interrupt = true;
  f.interrupt = w.bh_irq;
  f.rule = kSoftirqRule;
  f.lesson = kSoftirqLesson;
  report(std::move(f));
}

// What confirm() and confirm_thread() would tell, dated when it happened.
uint64_t Monitor::earliest_untold() const {
  uint64_t at = UINT64_MAX;
  for (const auto& [addr, w] : words_) {
    if (w.kind != Kind::candidate) continue;
    if (w.held) at = std::min(at, w.hold.since);
    for (const HoldRec& r : w.inside) at = std::min(at, r.since);
    if (w.told_later) at = std::min(at, w.last_hold.since);
  }
  auto spins = [&](const std::vector<Frame>& frames) {
    for (const Frame& f : frames) {
      if (!f.spin.active) continue;
      auto it = words_.find(f.spin.addr);
      if (it != words_.end() && it->second.kind == Kind::candidate) at = std::min(at, f.spin.since);
    }
  };
  for (const HartState& s : harts_) {
    spins(s.frames);
    if (s.provisional) at = std::min(at, s.prov_event.cycle);
  }
  for (const Thread& t : threads_) spins(t.frames);
  return at;
}

}  // namespace spinlab

// The lock monitor's words: the narrative line of each event (describe),
// the findings' report and the lock statistics. The inference that makes
// them is in infer.cpp, the lockdep pictures in pictures.cpp, the JSON in
// json.cpp.
#include "sim/monitor/monitor.h"
#include "sim/monitor/pictures.h"

#include <algorithm>

#include <fmt/format.h>

#include "isa/hart.h"
#include "sim/out/words.h"

namespace spinlab {

namespace {

std::string lock_label(const Lock& l) {
  std::string addr = fmt::format("{:#010x}", l.addr);
  return l.name == addr ? addr : fmt::format("{} ({})", l.name, addr);
}

// "illegal instruction", "ecall from U-mode", with mtval where the cause
// gives it a meaning (an address or the instruction's bits).
std::string exception_words(const Event& e) {
  const std::string s = isa::exception_words(e.mcause);
  return isa::is_ecall(e.mcause) ? s : fmt::format("{} (mtval {:#010x})", s, e.mtval);  // an ecall's mtval is 0
}

// ": PMP entry 3 refused it" for an access fault the PMP raised.
std::string pmp_words(const Event& e) {
  if (e.pmp_entry == models::TrapInfo::kNotPmp) return "";
  if (e.pmp_entry == models::TrapInfo::kNoEntry) return ": no PMP entry matches the address, so user mode may not";
  return fmt::format(": PMP entry {} refused it", e.pmp_entry);
}

// " thread worker/2" after a hart's name, when the hart has switched threads.
std::string thread_words(const ThreadRef& t) { return t.switched ? " thread " + thread_label(t) : ""; }

// "process context", "a timer interrupt handler", "a bottom half (softirq)".
std::string context_phrase(Context c) {
  if (c == Context::process) return "process context";
  if (c == Context::softirq) return "a bottom half (softirq)";
  return fmt::format("a {} handler", to_string(c));
}

// " (in its timer interrupt handler)", " (in a bottom half (softirq))"; "" in process context.
std::string in_context(Context c) {
  if (c == Context::process) return "";
  if (c == Context::softirq) return " (in a bottom half (softirq))";
  return fmt::format(" (in its {} handler)", to_string(c));
}

// "nested in the timer interrupt handler (depth 2), " for an interrupt taken
// inside another's handler or bottom half; "" otherwise.
std::string nested_words(const Event& e) {
  if (e.irq_depth < 2 || e.interrupted == Context::process) return "";
  if (e.interrupted == Context::softirq) return fmt::format("nested in a bottom half (softirq) (depth {}), ", e.irq_depth);
  return fmt::format("nested in the {} handler (depth {}), ", to_string(e.interrupted), e.irq_depth);
}

const char* irq_state(bool enabled) { return enabled ? "interrupts ENABLED" : "interrupts disabled"; }

std::string hold_line(const Hold& h) {
  std::string ctx = h.context != Context::process ? context_phrase(h.context)
                    : h.user                        ? "user mode"
                                                    : "process context";
  std::string out = fmt::format("hart{}{} holds it since cycle {}, taken in {} with {}\n             at {}\n", h.hart,
                                thread_words(h.thread), h.since, ctx, irq_state(h.interrupts_enabled),
                                format_site(h.taken_at));
  if (h.enabled_later)
    out += fmt::format("             and enabled interrupts at cycle {} while holding it, at {}\n", h.enabled_cycle,
                       format_site(h.enabled_at));
  return out;
}

// One entry of lockdep's "existing dependency chain": `to` taken holding `from`.
std::string dependency_lines(const Dependency& d, size_t number) {
  std::string ctx = d.context != Context::process ? in_context(d.context)
                    : d.user                      ? " (in user mode)"
                                                  : "";
  return fmt::format(
      "  -> #{} ({}):\n         hart{}{} {} {} at cycle {}\n           at {}\n"
      "         while holding {}, taken at cycle {}\n           at {}\n",
      number, d.to.name, d.hart, ctx, d.attempt ? "spun on" : "took", d.to.name, d.cycle, format_site(d.to_at),
      d.from.name, d.from_since, format_site(d.from_at));
}

std::string wait_line(const Wait& w) {
  std::string ctx = in_context(w.context);
  return fmt::format("hart{}{}{} spins on {} since cycle {} ({} failed attempts)\n             at {}\n", w.hart,
                     thread_words(w.thread), ctx, lock_label(w.lock), w.since, w.attempts, format_site(w.at));
}

// The findings of threads (sim/monitor/threads.cpp).
std::string format_thread_finding(const Finding& f) {
  std::string out;
  const std::string from = thread_label(f.thread), to = thread_label(f.to_thread);
  switch (f.kind) {
    case FindingKind::switch_holding_lock: {
      const Hold& h = f.holds.at(0);
      out += fmt::format("WARNING at cycle {}: hart{} switches from thread {} to thread {} while {} holds {}\n",
                         f.cycle, f.hart, from, to, from, f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += "  held:      " + hold_line(h);
      out += fmt::format("  switch at: {}\n", format_site(f.at));
      out += fmt::format("  why:       {} did not take it over (release it before its own next switch): a thread\n"
                         "             that wants it spins until {} runs again\n",
                         to, from);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::switch_scenario(f.thread, f.to_thread, f.lock.name, false);
      break;
    }
    case FindingKind::thread_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      out += fmt::format(
          "DEADLOCK on hart{} at cycle {}: thread {} spins with interrupts disabled on {}, which thread {} holds, "
          "switched out on the same hart\n",
          f.hart, f.cycle, thread_label(w.thread), f.lock.name, thread_label(h.thread));
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += "  held:      " + hold_line(h);
      out += "  waits:     " + wait_line(w);
      out += fmt::format("  why:       nothing can preempt hart{} now, so {} never runs again to release it\n",
                         f.hart, thread_label(h.thread));
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::switch_scenario(h.thread, w.thread, f.lock.name, true);
      break;
    }
    case FindingKind::sleep_in_interrupt: {
      out += fmt::format(
          "BUG at cycle {}: scheduling while in interrupt: hart{} switches from thread {} to thread {} inside its {} "
          "handler\n",
          f.cycle, f.hart, from, to, to_string(f.interrupt.cause));
      out += fmt::format(
          "  interrupt: {} on hart{} at cycle {}, interrupting {}\n             its device not acknowledged yet\n",
          to_string(f.interrupt.cause), f.interrupt.hart, f.interrupt.cycle, format_site(f.interrupt.interrupted_at));
      out += fmt::format("  switch at: {}\n", format_site(f.at));
      for (const Hold& h : f.holds)
        out += fmt::format("  holding:   {} since cycle {}, taken at {}\n", lock_label(h.lock), h.since,
                           format_site(h.taken_at));
      out += fmt::format("  rule:      {}\n\n", f.rule);
      break;
    }
    default: break;
  }
  return out;
}

}  // namespace

std::string format_site(const Site& s) {
  std::string out = s.where;
  if (!s.line.empty()) out += fmt::format(" ({})", s.line);
  if (s.caller_pc) {
    out += fmt::format(", called from {}", s.caller);
    if (!s.caller_line.empty()) out += fmt::format(" ({})", s.caller_line);
  }
  return out;
}

const char* to_string(Context c) {
  switch (c) {
    case Context::process: return words::kProcess;
    case Context::software_irq:
    case Context::timer_irq:
    case Context::external_irq:
    case Context::other_irq: return words::interrupt(interrupt_code(c));
    case Context::softirq: return words::kBottomHalf;
  }
  return "?";
}

const char* to_string(FindingKind k) {
  switch (k) {
    case FindingKind::irq_deadlock: return "irq-deadlock";
    case FindingKind::recursive_deadlock: return "recursive-deadlock";
    case FindingKind::cross_cpu_deadlock: return "cross-cpu-deadlock";
    case FindingKind::irq_unsafe_lock: return "irq-unsafe-lock";
    case FindingKind::softirq_unsafe_lock: return "softirq-unsafe-lock";
    case FindingKind::wfi_holding_lock: return "wfi-holding-lock";
    case FindingKind::release_not_held: return "release-not-held";
    case FindingKind::mutual_exclusion: return "mutual-exclusion";
    case FindingKind::lock_order_inversion: return "lock-order-inversion";
    case FindingKind::switch_holding_lock: return "switch-holding-lock";
    case FindingKind::thread_deadlock: return "thread-deadlock";
    case FindingKind::sleep_in_interrupt: return "sleep-in-interrupt";
  }
  return "?";
}

bool is_deadlock(FindingKind k) {
  return k == FindingKind::irq_deadlock || k == FindingKind::recursive_deadlock ||
         k == FindingKind::cross_cpu_deadlock || k == FindingKind::thread_deadlock;
}

const char* to_string(SwitchWhere w) {
  switch (w) {
    case SwitchWhere::kernel: return "in kernel code (preempt_enable, or a call to schedule)";
    case SwitchWhere::irq_return: return "on return from an interrupt";
    case SwitchWhere::from_user: return "in a trap from user mode (a system call, or on the way back to user mode)";
    case SwitchWhere::in_handler: return "inside an interrupt handler";
    case SwitchWhere::in_trap: return "in an exception handler";
  }
  return "?";
}

const char* to_string(EventKind k) {
  switch (k) {
    case EventKind::acquire: return "acquire";
    case EventKind::release: return "release";
    case EventKind::spin: return "spin";
    case EventKind::interrupt: return "interrupt";
    case EventKind::exception: return "exception";
    case EventKind::mret: return "mret";
    case EventKind::wfi: return "wfi";
    case EventKind::thread_switch: return "switch";
    case EventKind::bottom_half: return "bottom-half";
  }
  return "?";
}

// --- the report ---------------------------------------------------------------

std::string format_finding(const Finding& f) {
  std::string out;
  switch (f.kind) {
    case FindingKind::irq_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      const std::string who = w.context != Context::softirq ? fmt::format("its {} handler", to_string(w.context))
                              : f.has_interrupt ? fmt::format("the bottom half (softirq) of its {}", to_string(f.interrupt.cause))
                                                : std::string("its bottom half (softirq)");
      out += fmt::format("DEADLOCK on hart{} at cycle {}: {} spins on {}, which hart{} itself holds\n", f.hart, f.cycle,
                         who, f.lock.name, h.hart);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += "  held:      " + hold_line(h);
      if (f.has_interrupt)
        out += fmt::format("  interrupt: {} on hart{} at cycle {}, interrupting {}\n", to_string(f.interrupt.cause),
                           f.interrupt.hart, f.interrupt.cycle, format_site(f.interrupt.interrupted_at));
      out += "  waits:     " + wait_line(w);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::irq_scenario(h.hart, f.lock.name, f.has_interrupt ? f.interrupt.cause : w.context);
      break;
    }
    case FindingKind::recursive_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      out += fmt::format("DEADLOCK on hart{} at cycle {}: it spins on {}, which it already holds\n", f.hart, f.cycle,
                         f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += "  held:      " + hold_line(h);
      if (h.context != w.context)
        out += fmt::format("             (the {} handler that took it returned without releasing it)\n",
                           to_string(h.context));
      out += "  waits:     " + wait_line(w);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += fmt::format(
          "  possible unsafe locking scenario:\n\n         hart{}\n         ----\n    lock({});\n    lock({});\n\n"
          "   *** DEADLOCK ***\n\n",
          f.hart, f.lock.name, f.lock.name);
      break;
    }
    case FindingKind::cross_cpu_deadlock: {
      std::string who;
      for (size_t i = 0; i < f.waits.size(); ++i)
        who += fmt::format("{}hart{}", i == 0 ? "" : i + 1 == f.waits.size() ? " and " : ", ", f.waits[i].hart);
      out += fmt::format("DEADLOCK across harts at cycle {}: {} wait for each other\n", f.cycle, who);
      for (size_t i = 0; i < f.waits.size(); ++i) {
        out += "  " + wait_line(f.waits[i]);
        out += "    and " + hold_line(f.holds[i]);
      }
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::cross_scenario(f);
      break;
    }
    case FindingKind::irq_unsafe_lock: {
      const Hold& irq = f.holds.at(0);
      const Hold& on = f.holds.at(1);
      out += fmt::format(
          "WARNING at cycle {}: {} is taken in an interrupt handler and also held with interrupts enabled\n", f.cycle,
          f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += fmt::format("  in irq:    hart{}, in a {} handler, at cycle {}\n             at {}\n", irq.hart,
                         to_string(irq.context), irq.since, format_site(irq.taken_at));
      if (on.enabled_later)
        out += fmt::format(
            "  irqs on:   hart{}, in {}, took it at cycle {} with interrupts disabled\n             at {}\n"
            "             and enabled interrupts at cycle {} while holding it, at {}\n",
            on.hart, context_phrase(on.context), on.since, format_site(on.taken_at), on.enabled_cycle,
            format_site(on.enabled_at));
      else
        out += fmt::format("  irqs on:   hart{}, in {} with interrupts enabled, at cycle {}\n             at {}\n",
                           on.hart, context_phrase(on.context), on.since, format_site(on.taken_at));
      if (!could_interrupt(on, irq.context))
        out += fmt::format(
            "  why:       {}; on hart{} it could not come:\n"
            "             hart{}'s mie.{} (the {}'s enable) was clear while it held {}, and a hart\n"
            "             takes an interrupt only when its mie bit and mstatus.MIE are both set. No deadlock this run,\n"
            "             and not by luck; but the day hart{} enables it, the handler spins on a lock its own hart holds\n",
            irq.hart == on.hart ? "the handler took it on this hart at another time"
                                : fmt::format("the handler ran on hart{} this time, where it only had to wait", irq.hart),
            on.hart, on.hart, enable_bit(irq.context), to_string(irq.context), f.lock.name, on.hart);
      else if (irq.hart == on.hart)
        out += fmt::format(
            "  why:       if that interrupt comes while hart{} holds it, the handler spins on a lock its own hart\n"
            "             holds; no deadlock this run, but only because of timing\n",
            on.hart);
      else
        out += fmt::format(
            "  why:       the handler ran on hart{} this time, where it only had to wait; if the interrupt comes\n"
            "             on hart{} while hart{} holds it, the handler spins on a lock its own hart holds: only the\n"
            "             local hart's interrupts matter, and they were on. No deadlock this run, but only by luck\n",
            irq.hart, on.hart, on.hart);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::irq_scenario(on.hart, f.lock.name, irq.context);
      break;
    }
    case FindingKind::softirq_unsafe_lock: {
      // Lockdep's "inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage".
      const Hold& bh = f.holds.at(0);
      const Hold& on = f.holds.at(1);
      out += fmt::format(
          "WARNING at cycle {}: {} is taken in a bottom half and also held with bottom halves enabled\n", f.cycle,
          f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += fmt::format("  in bh:     hart{}, in a bottom half (softirq), at cycle {}\n             at {}\n", bh.hart,
                         bh.since, format_site(bh.taken_at));
      out += fmt::format("  bh on:     hart{}, in process context with interrupts enabled, at cycle {}\n             at {}\n",
                         on.hart, on.since, format_site(on.taken_at));
      if (f.has_interrupt)
        out += fmt::format(
            "             while it held it, the bottom half of the {} ran on hart{} (entered at cycle {}):\n"
            "             bottom halves were not disabled there\n",
            to_string(f.interrupt.cause), f.interrupt.hart, f.interrupt.cycle);
      out += fmt::format(
          "  why:       had that bottom half taken {} then, it would have spun on a lock its own hart held;\n"
          "             no deadlock this run, but only because of timing\n",
          f.lock.name);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::irq_scenario(on.hart, f.lock.name, Context::softirq);
      break;
    }
    case FindingKind::wfi_holding_lock: {
      std::string names;
      for (const Hold& h : f.holds) names += (names.empty() ? "" : ", ") + h.lock.name;
      out += fmt::format("WARNING at cycle {}: hart{} sleeps in wfi while holding {}\n", f.cycle, f.hart, names);
      out += fmt::format("  wfi at:    {}\n", format_site(f.at));
      for (const Hold& h : f.holds)
        out += fmt::format("  holding:   {} since cycle {}, taken at {}\n", lock_label(h.lock), h.since,
                           format_site(h.taken_at));
      out += fmt::format("  rule:      {}\n\n", f.rule);
      break;
    }
    case FindingKind::release_not_held: {
      out += fmt::format("WARNING at cycle {}: hart{} releases {}, which it does not hold\n", f.cycle, f.hart,
                         f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += fmt::format("  released:  at {}\n", format_site(f.at));
      if (f.holds.empty())
        out += "  held:      by nobody (a second release, or a release without an acquire)\n";
      else
        out += "  held:      " + hold_line(f.holds[0]);
      out += fmt::format("  rule:      {}\n\n", f.rule);
      break;
    }
    case FindingKind::mutual_exclusion: {
      const Hold& first = f.holds.at(0);
      const Hold& second = f.holds.at(1);
      out += fmt::format("RACE at cycle {}: hart{} and hart{} are both inside {}\n", f.cycle, first.hart, second.hart,
                         f.lock.name);
      out += fmt::format("  lock:      {}\n", lock_label(f.lock));
      out += fmt::format("  inside:    hart{} found it free at cycle {} and set it at cycle {}\n             at {}\n",
                         first.hart, first.tested, first.since, format_site(first.taken_at));
      out += fmt::format("  also in:   hart{} found it free at cycle {} and set it at cycle {}, while hart{} was inside\n"
                         "             at {}\n",
                         second.hart, second.tested, second.since, first.hart, format_site(second.taken_at));
      out += fmt::format("  rule:      {}\n\n", f.rule);
      out += pictures::overlap_scenario(first, second);
      break;
    }
    case FindingKind::lock_order_inversion: {
      // Lockdep's words (kernel/locking/lockdep.c, print_circular_bug):
      // #0 is the dependency being added, the others the chain it closes.
      const Dependency& now = f.chain.at(0);
      out += fmt::format("WARNING: possible circular locking dependency detected at cycle {}\n", f.cycle);
      out += fmt::format("  hart{} is trying to acquire lock:\n    {}, at cycle {}\n    at {}\n\n", now.hart,
                         lock_label(now.to), now.cycle, format_site(now.to_at));
      out += fmt::format("  but hart{} is already holding lock:\n    {}, since cycle {}\n    at {}\n\n", now.hart,
                         lock_label(now.from), now.from_since, format_site(now.from_at));
      out += "  which lock already depends on the new lock.\n\n";
      out += "  the existing dependency chain (in reverse order) is:\n\n";
      for (size_t i = f.chain.size() - 1; i > 0; --i) out += dependency_lines(f.chain[i], i);
      out += dependency_lines(now, 0);
      out += fmt::format("\n  rule:      {}\n\n", f.rule);
      out += pictures::circular_scenario(f);
      break;
    }
    case FindingKind::switch_holding_lock:
    case FindingKind::thread_deadlock:
    case FindingKind::sleep_in_interrupt: out += format_thread_finding(f); break;
  }
  if (!f.lesson.empty()) out += fmt::format("  read:      {}\n", f.lesson);
  return out;
}

std::string format_lock_stats(const std::vector<LockStats>& stats) {
  if (stats.empty()) return "locks: none seen\n";
  size_t width = 4;
  for (const LockStats& s : stats) width = std::max(width, s.lock.name.size());
  // Overlaps (two harts inside a test-then-set lock) get a column only when there are some.
  const bool overlaps = std::any_of(stats.begin(), stats.end(), [](const LockStats& s) { return s.overlaps > 0; });
  std::string out = fmt::format("{:<{}}  {:>10}  {:>8}  {:>12}  {:>10}  {:>8}  {:>10}  {:>12}  {:>10}{}\n", "lock",
                                width, "acquired", "in irq", "hold total", "hold max", "waits", "attempts",
                                "wait total", "wait max", overlaps ? fmt::format("  {:>8}", "overlaps") : "");
  for (const LockStats& s : stats)
    out += fmt::format("{:<{}}  {:>10}  {:>8}  {:>12}  {:>10}  {:>8}  {:>10}  {:>12}  {:>10}{}{}\n", s.lock.name,
                       width, s.acquisitions, s.irq_acquisitions, s.hold_cycles_total, s.hold_cycles_max, s.waits,
                       s.attempts, s.wait_cycles_total, s.wait_cycles_max,
                       overlaps ? fmt::format("  {:>8}", s.overlaps) : "", s.held_at_end ? "  (held at the end)" : "");
  return out;
}

std::string Monitor::describe(const Event& e) const {
  std::string what;
  Site at = site(e.pc, e.ra);
  const char* mie = e.interrupts_enabled ? "irqs on" : "irqs off";
  switch (e.kind) {
    case EventKind::acquire: what = fmt::format("acquire {} at {}", lock_name(e.lock), format_site(at)); break;
    case EventKind::release:
      what = fmt::format("release {} at {} (held {} cycles)", lock_name(e.lock), format_site(at), e.cycle - e.since);
      break;
    case EventKind::spin: what = fmt::format("spin on {} at {}", lock_name(e.lock), format_site(at)); break;
    case EventKind::interrupt:
      // MIE as it was when the interrupt came (the trap clears it next).
      what = fmt::format("enter the handler, {}interrupting {}{}", nested_words(e), e.user ? "user code at " : "",
                         format_site(at));
      mie = "";
      break;
    case EventKind::bottom_half:
      what = fmt::format("enter the bottom half (softirq) of the {}: interrupts on at {}, its device acknowledged",
                         to_string(irq_context(e.mcause)), format_site(at));
      break;
    case EventKind::exception:
      what = exception_words(e) + (e.user && e.mcause != 8 ? " in user code at " : " at ") + format_site(at) +
             pmp_words(e);
      mie = "";
      break;
    case EventKind::mret:
      what = e.no_trap ? fmt::format("mret to {} (no trap to return from: the first entry to user code)",
                                     format_site(at))
                       : fmt::format("mret to {} ({} cycles in the handler)", format_site(at), e.cycle - e.since);
      mie = "";
      break;
    case EventKind::wfi: what = fmt::format("wfi at {}", format_site(at)); break;
    case EventKind::thread_switch:
      // A new thread is named once it runs its own code, after this line.
      what = fmt::format("switch from thread {} to {} at {}, {}", thread_label(thread_ref(e.thread)),
                         e.new_thread ? fmt::format("a new thread, /{}", e.to_thread)
                                      : "thread " + thread_label(thread_ref(e.to_thread)),
                         format_site(at), to_string(e.where));
      break;
  }
  // Code in user mode is named as such: its context is a thread's, run in U.
  const bool in_user = e.user && e.context == Context::process && e.kind != EventKind::interrupt &&
                       e.kind != EventKind::exception;
  return fmt::format("{:>10} hart{} {:<18} {:<8} {}", e.cycle, e.hart, in_user ? "user" : to_string(e.context), mie,
                     what);
}

}  // namespace spinlab

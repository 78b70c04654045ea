// The lock/interrupt monitor (DESIGN.md section 3): infers spinlocks,
// interrupt contexts and deadlocks from what the harts do on the bus, with no
// annotations in the firmware, and explains what it finds by name and place,
// in the manner of Linux lockdep. docs/monitor.md describes the heuristics
// and every finding.
//
// Wiring (sim/cli/run.cpp):
//   Monitor monitor(&elf, harts);
//   monitor.set_return_address([&](unsigned h) { return machine.hart(h).x(1); });
//   monitor.set_interrupt_enables([&](unsigned h) { return machine.hart(h).csrs().mie; });
//   monitor.set_on_deadlock([&](const Finding&) { machine.request_stop(models::StopReason::deadlock); });
//   machine.add_hooks(monitor);
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/hooks.h"
#include "sim/monitor/options.h"

namespace spinlab {

class ElfImage;
struct Symbol;
namespace lockdep {
class Graph;
struct Edge;
}  // namespace lockdep

// What a hart is running: its own code, or the handler of an interrupt (the
// innermost one when they nest), or the bottom half of one: the part of a
// trap that runs after its handler acknowledged the device and turned
// interrupts back on (sim/monitor/contexts.cpp). An exception handler
// (ecall, a fault) runs in the context it was raised from.
enum class Context : uint8_t { process, software_irq, timer_irq, external_irq, other_irq, softirq };

// "process", "timer interrupt", ..., "bottom half (softirq)": the words of
// sim/out/words.h, in every view (the narrative, findings, JSON, the timeline).
const char* to_string(Context c);
// The handler's context of an interrupt's mcause.
Context irq_context(uint32_t mcause);
// An interrupt handler's context (hardirq), not process nor a bottom half.
inline bool is_hardirq(Context c) { return c != Context::process && c != Context::softirq; }
// The interrupt whose handler runs in `irq`: its code (mcause without bit
// 31, and its bit in mip and mie); 0 for other_irq and non-handlers.
uint32_t interrupt_code(Context irq);
// The bit of mie that enables the interrupt whose handler runs in `irq`
// ("MTIE"); nullptr for an interrupt with no name (sim/out/words.h).
const char* enable_bit(Context irq);

// An address in the program, named: "acquire+0x14", "spinlock.c:22", and
// where the return address register pointed then ("called from").
struct Site {
  uint32_t pc = 0;
  std::string where;        // "acquire+0x14", or "0x80000124" without a symbol
  std::string line;         // "spinlock.c:22"; empty without debug info
  // The call that ra returns to (ra - 4, or ra - 2 after c.jal/c.jalr): 0
  // when unknown (no return address, or ra pointed into the same function).
  uint32_t caller_pc = 0;
  std::string caller;       // "clockintr+0xc"
  std::string caller_line;  // "main.c:40"
};

// A thread, as the monitor knows it: a stack (docs/monitor.md, "Threads"),
// named by the function it was first seen running ("main", "worker"), and
// numbered in the order the monitor met them (0: hart 0's boot thread).
struct ThreadRef {
  int id = -1;       // -1: none yet (before the hart's first access)
  std::string name;  // "worker"; reports say "worker/2"
  // It took part in a switch: reports name it (a hart's only thread they leave out).
  bool switched = false;
};

// "worker/2", or "-" for no thread.
std::string thread_label(const ThreadRef& t);

struct Lock {
  uint32_t addr = 0;
  std::string name;  // "tickslock", "locks+0x8", or "0x80001000" without a symbol
};

// A lock held: by whom, since when, taken where and how.
struct Hold {
  Lock lock;
  unsigned hart = 0;
  ThreadRef thread;  // the thread that took it
  Context context = Context::process;
  bool user = false;                // taken by code running in user mode
  bool interrupts_enabled = false;  // mstatus.MIE when it was taken
  uint64_t since = 0;               // the cycle it was taken
  Site taken_at;
  // A lock set by a plain store after a plain load found it free (a
  // test-then-set, naive_lock): the cycle of that load; 0 otherwise.
  uint64_t tested = 0;
  // Interrupts were enabled later, while it was held (lockdep warning only).
  bool enabled_later = false;
  uint64_t enabled_cycle = 0;
  Site enabled_at;
  // The hart's mie CSR while it held it (read at the acquire and when
  // mstatus.MIE went on): which interrupts could come at all. All ones when
  // the monitor cannot read it (no set_interrupt_enables).
  uint32_t mie = ~0u;
};

// A hart spinning on a lock.
struct Wait {
  Lock lock;
  unsigned hart = 0;
  ThreadRef thread;  // the thread spinning
  Context context = Context::process;
  bool user = false;      // spinning in user mode
  uint64_t since = 0;     // the first failed attempt of this spin
  uint64_t attempts = 0;  // failed attempts so far
  Site at;                // where it spins (the first failed attempt)
};

// An interrupt taken by a hart.
struct InterruptEntry {
  unsigned hart = 0;
  Context cause = Context::other_irq;
  uint32_t mcause = 0;
  uint64_t cycle = 0;
  Site interrupted_at;  // mepc: where the hart was when it came
};

enum class FindingKind : uint8_t {
  irq_deadlock,        // an interrupt handler spins on a lock its own hart holds
  recursive_deadlock,  // a hart spins, in the same context, on a lock it holds
  cross_cpu_deadlock,  // a cycle in the wait-for graph between harts
  irq_unsafe_lock,     // taken in an interrupt handler and held with interrupts enabled elsewhere
  softirq_unsafe_lock,  // taken in a bottom half and held elsewhere with bottom halves (and interrupts) enabled
  wfi_holding_lock,    // wfi while holding a spinlock
  release_not_held,    // a lock released by a hart that does not hold it
  mutual_exclusion,    // two harts inside a test-then-set lock at once
  lock_order_inversion,  // locks taken in both orders: lockdep's "possible circular locking dependency"
  switch_holding_lock,  // a thread switched out while holding a spinlock
  thread_deadlock,      // a thread spins, interrupts off, on a lock a switched-out thread of its hart holds
  sleep_in_interrupt,   // a switch to another thread inside an interrupt handler
};

const char* to_string(FindingKind k);  // "irq-deadlock", ...
bool is_deadlock(FindingKind k);

// A lock-order dependency (lock_order_inversion): `to` taken, or spun on,
// by a context that held `from`.
struct Dependency {
  Lock from;
  Lock to;
  unsigned hart = 0;  // who took `to`, holding `from`
  Context context = Context::process;
  bool user = false;
  bool interrupts_enabled = false;
  uint64_t cycle = 0;    // when it took `to` (attempt: its first failed attempt)
  bool attempt = false;  // it spun on `to`, not (yet) holding it
  Site to_at;            // where it took or spun on `to`
  uint64_t from_since = 0;
  Site from_at;  // where it had taken `from`
};

struct Finding {
  FindingKind kind = FindingKind::irq_deadlock;
  uint64_t cycle = 0;  // when the monitor found it
  unsigned hart = 0;   // where it showed
  Site at;             // where it showed: the spin, the wfi, the release
  // Deadlocks: waits[i] waits for holds[i].lock, held by holds[i].hart
  // (waits[i + 1].hart == holds[i].hart round the cycle).
  // irq_unsafe_lock: holds[0] in an interrupt handler, holds[1] with
  // interrupts enabled in process context. wfi_holding_lock: the locks the
  // hart holds. release_not_held: the lock's holder, if anyone held it.
  // mutual_exclusion: holds[0] inside first, holds[1] went in too.
  // lock_order_inversion: holds[0] the lock held by the acquisition that
  // closed the cycle.
  std::vector<Hold> holds;
  std::vector<Wait> waits;
  // lock_order_inversion: the cycle, chain[0] the dependency that closed it
  // (A -> B: B taken holding A), then the ones it closes, B -> ... -> A.
  std::vector<Dependency> chain;
  Lock lock;                      // the lock concerned (deadlocks: the first edge's; inversion: B)
  // switch_holding_lock, sleep_in_interrupt: the thread that switched out
  // (holds: the locks it held) and the one switched to. thread_deadlock:
  // the holder is holds[0].thread, the waiter waits[0].thread.
  ThreadRef thread;
  ThreadRef to_thread;
  // irq_deadlock, sleep_in_interrupt: the interrupt whose handler (or
  // bottom half) it was. softirq_unsafe_lock: the interrupt whose bottom
  // half ran on holds[1]'s hart while it held the lock (bottom halves were
  // enabled there).
  bool has_interrupt = false;
  InterruptEntry interrupt;
  std::string rule;    // the rule that was broken, in one sentence
  std::string lesson;  // "docs/lessons/03-irq-deadlock.md"; may be empty
};

// A place as reports say it: "acquire+0x14 (spinlock.c:22), called from
// main+0x70 (main.c:33)"; the parts without debug info or caller left out.
std::string format_site(const Site& s);

// Whether the interrupt whose handler runs in `irq` was enabled in the mie
// CSR of the hart that held `h`, while it held it. A hart takes an interrupt
// only when both mstatus.MIE and the interrupt's own bit in mie are set
// (privileged spec 3.1.6.1 and 3.1.9): `h.interrupts_enabled` is the first,
// this the second, so that "only by luck" is said only when it was luck.
// True for an interrupt with no known bit, and when mie was not read.
bool could_interrupt(const Hold& h, Context irq);

// The report of a finding, as the terminal shows it (several lines, ending
// in '\n'), with a lockdep-style "possible unsafe locking scenario".
std::string format_finding(const Finding& f);

struct LockStats {
  Lock lock;
  uint64_t acquisitions = 0;
  uint64_t irq_acquisitions = 0;  // taken in an interrupt handler
  uint64_t hold_cycles_total = 0;
  uint64_t hold_cycles_max = 0;
  // The words of docs/monitor.md's glossary: a *wait* is one context's
  // stretch of failed attempts, from the first to the acquire (or to giving
  // up); an *attempt* is one test that found the lock taken.
  uint64_t waits = 0;
  uint64_t attempts = 0;           // failed attempts, in all its waits
  uint64_t wait_cycles_total = 0;  // first failed attempt to the acquire, summed over the waits
  uint64_t wait_cycles_max = 0;
  // Acquisitions made while another hart was inside (a test-then-set
  // lock's broken mutual exclusion).
  uint64_t overlaps = 0;
  bool held_at_end = false;
};

// The end-of-run table of locks: acquisitions, hold and wait time.
std::string format_lock_stats(const std::vector<LockStats>& stats);

// Where a thread was when it was switched out, which tells the preemption
// point (docs/monitor.md, "Threads"): Linux switches on the way back to user
// mode (1), on return from an interrupt to kernel code (2), and in kernel
// code when preempt_count drops to 0 (3) or the thread calls schedule() (4);
// 3 and 4 look the same from the bus.
enum class SwitchWhere : uint8_t {
  kernel,      // kernel code, no trap: preempt_enable/spin_unlock, or a call to schedule()
  irq_return,  // an interrupt from kernel code, its handler done: on the way back (point 2)
  from_user,   // a trap from user mode: a system call, or on the way back to user mode (point 1)
  in_handler,  // an interrupt handler not done yet (sleep-in-interrupt)
  in_trap,     // an exception handler from kernel code
};

const char* to_string(SwitchWhere w);  // "on return from an interrupt", ...

// One thing the monitor saw, for the terminal narrative or a timeline.
enum class EventKind : uint8_t {
  acquire,    // `lock` taken
  release,    // `lock` released; `since`: when it was taken
  spin,       // a first failed attempt on `lock`
  interrupt,  // an interrupt handler entered (`mcause`), interrupting `pc`
  exception,  // an exception handler entered (`mcause`) at `pc`
  mret,       // a handler returned to `pc`; `since`: when it was entered
  wfi,        // the hart went to sleep at `pc`
  thread_switch,  // the hart switched from `thread` to `to_thread` at `pc` (sp moved to another stack)
  bottom_half,    // the handler of `mcause`, its device acknowledged, turned interrupts on at `pc`: its bottom half
};

const char* to_string(EventKind k);

struct Event {
  EventKind kind = EventKind::acquire;
  uint64_t cycle = 0;
  unsigned hart = 0;
  uint32_t pc = 0;
  uint32_t ra = 0;                     // the return address then, when read (acquire, release, spin, wfi)
  Context context = Context::process;  // after the event (interrupt: the handler's)
  bool interrupts_enabled = false;     // mstatus.MIE at the event (describe() leaves it out for traps and mret)
  uint32_t lock = 0;                   // acquire, release, spin
  uint32_t mcause = 0;                 // interrupt, exception, mret
  uint64_t since = 0;  // release: the acquire's cycle; mret: the trap's
  // In user mode: the code at the event (acquire, release, spin, wfi), the
  // code interrupted or raising the exception, the code mret returns to.
  bool user = false;
  bool no_trap = false;  // mret: not the return of a trap (a jump into user code)
  uint32_t mtval = 0;  // exception
  int pmp_entry = models::TrapInfo::kNotPmp;  // exception: the PMP entry that refused an access
  int thread = -1;     // the thread running (thread_switch: the one leaving); Monitor::thread_name names it
  int to_thread = -1;  // thread_switch: the thread it switched to
  bool new_thread = false;  // thread_switch: `to_thread` was not seen before
  SwitchWhere where = SwitchWhere::kernel;  // thread_switch: where the thread leaving was
  // Interrupt handlers entered and not returned from, after the event (a
  // bottom half counts as its handler): 2 and more is a nested interrupt.
  unsigned irq_depth = 0;
  // interrupt: the context it interrupted (a handler's: it nested in it).
  Context interrupted = Context::process;
};

class Monitor : public models::Hooks {
 public:
  // `elf` names locks and places (nullptr: addresses only); it must outlive
  // the monitor.
  Monitor(const ElfImage* elf, unsigned harts, MonitorOptions options = {});
  ~Monitor() override;

  // Reads hart h's return address register (x1) at an acquire or a spin, to
  // say "called from". Optional.
  void set_return_address(std::function<uint32_t(unsigned hart)> ra) { ra_ = std::move(ra); }
  // Reads hart h's mie CSR at an acquire, to tell whether an interrupt
  // could have come while the lock was held ("only by luck", or not at
  // all). Optional: without it every interrupt counts as enabled.
  void set_interrupt_enables(std::function<uint32_t(unsigned hart)> mie) { mie_ = std::move(mie); }
  // Reads the word at hart h's sp + offset, for the return address a
  // function saved on its stack (a caller's, when ra is left over from a
  // call it made itself: sim/monitor/callers.cpp). Optional.
  void set_stack_reader(std::function<std::optional<uint32_t>(unsigned hart, int32_t offset)> read) {
    stack_ = std::move(read);
  }
  // Called at every finding, as it is found.
  void set_on_finding(std::function<void(const Finding&)> fn) { on_finding_ = std::move(fn); }
  // Called at a deadlock, after on_finding: the run should stop.
  void set_on_deadlock(std::function<void(const Finding&)> fn) { on_deadlock_ = std::move(fn); }
  // Adds a listener called at every event (the narrative, a timeline, the
  // VCD's lock signals), in the order added; no event is built without one.
  void add_listener(std::function<void(const Event&)> fn) { listeners_.push_back(std::move(fn)); }

  const std::vector<Finding>& findings() const { return findings_; }
  // Every word inferred to be a lock, by address.
  std::vector<LockStats> lock_stats() const;
  // One line: "  1234 hart0 timer interrupt  irqs off  acquire tickslock at acquire+0x14 (spinlock.c:22)".
  std::string describe(const Event& e) const;
  // Interrupt handlers hart h is inside now (its bottom halves included).
  unsigned irq_depth(unsigned h) const;
  // What hart h runs now, the words it holds (in the order taken) and the
  // word it spins on (0: none): a debugger's words for a hart
  // (qThreadExtraInfo, sim/gdb/monitor_cmds.cpp).
  Context context(unsigned h) const;
  std::vector<uint32_t> held(unsigned h) const;
  uint32_t spinning_on(unsigned h) const;
  // "tickslock", "locks+0x8" or "0x80001000".
  std::string lock_name(uint32_t addr) const;
  // The thread's name ("worker"; "?" until the monitor has seen it run
  // outside the code that switched to it) and "worker/2" (thread_label).
  std::string thread_name(int id) const;
  ThreadRef thread_ref(int id) const;
  // The thread hart h runs now (-1 before its first access).
  int current_thread(unsigned h) const { return h < harts_.size() ? harts_[h].thread : -1; }
  // pc named; with `ra`, hart's return address then, also the call it
  // returns to (when that is in another function).
  Site site(uint32_t pc, uint32_t ra = 0) const;
  // The earliest cycle of an event the monitor may still tell late, dated
  // in the past (UINT64_MAX: none): the acquires of words held before they
  // are known to be locks, the spins on them, a two-word ticket lock's hold
  // told at its next acquisition, a switch to a thread not yet confirmed.
  // Anything else is told at the cycle the machine reports it. For the
  // narrative's order (sim/out/narrate.h) and the VCD writer's, which asks
  // every 256 cycles; it walks every word, so not per access.
  uint64_t earliest_untold() const;

  // models::Hooks: the hart events.
  unsigned wants() const override { return kHartEvents; }
  void access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse& resp,
              uint32_t old_value) override;
  void trap(uint64_t cycle, unsigned h, const models::TrapInfo& t) override;
  void mret(uint64_t cycle, unsigned h, uint32_t pc, bool to_user) override;
  void wfi(uint64_t cycle, unsigned h, uint32_t pc) override;
  void interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) override;
  void stack_switched(uint64_t cycle, unsigned h, uint32_t pc, uint32_t old_sp, uint32_t new_sp) override;
  void finish(uint64_t cycle) override;

 private:

  // A hold as the hot path records it: numbers only, named when reported.
  struct HoldRec {
    unsigned hart = 0;
    int thread = -1;
    uint64_t since = 0;
    uint32_t pc = 0;
    uint32_t caller = 0;
    uint64_t tested = 0;  // a test-then-set: its load found the word free then
    bool mie = false;
    bool user = false;  // taken in user mode
    Context context = Context::process;
    uint32_t frame = 0;          // the holding context: an index into the hart's frames...
    uint64_t frame_entered = 0;  // ...and when it was entered (which handler it was)
    bool enabled_later = false;  // MIE went on while held
    uint32_t mie_csr = ~0u;      // the mie CSR then (Hold::mie)
    uint64_t enabled_cycle = 0;
    uint32_t enabled_pc = 0;
    bool wfi_reported = false;
    bool wfi_pending = false;  // slept in wfi while holding, before the word was known as a lock
    uint64_t wfi_cycle = 0;
    uint32_t wfi_pc = 0;
    uint32_t wfi_caller = 0;
    // The thread switched out holding it (sim/monitor/threads.cpp): a
    // finding unless the thread switched to releases it first (a handoff).
    bool carried = false;
    bool carry_reported = false;
    uint64_t carry_cycle = 0;
    uint32_t carry_pc = 0;
    uint32_t carry_caller = 0;  // switch_caller then
    int carry_to = -1;
  };
  enum class Kind : uint8_t {
    candidate,  // set from 0 by an AMO or SC: maybe a lock, maybe a counter
    lock,       // released to 0 by its acquirer, or spun on
    data,       // changed like data (a counter, a pointer): never a lock
  };
  // The part a word plays in a ticket lock (sim/monitor/ticket.cpp).
  enum class Ticket : uint8_t {
    none,    // not a ticket lock's (a test-and-set lock, or not known yet)
    halves,  // Linux's arch_spinlock_t: `next` in the high 16 bits, `owner` in the low 16
    next,    // the `next` word of a two-word lock: the lock, as the monitor names it
    owner,   // the `owner` word of a two-word lock (its `partner` is the lock)
  };
  // A hart that took a ticket and waits for its turn; or (`known` false) a
  // hart that added 1 to a word with amoadd, whose next loads tell whether
  // that was a ticket (it reads a neighbour until it equals the old value)
  // or a count.
  struct TicketWait {
    bool active = false;
    bool known = false;   // `owner` is known: the word is a ticket lock's
    bool halves = false;  // Linux's layout: the owner is the low half of `lock`
    uint8_t window = 0;   // loads left to find the owner (not `known` yet)
    uint32_t lock = 0;    // the word with `next`
    uint32_t owner = 0;   // the word with `owner` (halves: `lock`)
    uint32_t ticket = 0;  // the value of `next` this hart took
  };
  struct Word {
    Kind kind = Kind::candidate;
    bool held = false;
    HoldRec hold;
    bool irq_used = false;     // taken in an interrupt handler (first time: irq_use)
    bool unsafe_used = false;  // held with MIE set in process context (first time: unsafe_use)
    bool warned = false;
    // Lockdep's softirq usage (contexts.cpp): taken in a bottom half
    // (USED_IN_SOFTIRQ), and held in process context while a bottom half
    // ran on its hart (ENABLED_SOFTIRQ, seen: bh_use, bh_irq its interrupt).
    bool softirq_used = false;
    bool bh_used = false;
    bool softirq_warned = false;
    HoldRec softirq_use;
    HoldRec bh_use;
    InterruptEntry bh_irq;
    bool switch_warned = false;  // switch-holding-lock reported (once a lock)
    HoldRec irq_use;
    HoldRec unsafe_use;
    // Set only by plain stores so far, each after a plain load by the same
    // hart found it 0 (naive_lock). Such a word is a lock once a hart
    // releases it and two harts have taken it: one hart alone setting and
    // clearing a word of its own (xv6's noff) is bookkeeping, not a lock.
    bool plain = false;
    uint64_t takers = 0;          // harts that took it, as bits (hart % 64)
    std::vector<HoldRec> inside;  // more holders, who went in while it was held
    bool overlap_seen = false;    // the first such overlap...
    bool overlap_reported = false;
    HoldRec overlap_first;        // ...who was inside
    HoldRec overlap_second;       // ...and who went in too
    uint64_t overlap_cycle = 0;
    // Changed by amoadd: a count (a plain store to it too is its reset),
    // unless it turns out to be a ticket lock's `next`.
    bool counted = false;
    Ticket ticket = Ticket::none;
    uint32_t partner = 0;      // next <-> owner of a two-word ticket lock
    uint32_t next_ticket = 0;  // `next` after the last ticket taken (two-word: whether a release frees it)
    uint32_t releases = 0;     // two-word: times the holder advanced `owner`
    uint32_t polls = 0;        // two-word: the holder's loads of `owner` in this hold
    // Two-word: the hold that ended last while it was a candidate, told when
    // it is confirmed at the next acquisition (so that the narrative and the
    // timeline show it, release included).
    bool told_later = false;
    HoldRec last_hold;
    Event last_release;
    LockStats stats;  // names filled in by lock_stats()
  };
  struct Spin {
    bool active = false;
    bool reported = false;  // part of a reported deadlock
    uint32_t addr = 0;
    uint64_t since = 0;
    uint64_t last = 0;
    uint32_t pc = 0;
    uint32_t caller = 0;
    uint64_t attempts = 0;
  };
  // One context of a hart: frames[0] is its own code; each trap pushes one
  // and mret pops it.
  struct Frame {
    bool interrupt = false;
    Context context = Context::process;
    uint32_t mcause = 0;
    uint64_t entered = 0;
    uint32_t mepc = 0;
    Spin spin;
    TicketWait ticket;
    // An interrupt handler's device acknowledged (threads.cpp): switching
    // threads from here on is preemption, before it sleep-in-interrupt.
    bool acked = false;
    bool from_user = false;  // the trap came from user mode
    // An interrupt's cause (its handler's context): `context` becomes
    // Context::softirq when the handler enters its bottom half.
    Context cause = Context::process;
  };
  // A thread (threads.cpp): a stack; while parked, the sp it left at and
  // its contexts (a thread preempted in a handler resumes in it).
  struct Thread {
    std::string name;  // empty until named
    bool switched = false;  // it switched out or in once
    uint32_t switch_pc = 0;  // the switch that first ran it: not its own code
    // Seeing past a start trampoline (threads.cpp, name_thread): the
    // function it was first named by, the function it went on to (the first
    // outside `first` since it last ran in `first`, or its first mret to
    // user mode), and whether its first run is over (it switched out).
    const Symbol* first = nullptr;
    const Symbol* second = nullptr;
    bool settled = false;
    bool parked = false;
    uint32_t sp = 0;
    unsigned hart = 0;  // the hart it last ran on
    std::vector<Frame> frames;
    // Parked on its kernel stack (HartState::kernel_stack): the user sp it
    // goes back to.
    bool kernel_stack = false;
    uint32_t user_sp = 0;
    // Switched out from an interrupt stack: a trap stack's switch (FreeRTOS)
    // resumes it at `sp`, its own; a handler that slept there (swtch on the
    // interrupt stack) resumes at `irq_sp`, and goes back to `sp` later.
    uint32_t irq_sp = 0;
  };
  struct HartState {
    std::vector<Frame> frames;
    unsigned overflow = 0;  // traps beyond kMaxFrames, not recorded
    bool mie = false;
    bool user = false;  // runs in user mode (an mret to U; a trap returns it to M)
    std::vector<uint32_t> held;  // words this hart holds, in the order taken
    // An LR that read non-zero, not yet followed by an SC: a failed attempt
    // if the next LR comes first (an LR/SC lock loop), nothing if an SC does
    // (a counter or list updated with LR/SC).
    bool lr_pending = false;
    uint32_t lr_addr = 0;
    uint64_t lr_cycle = 0;
    uint32_t lr_pc = 0;
    // This hart's last load, when it read 0 (else kNoLoad): a plain store
    // of non-zero to the same word next is a test-then-set.
    uint32_t zero_load_addr = kNoLoad;
    uint64_t zero_load_cycle = 0;
    // Threads (threads.cpp): the one running; whether it is on an interrupt
    // stack, and the sp it left for it; the words the last switch carried.
    int thread = -1;
    bool naming = false;  // the running thread has no name yet
    bool on_irq_stack = false;
    uint32_t irq_from = 0;
    // On the thread's own kernel stack, entered by a trap from user mode
    // (irq_from is then its user sp): a thread parks there, unlike on an
    // interrupt stack, which is the CPU's.
    bool kernel_stack = false;
    // On the CPU's interrupt stack, entered from that kernel stack (a trap
    // from user mode that moves on, as Linux's call_on_irq_stack does), and
    // the kernel sp it comes back to before the trap returns.
    bool over_kernel = false;
    uint32_t kernel_sp = 0;
    std::vector<uint32_t> carried;
    // A switch to a new stack not confirmed yet: the thread it came from,
    // the sp, and the event to tell once the new thread touches its stack.
    // An mret to user mode first makes it that thread's user stack instead.
    bool provisional = false;
    int prov_from = -1;
    uint32_t prov_sp = 0;
    bool prov_from_switched = false;
    Event prov_event;
  };
  static constexpr uint32_t kNoLoad = 1;  // no word address is odd
  // Traps nested deeper than this are counted, not recorded (a handler that
  // never returns with mret would otherwise grow the stack without end).
  static constexpr size_t kMaxFrames = 32;

  // Hart h's state, made at its first use.
  HartState& hart_state(unsigned h);
  void on_acquire(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc);
  // A plain store set the word after this hart's load found it free.
  void on_plain_acquire(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, uint64_t tested);
  HoldRec new_hold(unsigned h, uint64_t cycle, uint32_t pc) const;
  // Ends the hold of `rec`, held by w (w.hold or one of w.inside), into w's stats.
  void count_hold(Word& w, const HoldRec& rec, uint32_t addr, uint64_t cycle);
  void report_overlap(Word& w, uint32_t addr);
  // A release-shaped write: a zero over a test-and-set word, `owner`
  // advanced on a ticket lock; `was_set`: the lock was taken before.
  void on_release(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, bool was_set);
  // Ticket locks (sim/monitor/ticket.cpp). An amoadd on a word not known
  // as a ticket lock's (`now`: the value it left).
  void ticket_amoadd(Word& w, uint32_t addr, uint32_t old, uint32_t added, uint32_t now, uint64_t cycle, unsigned h,
                     uint32_t pc);
  // A successful SC on a word not known as a ticket lock's; true if it
  // took a ticket of Linux's layout (next + 1, with next == owner before).
  bool ticket_sc(Word& w, uint32_t addr, uint32_t old, uint32_t now, uint64_t cycle, unsigned h, uint32_t pc);
  // A write (store, AMO, SC) to a word of a ticket lock; `atomic`: AMO or SC.
  void ticket_write(Word& w, uint32_t addr, uint32_t old, uint32_t now, bool atomic, uint64_t cycle, unsigned h,
                    uint32_t pc);
  // A load by a context with a ticket wait; true if it was about that wait.
  bool ticket_wait_load(TicketWait& t, const isa::MemRequest& r, uint32_t rdata, uint64_t cycle, unsigned h,
                        uint32_t pc);
  // A load of a ticket lock's word by a context not waiting on it.
  void ticket_load(Word& w, unsigned h);
  // Hart h runs, now, the context that took `r` (not a handler on top of it).
  bool holding_context(const HoldRec& r, unsigned h) const;
  // `ticket` taken on the lock at `addr` (halves: `owner` is the low half then).
  void ticket_take(Word& w, uint32_t addr, uint32_t ticket, bool halves, uint32_t owner, uint64_t cycle, unsigned h,
                   uint32_t pc);
  // An amoadd of 1 with no ticket wait after it: a count.
  void ticket_not_followed(TicketWait& t);
  void on_attempt(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc);
  void end_hold(Word& w, uint32_t addr, uint64_t cycle);
  // The spin is over (adds its time, up to `until`, to its word's stats).
  void end_spin(Spin& s, uint64_t until);
  void confirm(Word& w, uint32_t addr, uint64_t cycle);
  void mark_data(Word& w, uint32_t addr);
  void check_irq_safety(Word& w, uint32_t addr, uint64_t cycle);
  // Bottom halves (sim/monitor/contexts.cpp). Hart h's innermost handler
  // turned interrupts on at `pc`: its bottom half, if its device was
  // acknowledged (before that, a handler that lets others nest).
  void maybe_bottom_half(unsigned h, uint64_t cycle, uint32_t pc);
  // Lockdep's usage bits of an acquisition by hart h's current context.
  void mark_usage(Word& w, unsigned h);
  void check_softirq_safety(Word& w, uint32_t addr, uint64_t cycle);
  void report_wfi(unsigned h, uint64_t cycle, uint32_t pc, uint32_t caller, const std::vector<uint32_t>& locks);
  void check_deadlock(Word& w, uint32_t addr, uint64_t cycle, unsigned h);
  // Lock order (sim/monitor/lockdep.cpp). Hart h's context takes, or spins
  // on (`attempt`, since `since`), `addr`: a dependency on each lock the
  // context holds.
  void lock_order(uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, uint32_t caller, bool attempt = false,
                  uint64_t since = 0);
  // A spin's attempt: a dependency once it is a spin, not a failed try.
  void lock_order_spin(uint32_t addr, uint64_t cycle, unsigned h, const Spin& sp);
  // `addr` is known as a lock now / is data.
  void lock_order_confirmed(uint32_t addr, uint64_t cycle);
  void lock_order_forget(uint32_t addr);
  void check_order(uint32_t from, uint32_t to, uint64_t cycle);
  void report_inversion(const std::vector<lockdep::Edge>& ring, uint64_t cycle);
  // Still spinning at `cycle` (not given up); stuck: and for long enough.
  bool live(const Spin& s, uint64_t cycle) const;
  bool stuck(const Spin& s, uint64_t cycle) const;
  // A dependency recorded at a spin counts while the spin goes on (a
  // spin given up, a bounded trylock loop, never waited for good).
  bool edge_counts(const lockdep::Edge& e, uint64_t cycle) const;
  Context context_of(unsigned h) const;
  uint32_t return_address(unsigned h) const;
  uint32_t interrupt_enables(unsigned h) const;  // the mie CSR; all ones when unknown
  // The return address that names who called the function at `pc`: ra, or,
  // when ra points back into that function (it called something already,
  // as xv6's acquire calls push_off), the ra its prologue saved on the stack.
  uint32_t caller_address(unsigned h, uint32_t pc) const;
  // Where the function's prologue saves ra: its offset from sp after the
  // prologue, if it does so before any branch (cached by function).
  std::optional<int32_t> saved_ra_offset(const Symbol& f) const;
  // Hart h's ra at a context switch at `pc`, if it is the call into the
  // switching function (else 0: the next thread's, loaded first).
  uint32_t switch_caller(unsigned h, uint32_t pc) const;
  void emit(const Event& e) const;
  Event make_event(EventKind k, uint64_t cycle, unsigned h, uint32_t pc, uint32_t lock, uint32_t mcause,
                   uint64_t since, uint32_t ra) const;
  void event(EventKind k, uint64_t cycle, unsigned h, uint32_t pc, uint32_t lock = 0, uint32_t mcause = 0,
             uint64_t since = 0, uint32_t ra = 0) const;
  void report(Finding f);
  Hold hold_of(const HoldRec& r, uint32_t addr) const;
  Wait wait_of(const Spin& s, unsigned h) const;
  // Threads (sim/monitor/threads.cpp): the boot thread at the hart's first
  // access; the name at its first access outside the switch's function.
  void begin_thread(unsigned h, uint64_t cycle, uint32_t pc);
  // An access by a hart whose thread is new, unnamed or provisional.
  void thread_access(unsigned h, uint64_t cycle, uint32_t pc, uint32_t addr);
  void confirm_thread(unsigned h);
  // The provisional thread was no thread: hart h's last one runs on.
  void undo_thread(unsigned h);
  // to_user: an mret to user mode (where a thread started for user code goes).
  void name_thread(unsigned h, uint32_t pc, bool to_user = false);
  // The thread's first run is over: its name is final, unless its first
  // function proves a trampoline (`trampolines_`).
  void settle_thread(int id);
  bool still_naming(const Thread& t) const;
  int parked_at(uint32_t sp) const;
  // A store by h to a device: its own CLINT timer or msip, or a PLIC
  // completion, acknowledges the handler of that interrupt.
  void acknowledge(unsigned h, uint32_t addr, uint32_t data);
  // The running thread of h leaves for `to` holding locks: they wait for
  // the next switch of h (check_carried), or for a spin on them.
  void carry_locks(unsigned h, uint64_t cycle, uint32_t pc, int to);
  void check_carried(std::vector<uint32_t>& carried);
  void report_carried(Word& w, uint32_t addr);
  void report_sleep_in_irq(unsigned h, uint64_t cycle, uint32_t pc, int from, int to, size_t frame);

  const ElfImage* elf_;
  MonitorOptions options_;
  std::unordered_map<uint32_t, Word> words_;  // every word an LR, SC or AMO touched
  std::vector<HartState> harts_;
  std::vector<Thread> threads_;
  // Functions two threads started in and left for different ones (kthread_start, forkret).
  std::vector<const Symbol*> trampolines_;
  std::vector<std::pair<uint32_t, uint32_t>> sleeps_reported_;  // sleep-in-interrupt: (switch pc, mcause)
  std::vector<uint32_t> irq_stacks_;  // sps first entered as interrupt stacks
  std::vector<Finding> findings_;
  std::unique_ptr<lockdep::Graph> order_;  // the lock-order graph
  std::function<uint32_t(unsigned)> ra_;
  std::function<uint32_t(unsigned)> mie_;
  std::function<std::optional<uint32_t>(unsigned, int32_t)> stack_;
  // By symbol index: unread, or read and found (or not).
  mutable std::vector<std::optional<std::optional<int32_t>>> saved_ra_;
  struct CallerFn {
    uint32_t pc = ~0u;
    const Symbol* fn = nullptr;
  };
  mutable std::array<CallerFn, 16> caller_fn_;  // caller_address's pcs and their functions
  std::function<void(const Finding&)> on_finding_;
  std::function<void(const Finding&)> on_deadlock_;
  std::vector<std::function<void(const Event&)>> listeners_;
};

// {"findings": [...], "locks": [...]} for `--report FILE.json` (docs/monitor.md).
nlohmann::json monitor_json(const Monitor& m);

}  // namespace spinlab

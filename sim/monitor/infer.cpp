#include "sim/monitor/monitor.h"
#include "sim/monitor/code.h"
#include "sim/monitor/lockdep.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "isa/decode.h"
#include "isa/hart.h"
#include "sim/out/insn_text.h"
#include "sim/load/elf.h"
#include "sim/out/words.h"

namespace spinlab {

namespace {

// The sentence of each rule, where it is broken (the rules of interrupts and
// deadlocks are in sim/monitor/deadlock.cpp).
constexpr const char* kWfiRule =
    "a hart must not sleep while it holds a spinlock: every hart that wants the lock spins until it wakes";
constexpr const char* kReleaseRule = "only the hart that holds a spinlock may release it, and only once";
constexpr const char* kMutexRule =
    "a lock's test and set must be one atomic step (amoswap, LR/SC): with a plain load and a plain store, two "
    "harts can both find it free and both go in";
constexpr const char* kRaceLesson = "docs/lessons/01-race.md";
constexpr const char* kWfiLesson = "docs/lessons/17-wfi-holding.md";

// The word a store of `size` bytes at `addr` leaves behind.
uint32_t merge_store(uint32_t old_word, uint32_t addr, unsigned size, uint32_t data) {
  if (size >= 4) return data;
  unsigned shift = (addr & 3u) * 8;
  uint32_t mask = (size == 1 ? 0xffu : 0xffffu) << shift;
  return (old_word & ~mask) | ((data << shift) & mask);
}

}  // namespace

Context irq_context(uint32_t mcause) {
  switch (mcause & ~isa::kInterruptFlag) {
    case static_cast<uint32_t>(isa::Interrupt::software): return Context::software_irq;
    case static_cast<uint32_t>(isa::Interrupt::timer): return Context::timer_irq;
    case static_cast<uint32_t>(isa::Interrupt::external): return Context::external_irq;
    default: return Context::other_irq;
  }
}

uint32_t interrupt_code(Context irq) {
  switch (irq) {
    case Context::software_irq: return static_cast<uint32_t>(isa::Interrupt::software);
    case Context::timer_irq: return static_cast<uint32_t>(isa::Interrupt::timer);
    case Context::external_irq: return static_cast<uint32_t>(isa::Interrupt::external);
    default: return 0;
  }
}

const char* enable_bit(Context irq) { return words::enable_bit(interrupt_code(irq)); }

bool could_interrupt(const Hold& h, Context irq) {
  const uint32_t code = interrupt_code(irq);
  return code == 0 || (h.mie >> code & 1);  // a cause with no bit known here: assume it could
}

// --- the monitor --------------------------------------------------------------

Monitor::Monitor(const ElfImage* elf, unsigned harts, MonitorOptions options)
    : elf_(elf), options_(options), harts_(std::max(harts, 1u)), order_(std::make_unique<lockdep::Graph>()) {
  for (HartState& s : harts_) {
    s.frames.reserve(kMaxFrames);
    s.frames.emplace_back();  // the hart's own code
    s.held.reserve(8);
  }
}

Monitor::~Monitor() = default;

Monitor::HartState& Monitor::hart_state(unsigned h) {
  while (h >= harts_.size()) {
    harts_.emplace_back();
    harts_.back().frames.reserve(kMaxFrames);
    harts_.back().frames.emplace_back();
  }
  return harts_[h];
}

std::string Monitor::lock_name(uint32_t addr) const {
  const Symbol* s = elf_ ? elf_->containing(addr) : nullptr;
  if (!s) return fmt::format("{:#010x}", addr);
  if (s->addr == addr) return s->name;
  return fmt::format("{}+{:#x}", s->name, addr - s->addr);
}

Site Monitor::site(uint32_t pc, uint32_t ra) const {
  Site s;
  s.pc = pc;
  s.where = elf_ ? elf_->describe(pc) : fmt::format("{:#010x}", pc);
  if (elf_) s.line = elf_->source_line(pc).value_or("");
  // The return address names the caller only when it points out of the
  // function the pc is in (inside it, it is left over from a call it made).
  // The call is the instruction before it (call_before), and its line is the
  // one a reader wants, not the line after the call.
  if (ra >= 4 && elf_) {
    uint32_t call = call_before(*elf_, ra);
    const Symbol* f = elf_->containing(pc);
    const Symbol* c = elf_->containing(call);
    if (c && c != f && c->function) {
      s.caller_pc = call;
      s.caller = elf_->describe(call);
      s.caller_line = elf_->source_line(call).value_or("");
    }
  }
  return s;
}

uint32_t Monitor::interrupt_enables(unsigned h) const { return mie_ ? mie_(h) : ~0u; }

uint32_t Monitor::switch_caller(unsigned h, uint32_t pc) const {
  // A context switch may load the next thread's ra before its sp (xv6's
  // swtch, Linux's __switch_to) or after (a hand-written one): ra names
  // the call that led here only if that call went into the function doing
  // the switch. A new thread's first ra (its start function) does not; a
  // resumed thread's is its own call of the same switch, from the same
  // scheduler function, which is as good.
  const uint32_t ra = return_address(h);
  if (!elf_ || ra < 4) return 0;
  const uint32_t call = call_before(*elf_, ra);
  unsigned length = 0;
  const uint32_t insn = executed_at(*elf_, call, length);
  const isa::InsnDesc* d = length ? isa::decode(insn) : nullptr;
  if (!d || d->format == isa::Format::jalr) return d ? ra : 0;  // an indirect call: its target is unknown
  if (d->format != isa::Format::J) return 0;
  const uint32_t target = call + static_cast<uint32_t>(isa::Insn{insn}.imm_j());
  const Symbol* f = elf_->containing(pc);
  return f && f == elf_->containing(target) ? ra : 0;
}

Context Monitor::context_of(unsigned h) const { return harts_[h].frames.back().context; }

void Monitor::emit(const Event& e) const {
  for (const auto& fn : listeners_) fn(e);
}

void Monitor::event(EventKind k, uint64_t cycle, unsigned h, uint32_t pc, uint32_t lock, uint32_t mcause,
                    uint64_t since, uint32_t ra) const {
  if (!listeners_.empty()) emit(make_event(k, cycle, h, pc, lock, mcause, since, ra));
}

Event Monitor::make_event(EventKind k, uint64_t cycle, unsigned h, uint32_t pc, uint32_t lock, uint32_t mcause,
                          uint64_t since, uint32_t ra) const {
  Event e;
  e.kind = k;
  e.cycle = cycle;
  e.hart = h;
  e.thread = harts_[h].thread;
  e.pc = pc;
  e.ra = ra;
  e.context = context_of(h);
  // In user mode interrupts are taken whatever mstatus.MIE says (privileged
  // 3.1.6.1: they are always globally enabled for a higher privilege mode).
  e.interrupts_enabled = harts_[h].mie || harts_[h].user;
  e.user = harts_[h].user;
  e.lock = lock;
  e.mcause = mcause;
  e.since = since;
  e.irq_depth = irq_depth(h);
  return e;
}

Hold Monitor::hold_of(const HoldRec& r, uint32_t addr) const {
  Hold h;
  h.lock = {addr, lock_name(addr)};
  h.hart = r.hart;
  h.thread = thread_ref(r.thread);
  h.context = r.context;
  h.user = r.user;
  h.interrupts_enabled = r.mie;
  h.since = r.since;
  h.taken_at = site(r.pc, r.caller);
  h.tested = r.tested;
  h.enabled_later = r.enabled_later;
  h.enabled_cycle = r.enabled_cycle;
  if (r.enabled_later) h.enabled_at = site(r.enabled_pc);
  h.mie = r.mie_csr;
  return h;
}

Wait Monitor::wait_of(const Spin& s, unsigned h) const {
  Wait w;
  w.lock = {s.addr, lock_name(s.addr)};
  w.hart = h;
  w.thread = thread_ref(harts_[h].thread);
  w.context = context_of(h);
  w.user = harts_[h].user;
  w.since = s.since;
  w.attempts = s.attempts;
  w.at = site(s.pc, s.caller);
  return w;
}

void Monitor::report(Finding f) {
  findings_.push_back(std::move(f));
  const Finding& done = findings_.back();
  if (on_finding_) on_finding_(done);
  if (is_deadlock(done.kind) && on_deadlock_) on_deadlock_(done);
}

// --- inference: the observer events -----------------------------------------

void Monitor::access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse& resp,
                     uint32_t old_value) {
  if (resp.fault) return;
  HartState& hs = hart_state(h);
  if (hs.thread < 0 || hs.naming || hs.provisional) thread_access(h, cycle, pc, r.addr);
  if (r.addr < RAM_BASE) {  // devices hold no locks, but a handler acknowledges one there
    if (r.op == isa::MemOp::store) acknowledge(h, r.addr, r.wdata);
    return;
  }
  const uint32_t addr = r.addr & ~3u;
  switch (r.op) {
    case isa::MemOp::load: {
      // The hot path: one lookup, and nothing more for a word that no
      // atomic instruction or test-then-set has touched.
      HartState& s = harts_[h];
      s.zero_load_addr = resp.rdata == 0 ? addr : kNoLoad;
      s.zero_load_cycle = cycle;
      // A context that took a ticket reads `owner` until its turn comes.
      TicketWait& tw = s.frames.back().ticket;
      if (tw.active && ticket_wait_load(tw, r, resp.rdata, cycle, h, pc)) return;
      auto it = words_.find(addr);
      if (it == words_.end()) return;
      Word& w = it->second;
      if (w.ticket != Ticket::none) {
        ticket_load(w, h);
        return;
      }
      if (w.kind == Kind::data || !w.held || resp.rdata == 0) return;
      // A context whose own test-and-set on the word failed last, reading it
      // still set, waits for it (test-and-test-and-set): an attempt, on a
      // candidate too, and by the holding context too (it is taking its lock
      // again). Otherwise only a known lock's reader waits, and not its
      // holder (a holding() check).
      const Spin& sp = s.frames.back().spin;
      const bool retrying = sp.active && sp.addr == addr;
      if (!retrying && (w.kind != Kind::lock || holding_context(w.hold, h))) return;
      on_attempt(w, addr, cycle, h, pc);
      return;
    }
    case isa::MemOp::store: {
      HartState& s = harts_[h];
      const uint32_t now = merge_store(old_value, r.addr, r.size, r.wdata);
      // Test, then set: this hart's last load found the word 0, and this
      // store sets it (naive_lock). One store per load: a second is data.
      const bool tested = s.zero_load_addr == addr && now != 0;
      if (s.zero_load_addr == addr) s.zero_load_addr = kNoLoad;
      auto it = words_.find(addr);
      if (it == words_.end()) {
        if (!tested) return;
        it = words_.try_emplace(addr).first;
        it->second.plain = true;
      }
      Word& w = it->second;
      if (w.ticket != Ticket::none) {
        ticket_write(w, addr, old_value, now, false, cycle, h, pc);
        return;
      }
      if (w.counted && w.kind == Kind::candidate && now != old_value) {
        // A count reset by a store (a barrier's last arrival zeroes it):
        // amoadd made it, so it was never a test-and-set lock.
        mark_data(w, addr);
        return;
      }
      if (now == 0) {
        // Only a whole-word zero counts as a release of a free lock: a byte
        // store next to a byte lock is not one. A held lock may already read
        // 0: two harts were inside, and the first one out cleared it.
        if (old_value != 0 || r.size == 4 || w.held) on_release(w, addr, cycle, h, pc, old_value != 0);
      } else if (w.plain && tested) {
        on_plain_acquire(w, addr, cycle, h, pc, s.zero_load_cycle);
      } else if (w.plain && w.kind == Kind::candidate && old_value != 0 && now != old_value) {
        mark_data(w, addr);  // 1 -> 2 with no test between: a counter
      }
      return;
    }
    case isa::MemOp::lr: {
      // An LR/SC lock loop spins on LRs that read non-zero and never reach
      // the SC. The pending LR becomes a failed attempt when the next LR by
      // this hart to this word comes without an SC in between.
      HartState& s = harts_[h];
      if (s.lr_pending && s.lr_addr == addr) {
        auto it = words_.find(addr);
        if (it != words_.end() && it->second.kind != Kind::data && it->second.ticket == Ticket::none)
          on_attempt(it->second, addr, s.lr_cycle, h, s.lr_pc);
      }
      s.lr_pending = resp.rdata != 0;
      if (!s.lr_pending) return;
      s.lr_addr = addr;
      s.lr_cycle = cycle;
      s.lr_pc = pc;
      words_.try_emplace(addr);
      return;
    }
    case isa::MemOp::sc: {
      // A failed SC lost a race (or its reservation): not a spin.
      harts_[h].lr_pending = false;
      if (!resp.wrote) return;
      Word& w = words_[addr];
      w.plain = false;
      if (w.ticket != Ticket::none) {
        ticket_write(w, addr, old_value, r.wdata, true, cycle, h, pc);
        return;
      }
      if (ticket_sc(w, addr, old_value, r.wdata, cycle, h, pc)) return;
      if (old_value == 0 && r.wdata != 0) on_acquire(w, addr, cycle, h, pc);
      else if (old_value != 0 && r.wdata == 0) on_release(w, addr, cycle, h, pc, true);
      else if (old_value != 0 && r.wdata != old_value) mark_data(w, addr);
      return;
    }
    case isa::MemOp::amo: {
      Word& w = words_[addr];
      w.plain = false;
      uint32_t now = isa::amo_apply(r.amo, old_value, r.wdata);
      if (w.ticket != Ticket::none) {
        ticket_write(w, addr, old_value, now, true, cycle, h, pc);
        return;
      }
      // amoadd takes a ticket, or counts; it never sets a test-and-set lock.
      // (amoadd of 0 is an atomic read, below.)
      if (r.amo == isa::AmoOp::add && now != old_value) {
        ticket_amoadd(w, addr, old_value, r.wdata, now, cycle, h, pc);
        return;
      }
      if (old_value == 0 && now != 0) {
        // An AMO into x0 sets the word without looking at what was there: a
        // flag raised (Linux's set_bit), never a test-and-set.
        unsigned length = 0;
        const bool into_x0 = elf_ && isa::Insn{executed_at(*elf_, pc, length)}.rd() == 0 && length != 0;
        if (into_x0 && w.kind != Kind::lock) mark_data(w, addr);
        else on_acquire(w, addr, cycle, h, pc);
      } else if (old_value != 0 && now == 0) {
        // amoswap/amoand of zero clears a lock; another AMO that brings it
        // to zero (amoxor, amominu) is data.
        if (r.amo == isa::AmoOp::swap || r.amo == isa::AmoOp::and_) on_release(w, addr, cycle, h, pc, true);
        else mark_data(w, addr);
      } else if (old_value != 0) {
        if (now == old_value) {
          // A test-and-set that found the word set (amoswap 1 over 1, amoor
          // 1 over 1) leaves it as it was: a failed attempt. So does an
          // atomic read (amoor 0), which counts only on a known lock.
          if (w.kind != Kind::data && (r.wdata != 0 || (w.kind == Kind::lock && w.held && w.hold.hart != h)))
            on_attempt(w, addr, cycle, h, pc);
        } else if (r.amo != isa::AmoOp::swap) {
          mark_data(w, addr);  // amoor of a new bit, amoxor, amomax: a bitmap, a value
        }
        // amoswap of another non-zero value: an exchange of pointers, or a
        // lock whose waiters write their own tag. Neither tells anything.
      } else if (r.size == 4 && (r.amo == isa::AmoOp::swap || r.amo == isa::AmoOp::and_)) {
        on_release(w, addr, cycle, h, pc, false);  // amoswap zero on a free word
      }
      return;
    }
  }
}

void Monitor::on_acquire(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc) {
  if (w.kind == Kind::data) return;
  while (w.held) end_hold(w, addr, cycle);  // the last holds ended unseen
  HartState& s = harts_[h];
  Frame& top = s.frames.back();
  // This context's spin ends: on this word it succeeded; on another, it was given up.
  end_spin(top.spin, top.spin.addr == addr ? cycle : top.spin.last);
  w.held = true;
  w.hold = new_hold(h, cycle, pc);
  w.takers |= uint64_t{1} << (h % 64);
  lock_order(addr, cycle, h, pc, w.hold.caller);
  s.held.push_back(addr);
  ++w.stats.acquisitions;
  if (top.context != Context::process) ++w.stats.irq_acquisitions;
  mark_usage(w, h);
  if (w.kind == Kind::lock) {
    event(EventKind::acquire, cycle, h, pc, addr, 0, 0, w.hold.caller);
    check_irq_safety(w, addr, cycle);
  }
}

bool Monitor::holding_context(const HoldRec& r, unsigned h) const {
  const HartState& s = harts_[h];
  return r.hart == h && r.thread == s.thread && r.frame + 1 == s.frames.size() &&
         s.frames.back().entered == r.frame_entered;
}

Monitor::HoldRec Monitor::new_hold(unsigned h, uint64_t cycle, uint32_t pc) const {
  const HartState& s = harts_[h];
  HoldRec r;
  r.hart = h;
  r.thread = s.thread;
  r.since = cycle;
  r.pc = pc;
  r.caller = caller_address(h, pc);
  r.mie = s.mie || s.user;  // in user mode interrupts are always on (see make_event)
  r.mie_csr = interrupt_enables(h);
  r.user = s.user;
  r.context = s.frames.back().context;
  r.frame = static_cast<uint32_t>(s.frames.size() - 1);
  r.frame_entered = s.frames.back().entered;
  return r;
}

void Monitor::on_plain_acquire(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, uint64_t tested) {
  if (w.kind == Kind::data) return;
  if (!w.held || w.hold.hart == h) {
    on_acquire(w, addr, cycle, h, pc);
    w.hold.tested = tested;
    return;
  }
  // Another hart is inside: both found it free, and both went in. (This
  // hart's own earlier entry, if any, ended unseen.)
  auto mine = std::find_if(w.inside.begin(), w.inside.end(), [h](const HoldRec& r) { return r.hart == h; });
  if (mine != w.inside.end()) {
    count_hold(w, *mine, addr, cycle);
    w.inside.erase(mine);
  }
  HartState& s = harts_[h];
  end_spin(s.frames.back().spin, s.frames.back().spin.last);
  HoldRec r = new_hold(h, cycle, pc);
  r.tested = tested;
  w.inside.push_back(r);
  w.takers |= uint64_t{1} << (h % 64);
  lock_order(addr, cycle, h, pc, r.caller);
  s.held.push_back(addr);
  ++w.stats.acquisitions;
  ++w.stats.overlaps;
  if (!w.overlap_seen) {
    w.overlap_seen = true;
    w.overlap_first = w.hold;
    w.overlap_second = r;
    w.overlap_cycle = cycle;
  }
  if (w.kind == Kind::lock) {
    event(EventKind::acquire, cycle, h, pc, addr, 0, 0, r.caller);
    report_overlap(w, addr);
  }
}

void Monitor::report_overlap(Word& w, uint32_t addr) {
  if (!w.overlap_seen || w.overlap_reported) return;
  w.overlap_reported = true;
  Finding f;
  f.kind = FindingKind::mutual_exclusion;
  f.cycle = w.overlap_cycle;
  f.hart = w.overlap_second.hart;
  f.lock = {addr, lock_name(addr)};
  f.holds.push_back(hold_of(w.overlap_first, addr));
  f.holds.push_back(hold_of(w.overlap_second, addr));
  f.at = f.holds.back().taken_at;
  f.rule = kMutexRule;
  f.lesson = kRaceLesson;
  report(std::move(f));
}

void Monitor::count_hold(Word& w, const HoldRec& rec, uint32_t addr, uint64_t cycle) {
  uint64_t held = cycle - rec.since;
  w.stats.hold_cycles_total += held;
  w.stats.hold_cycles_max = std::max(w.stats.hold_cycles_max, held);
  std::vector<uint32_t>& list = harts_[rec.hart].held;
  auto it = std::find(list.begin(), list.end(), addr);
  if (it != list.end()) list.erase(it);
}

void Monitor::end_hold(Word& w, uint32_t addr, uint64_t cycle) {
  count_hold(w, w.hold, addr, cycle);
  w.held = false;
  // One who went in alongside is still inside: it holds the lock now.
  if (!w.inside.empty()) {
    w.hold = w.inside.front();
    w.inside.erase(w.inside.begin());
    w.held = true;
  }
}

void Monitor::on_release(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, bool was_set) {
  if (w.kind == Kind::data) return;
  auto in = std::find_if(w.inside.begin(), w.inside.end(), [h](const HoldRec& r) { return r.hart == h; });
  if ((w.held && w.hold.hart == h) || in != w.inside.end()) {
    // A release by the holder: the evidence that makes a word a lock (a
    // plain one needs two harts that took it). A context that releases a
    // lock is not spinning any more.
    Spin& sp = harts_[h].frames.back().spin;
    end_spin(sp, sp.last);
    // A two-word ticket lock waits for its next acquisition (a barrier's
    // first arrival "releases" its sense flag too: monitor_ticket.cpp).
    if (w.ticket == Ticket::next) ++w.releases;
    else if (w.kind == Kind::candidate && (!w.plain || (w.takers & (w.takers - 1)) != 0)) {
      confirm(w, addr, cycle);
      // Its holder, back from a switch it made holding it, releases it: it
      // was carried across, not handed over (a handover is released by the
      // thread switched to).
      if (in == w.inside.end() && w.hold.carried && w.hold.thread == harts_[h].thread) report_carried(w, addr);
    }
    uint64_t since = 0;
    const HoldRec ended = in != w.inside.end() ? *in : w.hold;
    if (in != w.inside.end()) {
      since = in->since;
      count_hold(w, *in, addr, cycle);
      w.inside.erase(in);
    } else {
      since = w.hold.since;
      end_hold(w, addr, cycle);
    }
    if (w.kind == Kind::lock) {
      event(EventKind::release, cycle, h, pc, addr, 0, since, caller_address(h, pc));
    } else if (w.ticket == Ticket::next && !listeners_.empty()) {
      w.told_later = true;
      w.last_hold = ended;
      w.last_release = make_event(EventKind::release, cycle, h, pc, addr, 0, since, caller_address(h, pc));
    }
    return;
  }
  if (w.kind != Kind::lock) {
    if (w.held) end_hold(w, addr, cycle);
    return;
  }
  // A confirmed lock cleared by a hart that does not hold it: held by
  // another hart, or by nobody (a second release).
  if (!w.held && was_set) return;  // set by a plain store we did not take for an acquire
  Finding f;
  f.kind = FindingKind::release_not_held;
  f.cycle = cycle;
  f.hart = h;
  f.at = site(pc, caller_address(h, pc));
  f.lock = {addr, lock_name(addr)};
  if (w.held) f.holds.push_back(hold_of(w.hold, addr));
  f.rule = kReleaseRule;
  if (w.held) end_hold(w, addr, cycle);
  report(std::move(f));
}

void Monitor::on_attempt(Word& w, uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc) {
  Spin& sp = harts_[h].frames.back().spin;
  if (sp.active && sp.addr == addr) {
    ++sp.attempts;
    sp.last = cycle;
  } else {
    end_spin(sp, sp.last);  // gave up the last spin for this one
    sp.active = true;
    sp.addr = addr;
    sp.since = sp.last = cycle;
    sp.pc = pc;
    sp.caller = caller_address(h, pc);
    sp.attempts = 1;
    ++w.stats.waits;
    if (w.kind == Kind::lock) event(EventKind::spin, cycle, h, pc, addr, 0, 0, sp.caller);
  }
  ++w.stats.attempts;
  // Spun on while someone holds it: a lock. (Spinning on a word nobody was
  // seen to take names no holder: no evidence.) A two-word ticket lock's
  // waiters spin like a barrier's do, until the spin is stuck.
  const uint32_t evidence =
      w.ticket == Ticket::next ? options_.deadlock_attempts : options_.confirm_attempts;
  if (w.kind == Kind::candidate && w.held && sp.attempts >= evidence) {
    confirm(w, addr, cycle);
    event(EventKind::spin, sp.since, h, sp.pc, addr, 0, 0, sp.caller);
  }
  lock_order_spin(addr, cycle, h, sp);
  if (w.kind == Kind::lock && w.held && w.hold.carried) report_carried(w, addr);  // the cause, before any deadlock
  if (w.kind == Kind::lock && w.held) check_deadlock(w, addr, cycle, h);
}

void Monitor::confirm(Word& w, uint32_t addr, uint64_t cycle) {
  w.kind = Kind::lock;
  // The narrative learns of the holds still on (their acquires were not
  // told: nobody knew yet that the word is a lock), and of a two-word ticket
  // lock's hold that ended just before.
  if (!listeners_.empty()) {
    auto tell = [&](const HoldRec& r) {
      Event e;
      e.kind = EventKind::acquire;
      e.cycle = r.since;
      e.hart = r.hart;
      e.thread = r.thread;
      e.pc = r.pc;
      e.ra = r.caller;
      e.context = r.context;
      e.interrupts_enabled = r.mie;
      e.lock = addr;
      emit(e);
    };
    if (w.told_later) {
      tell(w.last_hold);
      emit(w.last_release);
    }
    if (w.held) {
      tell(w.hold);
      for (const HoldRec& r : w.inside) tell(r);
    }
  }
  w.told_later = false;
  lock_order_confirmed(addr, cycle);
  report_overlap(w, addr);
  check_irq_safety(w, addr, cycle);
  if (w.held && w.hold.wfi_pending && !w.hold.wfi_reported)
    report_wfi(w.hold.hart, w.hold.wfi_cycle, w.hold.wfi_pc, w.hold.wfi_caller, {addr});
}

void Monitor::mark_data(Word& w, uint32_t addr) {
  // Both words of a two-word ticket lock go together.
  const uint32_t partner = w.ticket == Ticket::next || w.ticket == Ticket::owner ? w.partner : addr;
  if (w.held) w.inside.push_back(w.hold);
  for (const HoldRec& r : w.inside) {
    std::vector<uint32_t>& list = harts_[r.hart].held;
    auto it = std::find(list.begin(), list.end(), addr);
    if (it != list.end()) list.erase(it);
  }
  w = Word{};
  w.kind = Kind::data;
  lock_order_forget(addr);
  for (HartState& s : harts_)
    for (Frame& f : s.frames) {
      if (f.spin.active && f.spin.addr == addr) f.spin = Spin{};
      if (f.ticket.active && f.ticket.lock == addr) f.ticket = TicketWait{};
    }
  if (partner == addr) return;
  auto it = words_.find(partner);
  if (it != words_.end() && it->second.kind != Kind::data) mark_data(it->second, partner);
}

void Monitor::trap(uint64_t cycle, unsigned h, const models::TrapInfo& t) {
  HartState& s = hart_state(h);
  s.lr_pending = false;
  const uint32_t mcause = t.mcause, mepc = t.mepc;
  bool irq = (mcause & isa::kInterruptFlag) != 0;
  // Every trap enters machine mode; the event says where it came from.
  s.user = false;
  if (s.frames.size() >= kMaxFrames) {
    ++s.overflow;
    return;
  }
  Frame f;
  f.interrupt = irq;
  // An exception handler runs in the context it was raised from.
  f.context = irq ? irq_context(mcause) : s.frames.back().context;
  f.cause = irq ? f.context : Context::process;
  const Context interrupted = s.frames.back().context;
  f.mcause = mcause;
  f.entered = cycle;
  f.mepc = mepc;
  f.from_user = t.from_user;
  s.frames.push_back(f);
  if (listeners_.empty()) return;
  Event e = make_event(irq ? EventKind::interrupt : EventKind::exception, cycle, h, mepc, 0, mcause, 0, 0);
  e.interrupted = interrupted;
  e.user = t.from_user;
  e.mtval = t.mtval;
  e.pmp_entry = t.pmp_entry;
  emit(e);
}

void Monitor::mret(uint64_t cycle, unsigned h, uint32_t pc, bool to_user) {
  HartState& s = hart_state(h);
  s.lr_pending = false;
  s.user = to_user;
  if (s.provisional && to_user) {
    // The new "thread" was the user stack of the thread that set it up.
    undo_thread(h);
    s.on_irq_stack = s.kernel_stack = false;
  }
  if (s.naming) name_thread(h, pc, to_user);  // a new thread's first mret may go to its own code (a task's entry)
  if (s.overflow) {
    --s.overflow;
    return;
  }
  if (s.frames.size() <= 1) {
    // An mret with no trap to return from: a jump, told only when it enters
    // user code (how a kernel first starts a user program).
    if (to_user && !listeners_.empty()) {
      Event e = make_event(EventKind::mret, cycle, h, pc, 0, 0, cycle, 0);
      e.no_trap = true;
      emit(e);
    }
    return;
  }
  Frame& f = s.frames.back();
  end_spin(f.spin, f.spin.last);
  uint32_t mcause = f.mcause;
  uint64_t entered = f.entered;
  s.frames.pop_back();
  event(EventKind::mret, cycle, h, pc, 0, mcause, entered);
}

void Monitor::wfi(uint64_t cycle, unsigned h, uint32_t pc) {
  HartState& s = hart_state(h);
  end_spin(s.frames.back().spin, s.frames.back().spin.last);
  if (!listeners_.empty()) event(EventKind::wfi, cycle, h, pc, 0, 0, 0, caller_address(h, pc));
  if (s.held.empty()) return;
  uint32_t caller = caller_address(h, pc);
  std::vector<uint32_t> locks;
  for (uint32_t addr : s.held) {
    HoldRec& hr = words_.at(addr).hold;
    if (hr.wfi_reported || hr.wfi_pending || hr.thread != s.thread) continue;  // another thread's: not asleep
    if (words_.at(addr).kind == Kind::lock) {
      locks.push_back(addr);
    } else {
      // Not known as a lock yet: told if it turns out to be one (confirm()).
      hr.wfi_pending = true;
      hr.wfi_cycle = cycle;
      hr.wfi_pc = pc;
      hr.wfi_caller = caller;
    }
  }
  if (!locks.empty()) report_wfi(h, cycle, pc, caller, locks);
}

void Monitor::report_wfi(unsigned h, uint64_t cycle, uint32_t pc, uint32_t caller, const std::vector<uint32_t>& locks) {
  Finding f;
  for (uint32_t addr : locks) {
    Word& w = words_.at(addr);
    w.hold.wfi_reported = true;
    f.holds.push_back(hold_of(w.hold, addr));
  }
  f.kind = FindingKind::wfi_holding_lock;
  f.cycle = cycle;
  f.hart = h;
  f.at = site(pc, caller);
  f.lock = f.holds.front().lock;
  f.rule = kWfiRule;
  f.lesson = kWfiLesson;
  report(std::move(f));
}

void Monitor::interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) {
  HartState& s = hart_state(h);
  s.mie = mie;
  if (!mie) return;
  maybe_bottom_half(h, cycle, pc);
  const Context c = s.frames.back().context;
  if (is_hardirq(c)) return;
  // Interrupts on in process context or a bottom half: every lock this
  // context holds is now held with interrupts enabled.
  for (uint32_t addr : s.held) {
    Word& w = words_.at(addr);
    const bool mine = c == Context::process ? w.hold.context == Context::process && w.hold.thread == s.thread
                                            : holding_context(w.hold, h);
    if (!mine || w.hold.mie || w.hold.enabled_later) continue;
    w.hold.enabled_later = true;
    w.hold.enabled_cycle = cycle;
    w.hold.enabled_pc = pc;
    w.hold.mie_csr |= interrupt_enables(h);
    if (w.unsafe_used) continue;
    w.unsafe_used = true;
    w.unsafe_use = w.hold;
    check_irq_safety(w, addr, cycle);
  }
}

void Monitor::finish(uint64_t cycle) {
  for (HartState& s : harts_) check_carried(s.carried);  // still held by a thread switched out
  // Holds and spins still on count up to the end.
  for (auto& [addr, w] : words_) {
    if (!w.held) continue;
    w.stats.held_at_end = true;
    for (const HoldRec& r : w.inside) count_hold(w, r, addr, cycle);
    count_hold(w, w.hold, addr, cycle);
  }
  for (HartState& s : harts_)
    for (Frame& f : s.frames) end_spin(f.spin, cycle);
}

void Monitor::end_spin(Spin& s, uint64_t until) {
  if (!s.active) return;
  auto it = words_.find(s.addr);
  if (it != words_.end()) {
    uint64_t spun = until - s.since;
    it->second.stats.wait_cycles_total += spun;
    it->second.stats.wait_cycles_max = std::max(it->second.stats.wait_cycles_max, spun);
  }
  s = Spin{};
}

std::vector<LockStats> Monitor::lock_stats() const {
  std::map<uint32_t, LockStats> sorted;
  for (const auto& [addr, w] : words_) {
    if (w.kind != Kind::lock) continue;
    LockStats s = w.stats;
    s.lock = {addr, lock_name(addr)};
    sorted.emplace(addr, s);
  }
  std::vector<LockStats> out;
  for (auto& [addr, s] : sorted) out.push_back(std::move(s));
  return out;
}

}  // namespace spinlab

// Ticket locks, for the lock monitor (sim/monitor/monitor.h; docs/monitor.md,
// "Ticket locks"). A ticket lock is two counters: `next`, the ticket the next
// taker gets, and `owner`, the ticket being served. A hart takes a ticket with
// an amoadd on `next`, waits until `owner` equals it, and releases the lock by
// adding 1 to `owner`. Two layouts are recognised:
//  - Linux's generic ticket spinlock (include/asm-generic/spinlock.h, used by
//    arch/riscv without qspinlock): one word, `next` in the high half and
//    `owner` in the low half; a ticket is amoadd.w of 1 << 16, the release a
//    16-bit store of owner + 1 to the low half (or an amoadd.w of 1), the
//    trylock a compare-and-swap (LR/SC) of next + 1 when next == owner;
//  - two words, { next; owner; } or { owner; next; }: amoadd of 1 on `next`,
//    loads of the word beside it until it equals the ticket, and a release
//    that adds 1 to `owner` (a load and a store, or an amoadd).
// An amoadd of 1 alone proves nothing: a barrier's arrival count is taken
// the same way, and its waiters read the word beside it too (the sense
// flag). What tells them apart is said where it is used below.
#include "sim/monitor/monitor.h"

namespace spinlab {

namespace {

// Linux's ticket: amoadd.w of 1 << 16 on the lock word.
constexpr uint32_t kHalfTicket = 1u << 16;
// Loads a context may make, after an amoadd of 1, before it reads `owner`
// (unoptimised code reloads its locals from the stack first).
constexpr uint8_t kOwnerWindow = 8;
// A waiter's ticket is at most this far ahead of `owner` (one ticket per
// waiting context); further, `owner` is not what the word beside it is.
constexpr uint32_t kMaxQueue = 1024;
// The holder of a two-word ticket lock reads `owner` when it takes it, when
// it releases it and perhaps to check it holds it. Reading it this often in
// one hold is waiting for it to change, as a barrier's first arrival waits
// for the sense flag to flip.
constexpr uint32_t kHolderPolls = 4;

}  // namespace

void Monitor::ticket_amoadd(Word& w, uint32_t addr, uint32_t old, uint32_t added, uint32_t now, uint64_t cycle,
                            unsigned h, uint32_t pc) {
  TicketWait& t = harts_[h].frames.back().ticket;
  // The amoadd before this one was not followed by a wait: a count.
  if (t.active && !t.known) ticket_not_followed(t);
  if (w.kind == Kind::data) return;
  if (w.kind == Kind::lock || w.held || w.plain) {
    mark_data(w, addr);  // a test-and-set lock's word, counted: it was data
    return;
  }
  w.counted = true;
  if (added == kHalfTicket) {
    w.ticket = Ticket::halves;
    w.partner = addr;
    ticket_take(w, addr, old >> 16, true, old & 0xffff, cycle, h, pc);
    return;
  }
  if (added == 1 && !t.active) {
    // A ticket, if this context now reads the word beside it until it
    // equals `old` (ticket_wait_load); a count if not.
    w.next_ticket = now;
    t = TicketWait{};
    t.active = true;
    t.lock = addr;
    t.ticket = old;
    t.window = kOwnerWindow;
    return;
  }
  // Counted from non-zero, or back to 0: a counter. (0 -> n alone tells
  // nothing: a count's first step.)
  if (old != 0 || now == 0) mark_data(w, addr);
}

bool Monitor::ticket_sc(Word& w, uint32_t addr, uint32_t old, uint32_t now, uint64_t cycle, unsigned h,
                        uint32_t pc) {
  // Linux's arch_spin_trylock: a compare-and-swap of next + 1 while next ==
  // owner (the lock is free), 0 -> 0x10000 the first time.
  if (now - old != kHalfTicket || (old >> 16) != (old & 0xffff)) return false;
  if (w.kind != Kind::candidate || w.held || w.plain) return false;
  w.ticket = Ticket::halves;
  w.partner = addr;
  on_acquire(w, addr, cycle, h, pc);
  return true;
}

void Monitor::ticket_take(Word& w, uint32_t addr, uint32_t ticket, bool halves, uint32_t owner, uint64_t cycle,
                          unsigned h, uint32_t pc) {
  TicketWait& t = harts_[h].frames.back().ticket;
  if (t.active && !t.known) ticket_not_followed(t);
  if (t.active && t.lock == addr) {
    // A second ticket while this context still waits for its first: a
    // count taken again, never a ticket lock (its taker waits its turn).
    mark_data(w, addr);
    return;
  }
  if (w.kind == Kind::data) return;
  if (halves) {
    const uint32_t ahead = (ticket - owner) & 0xffff;
    if (ahead == 0) {
      on_acquire(w, addr, cycle, h, pc);  // its turn at once
      return;
    }
    if (ahead > kMaxQueue) {
      mark_data(w, addr);
      return;
    }
  }
  t = TicketWait{};
  t.active = true;
  t.known = true;
  t.halves = halves;
  t.lock = addr;
  t.owner = halves ? addr : w.partner;
  t.ticket = ticket;
  // Linux's amoadd returns `owner` too: it has found the lock taken.
  if (halves) on_attempt(w, addr, cycle, h, pc);
}

void Monitor::ticket_not_followed(TicketWait& t) {
  const uint32_t lock = t.lock;
  const uint32_t ticket = t.ticket;
  t = TicketWait{};
  if (ticket == 0) return;  // a count's first step looks like the first ticket
  auto it = words_.find(lock);
  if (it != words_.end() && it->second.kind != Kind::data) mark_data(it->second, lock);
}

bool Monitor::ticket_wait_load(TicketWait& t, const isa::MemRequest& r, uint32_t rdata, uint64_t cycle, unsigned h,
                               uint32_t pc) {
  if (!t.known) {
    // After an amoadd of 1 on `lock`: is this the word beside it, read to
    // compare with the ticket?
    const bool beside = r.size == 4 && (r.addr == t.lock + 4 || r.addr == t.lock - 4);
    if (!beside) {
      if (--t.window == 0) ticket_not_followed(t);
      return false;
    }
    auto it = words_.find(t.lock);
    bool fits = false;
    if (it != words_.end()) {
      Word& lock = it->second;
      if (lock.ticket == Ticket::next) {
        fits = lock.partner == r.addr;  // another context's ticket showed the layout
      } else if (lock.ticket == Ticket::none && lock.kind == Kind::candidate && !lock.held && !lock.plain &&
                 rdata == 0 && t.ticket <= kMaxQueue) {
        // First seen: a ticket lock starts at { 0, 0 }, so `owner` reads 0
        // until a first release (a word beside a count that just happens
        // to equal it, as the number of harts can, is not taken for one).
        auto o = words_.find(r.addr);
        if (o == words_.end()) o = words_.try_emplace(r.addr).first;
        Word& owner = o->second;
        if (owner.ticket == Ticket::none && owner.kind == Kind::candidate && !owner.held && !owner.plain) {
          lock.ticket = Ticket::next;
          lock.partner = r.addr;
          owner.ticket = Ticket::owner;
          owner.partner = t.lock;
          fits = true;
        }
      }
    }
    if (!fits) {
      ticket_not_followed(t);
      return false;
    }
    t.known = true;
    t.owner = r.addr;
  }
  const bool owner_load = t.halves ? r.addr == t.lock && r.size >= 2 : r.addr == t.owner && r.size == 4;
  if (!owner_load) return false;  // the waiter's other loads (a backoff delay)
  auto it = words_.find(t.lock);
  if (it == words_.end() || it->second.kind == Kind::data) {
    t = TicketWait{};
    return false;
  }
  Word& lock = it->second;
  const uint32_t addr = t.lock;
  const uint32_t ahead = (t.ticket - rdata) & (t.halves ? 0xffffu : ~0u);
  if (ahead == 0) {
    // Its turn: `owner` equals its ticket.
    const bool two_words = !t.halves;
    t = TicketWait{};
    on_acquire(lock, addr, cycle, h, pc);
    lock.polls = 1;
    // A two-word lock is known when a ticket is served after its holder
    // released it: a barrier resets its count (a store to `next`) before
    // any arrival is "served" twice.
    if (two_words && lock.kind == Kind::candidate && lock.releases > 0) confirm(lock, addr, cycle);
    return true;
  }
  if (ahead > kMaxQueue) {
    // `owner` went past the ticket, which no ticket lock does: a flag
    // flipped (a barrier's sense), not a turn served.
    t = TicketWait{};
    mark_data(lock, addr);
    return true;
  }
  on_attempt(lock, addr, cycle, h, pc);
  return true;
}

void Monitor::ticket_load(Word& w, unsigned h) {
  // Reading `next`, or Linux's word with no ticket taken, is no waiting.
  if (w.ticket != Ticket::owner) return;
  auto it = words_.find(w.partner);
  if (it == words_.end()) return;
  Word& lock = it->second;
  if (lock.kind != Kind::candidate || !lock.held || !holding_context(lock.hold, h)) return;
  // The holder reads `owner` again and again: it waits for it to change, as
  // a barrier's first arrival waits for its sense flag. No lock was taken.
  if (++lock.polls >= kHolderPolls) mark_data(lock, w.partner);
}

void Monitor::ticket_write(Word& w, uint32_t addr, uint32_t old, uint32_t now, bool atomic, uint64_t cycle,
                           unsigned h, uint32_t pc) {
  if (now == old || w.kind == Kind::data) return;  // an atomic read, or the same value again
  switch (w.ticket) {
    case Ticket::halves: {
      const uint32_t next_step = ((now >> 16) - (old >> 16)) & 0xffff;
      const uint32_t owner_step = ((now & 0xffff) - (old & 0xffff)) & 0xffff;
      if (atomic && next_step == 1 && owner_step == 0) {
        ticket_take(w, addr, old >> 16, true, old & 0xffff, cycle, h, pc);  // amoadd 1 << 16, trylock's SC
        return;
      }
      if (next_step == 0 && owner_step == 1) {
        on_release(w, addr, cycle, h, pc, (old >> 16) != (old & 0xffff));  // sh owner + 1, amoadd 1
        return;
      }
      break;
    }
    case Ticket::next:
      if (atomic && now == old + 1) {
        w.next_ticket = now;
        ticket_take(w, addr, old, false, 0, cycle, h, pc);
        return;
      }
      break;  // `next` stored to: a barrier's count, reset by its last arrival
    case Ticket::owner:
      if (now == old + 1) {
        auto it = words_.find(w.partner);
        if (it == words_.end()) return;
        // Taken before if a ticket beyond `owner` was handed out.
        on_release(it->second, w.partner, cycle, h, pc, old != it->second.next_ticket);
        return;
      }
      break;  // a flag flipped back, or set to anything: data
    case Ticket::none: return;
  }
  mark_data(w, addr);  // changed as no ticket lock changes: a count, a flag
}

}  // namespace spinlab

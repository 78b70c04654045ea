// Sdtrig address triggers (debug spec 1.0, 5.5.2 mcontrol, 5.5.7 mcontrol6).
#include "isa/trigger.h"

namespace spinlab::isa {

namespace {

// tdata1 fields (RV32) that are the same in mcontrol and mcontrol6.
constexpr unsigned kTypeShift = 28;
constexpr uint32_t kMatchShift = 7, kMatchMask = 0xfu << kMatchShift;
constexpr uint32_t kM = 1u << 6, kU = 1u << 3;
constexpr uint32_t kKinds = Triggers::execute | Triggers::store | Triggers::load;

// match values (5.5.2): 0 equal, 1 NAPOT, 2 >=, 3 <. The mask and negated
// forms are not offered: a write of one reads back as 0 (equal).
enum Match : uint32_t { equal = 0, napot = 1, ge = 2, lt = 3 };

constexpr uint8_t kMcontrol = 2, kMcontrol6 = 6, kDisabled = 15;

}  // namespace

// Every trigger is an mcontrol matching nothing (no mode, no kind), as on
// Spike: the spec leaves the reset value open but requires it not to fire.
void Triggers::reset() {
  t_.fill(Trigger{});
  select_ = 0;
  update_armed();
}

// WARL (5.5.1): an index past the last trigger is not kept (as QEMU).
void Triggers::write_tselect(uint32_t v) {
  if (v < kCount)
    select_ = v;
}

// dmode (bit 27), maskmax, hit, select, timing, size, action and chain all
// read 0: triggers belong to M mode, there is no NAPOT size limit to report
// (as Spike, maskmax 0 while NAPOT works), hit is optional, only address
// matching "before" with action 0 (breakpoint exception) exists, and no chain.
uint32_t Triggers::read_tdata1() const {
  const Trigger& t = t_[select_];
  return (uint32_t{t.type} << kTypeShift) | t.control;
}

// A type this module does not have (0 included) disables the trigger: type
// 15 (5.5.1 "writing 0 to tdata1 must result in a trigger that is
// disabled"). The s bit (4) is dropped: there is no S mode.
void Triggers::write_tdata1(uint32_t v) {
  Trigger& t = t_[select_];
  const uint32_t type = v >> kTypeShift;
  if (type != kMcontrol && type != kMcontrol6) {
    t.type = kDisabled;
    t.control = 0;
  } else {
    t.type = static_cast<uint8_t>(type);
    uint32_t control = v & (kMatchMask | kM | kU | kKinds);
    if (((control & kMatchMask) >> kMatchShift) > lt)
      control &= ~kMatchMask;
    t.control = control;
  }
  update_armed();
}

// Bit n: type n is supported; version (bits 31:24) 1 = debug spec 1.0.
uint32_t Triggers::tinfo() {
  return (1u << 24) | (1u << kMcontrol) | (1u << kMcontrol6) | (1u << kDisabled);
}

// A load or store matches on the lowest address it accesses (as Spike).
bool Triggers::fires(Kind kind, uint32_t addr, bool machine) const {
  const uint32_t mode = machine ? kM : kU;
  for (const Trigger& t : t_) {
    if (!(t.control & kind) || !(t.control & mode))
      continue;
    bool hit = false;
    switch ((t.control & kMatchMask) >> kMatchShift) {
      case equal: hit = addr == t.tdata2; break;
      case napot: {
        // The bits above the lowest 0 of tdata2 must match (5.5.2).
        unsigned ones = 0;
        while (ones < 32 && ((t.tdata2 >> ones) & 1))
          ++ones;
        const uint32_t care = ones >= 31 ? 0 : ~((2u << ones) - 1);
        hit = (addr & care) == (t.tdata2 & care);
        break;
      }
      case ge: hit = addr >= t.tdata2; break;
      case lt: hit = addr < t.tdata2; break;
    }
    if (hit)
      return true;
  }
  return false;
}

void Triggers::update_armed() {
  armed_m_ = armed_u_ = 0;
  for (const Trigger& t : t_) {
    const uint8_t kinds = static_cast<uint8_t>(t.control & kKinds);
    if (t.control & kM)
      armed_m_ |= kinds;
    if (t.control & kU)
      armed_u_ |= kinds;
  }
}

}  // namespace spinlab::isa

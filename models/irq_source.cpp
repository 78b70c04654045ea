#include "models/irq_source.h"

#include <algorithm>

#include "firmware/include/memmap.h"

namespace spinlab::models {

IrqSources::IrqSources(std::vector<IrqSourceSpec> specs, sc_core::sc_module_name name)
    : Device(name, IRQSRC_BASE, IRQSRC_SIZE),
      irq_out("irq", specs.size()),
      specs_(std::move(specs)),
      state_(specs_.size()) {
  for (size_t i = 0; i < specs_.size(); ++i) state_[i].next = specs_[i].first_cycle;
  plan();
  SC_METHOD(drive);
  sensitive << changed_ << due_;
}

void IrqSources::plan() {
  next_ = kNever;
  for (const State& s : state_) next_ = std::min(next_, s.next);
}

void IrqSources::fire(uint64_t now) {
  for (size_t i = 0; i < specs_.size(); ++i) {
    State& s = state_[i];
    const IrqSourceSpec& spec = specs_[i];
    if (s.next > now) continue;
    ++s.raised;
    // A pulse: the gateway latches it as pending, the line goes low again.
    if (spec.ack == IrqAck::register_write) ++s.unacked;
    else s.pulse = true;
    bool more = spec.count == 0 || s.raised < spec.count;
    s.next = more && spec.period_cycles ? now + spec.period_cycles : kNever;
  }
  plan();
}

void IrqSources::drive() {
  const uint64_t now = cycle_now();
  if (next_ <= now) fire(now);
  bool pulsing = false;
  for (size_t i = 0; i < specs_.size(); ++i) {
    State& s = state_[i];
    irq_out[i].write(s.pulse || s.unacked != 0);
    pulsing |= s.pulse;
    s.pulse = false;
  }
  if (pulsing) changed_.notify(sc_core::SC_ZERO_TIME);  // and low again in the next delta
  notify_at_cycle(due_, next_);
}

bool IrqSources::read(uint32_t addr, unsigned size, uint32_t& value) {
  if (size != 4) return false;
  uint32_t off = addr - IRQSRC_BASE;
  size_t i = off / IRQSRC_STRIDE;
  value = 0;
  if (i >= state_.size()) return true;
  switch (off % IRQSRC_STRIDE) {
    case IRQSRC_STATUS: value = static_cast<uint32_t>(state_[i].unacked); break;
    case IRQSRC_COUNT: value = static_cast<uint32_t>(state_[i].raised); break;
    default: break;
  }
  return true;
}

bool IrqSources::write(uint32_t addr, unsigned size, uint32_t value) {
  if (size != 4) return false;
  uint32_t off = addr - IRQSRC_BASE;
  size_t i = off / IRQSRC_STRIDE;
  if (i >= state_.size() || off % IRQSRC_STRIDE != IRQSRC_ACK || !(value & 1)) return true;
  State& s = state_[i];
  if (s.unacked) --s.unacked;
  if (sc_core::sc_is_running()) changed_.notify(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace spinlab::models

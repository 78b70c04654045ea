#include "models/irq_source.h"

#include <algorithm>

#include "firmware/include/memmap.h"

namespace spinlab::models {

IrqSources::IrqSources(std::vector<IrqSourceSpec> specs, Plic& plic)
    : specs_(std::move(specs)), state_(specs_.size()), plic_(plic) {
  for (size_t i = 0; i < specs_.size(); ++i) state_[i].next = specs_[i].first_cycle;
  plan();
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
    if (spec.ack == IrqAck::register_write) {
      ++s.unacked;
      plic_.set_line(spec.line, true);
    } else {
      // A pulse: the gateway latches it as pending, the line goes low again.
      plic_.set_line(spec.line, true);
      plic_.set_line(spec.line, false);
    }
    bool more = spec.count == 0 || s.raised < spec.count;
    s.next = more && spec.period_cycles ? now + spec.period_cycles : kNever;
  }
  plan();
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
  if (s.unacked == 0 && specs_[i].ack == IrqAck::register_write) plic_.set_line(specs_[i].line, false);
  return true;
}

}  // namespace spinlab::models

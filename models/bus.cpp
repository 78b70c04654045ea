#include "models/bus.h"

namespace spinlab::models {

Bus::Bus(unsigned harts, Arbitration arbitration)
    : reservations_(harts), arbitration_(arbitration), last_owner_(harts - 1), stats_(harts) {}

void Bus::map(const char* name, uint32_t base, uint32_t size, isa::Target* target, uint32_t latency_cycles) {
  map_.push_back({name, base, size, target, latency_cycles});
}

const Bus::Mapping* Bus::route(uint32_t addr) const {
  for (const Mapping& m : map_)
    if (addr - m.base < m.size) return &m;
  return nullptr;
}

bool Bus::read(uint32_t addr, unsigned size, uint32_t& value) {
  const Mapping* m = route(addr);
  return m && addr - m->base <= m->size - size && m->target->read(addr, size, value);
}

bool Bus::write(uint32_t addr, unsigned size, uint32_t value) {
  const Mapping* m = route(addr);
  return m && addr - m->base <= m->size - size && m->target->write(addr, size, value);
}

isa::MemResponse Bus::access(unsigned hart, const isa::MemRequest& r, uint32_t& latency_cycles) {
  const Mapping* m = route(r.addr);
  latency_cycles = m ? m->latency_cycles : 1;
  return isa::perform(r, hart, *this, reservations_);
}

// Round-robin: the first requester after the last owner, in hart order.
// Fixed priority: the lowest hart number always wins (and can starve others).
unsigned Bus::arbitrate(const std::vector<unsigned>& requesting) {
  unsigned n = static_cast<unsigned>(stats_.size());
  unsigned winner = requesting.front();
  if (requesting.size() == 1) {
    // uncontested: nothing to decide, but the owner still changes
  } else if (arbitration_ == Arbitration::round_robin) {
    unsigned best = n;
    for (unsigned h : requesting) {
      unsigned distance = (h + n - last_owner_ - 1) % n;
      if (distance < best) best = distance, winner = h;
    }
  } else {
    for (unsigned h : requesting)
      if (h < winner) winner = h;
  }
  last_owner_ = winner;
  return winner;
}

void Bus::record(unsigned hart, uint64_t wait_cycles, uint32_t hold_cycles) {
  BusStats& s = stats_[hart];
  ++s.transactions;
  s.wait_cycles += wait_cycles;
  s.hold_cycles += hold_cycles;
}

}  // namespace spinlab::models

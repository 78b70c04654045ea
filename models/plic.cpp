#include "models/plic.h"

#include "firmware/include/memmap.h"

namespace spinlab::models {

namespace {
// The register layout is memmap.h's, the one table firmware and models share.
constexpr uint32_t kPending = PLIC_PENDING_OFF, kEnable = PLIC_ENABLE_OFF, kEnableStride = PLIC_ENABLE_STRIDE;
constexpr uint32_t kContext = PLIC_CONTEXT_OFF, kContextStride = PLIC_CONTEXT_STRIDE;
}  // namespace

Plic::Plic(unsigned sources, unsigned harts, sc_core::sc_module_name name)
    : Device(name, PLIC_BASE, PLIC_SIZE),
      irq_in("irq", sources),
      meip_out("meip", harts),
      priority_(sources + 1, 0),
      line_(sources + 1, 0),
      pending_(sources + 1, 0),
      in_flight_(sources + 1, 0),
      enable_(2 * harts, std::vector<uint32_t>((sources + 1 + 31) / 32, 0)),
      threshold_(2 * harts, 0) {
  SC_METHOD(drive);
  sensitive << changed_;
  for (auto& in : irq_in) sensitive << in;
}

// A line's level only matters when it changes: raising a line already high
// finds its source pending or in flight already.
void Plic::drive() {
  for (unsigned s = 1; s <= sources(); ++s) {
    const bool level = irq_in[s - 1].read();
    if (level != static_cast<bool>(line_[s])) set_line(s, level);
  }
  for (unsigned h = 0; h < meip_out.size(); ++h) meip_out[h].write(meip(h));
}

// The enable bits of word w that name a source: not source 0, nor any past
// the last one (WARL: they read zero).
uint32_t Plic::implemented(unsigned w) const {
  uint32_t mask = 0;
  for (unsigned b = 0; b < 32; ++b) {
    unsigned s = w * 32 + b;
    if (s >= 1 && s <= sources()) mask |= 1u << b;
  }
  return mask;
}

void Plic::gateway(unsigned s) {
  if (line_[s] && !in_flight_[s]) pending_[s] = 1;
}

void Plic::set_line(unsigned s, bool level) {
  if (s == 0 || s > sources()) return;
  line_[s] = level;
  gateway(s);
}

// The highest priority wins; among equals, the lowest source ID (spec,
// "Interrupt Priorities"). Priority 0 means "never interrupt".
unsigned Plic::best(unsigned context) const {
  unsigned winner = 0;
  uint32_t top = threshold_[context];
  for (unsigned s = 1; s < priority_.size(); ++s)
    if (pending_[s] && enabled(context, s) && priority_[s] > top) top = priority_[s], winner = s;
  return winner;
}

uint32_t Plic::claim(unsigned context) {
  unsigned s = best(context);
  if (s) {
    pending_[s] = 0;
    in_flight_[s] = 1;
  }
  return s;
}

// A completion for a source that is not enabled for this context is ignored.
void Plic::complete(unsigned context, uint32_t s) {
  if (s == 0 || s > sources() || !enabled(context, s)) return;
  in_flight_[s] = 0;
  gateway(s);  // still asserted: pending again
}

bool Plic::read(uint32_t addr, unsigned size, uint32_t& value) {
  const bool ok = read_register(addr, size, value, true);
  if (sc_core::sc_is_running()) changed_.notify(sc_core::SC_ZERO_TIME);
  return ok;
}

bool Plic::peek(uint32_t addr, unsigned size, uint32_t& value) { return read_register(addr, size, value, false); }

bool Plic::read_register(uint32_t addr, unsigned size, uint32_t& value, bool claiming) {
  if (size != 4) return false;
  uint32_t off = addr - PLIC_BASE;
  unsigned contexts = static_cast<unsigned>(threshold_.size());
  unsigned words = static_cast<unsigned>(enable_[0].size());
  value = 0;
  if (off < 4 * priority_.size()) {
    value = priority_[off / 4];
  } else if (off >= kPending && off < kPending + 4 * words) {
    unsigned first = (off - kPending) / 4 * 32;
    for (unsigned b = 0; b < 32 && first + b < pending_.size(); ++b) value |= uint32_t{pending_[first + b]} << b;
  } else if (off >= kEnable && off < kEnable + kEnableStride * contexts) {
    unsigned c = (off - kEnable) / kEnableStride, w = (off - kEnable) % kEnableStride / 4;
    if (w < words) value = enable_[c][w];
  } else if (off >= kContext && off < kContext + kContextStride * contexts) {
    unsigned c = (off - kContext) / kContextStride, reg = (off - kContext) % kContextStride;
    if (reg == 0) value = threshold_[c];
    else if (reg == 4) value = claiming ? claim(c) : best(c);
  }
  return true;
}

bool Plic::write(uint32_t addr, unsigned size, uint32_t value) {
  if (size != 4) return false;
  uint32_t off = addr - PLIC_BASE;
  unsigned contexts = static_cast<unsigned>(threshold_.size());
  unsigned words = static_cast<unsigned>(enable_[0].size());
  if (off < 4 * priority_.size()) {
    if (off) priority_[off / 4] = value & kPriorityMask;  // source 0 does not exist
  } else if (off >= kEnable && off < kEnable + kEnableStride * contexts) {
    unsigned c = (off - kEnable) / kEnableStride, w = (off - kEnable) % kEnableStride / 4;
    if (w < words) enable_[c][w] = value & implemented(w);
  } else if (off >= kContext && off < kContext + kContextStride * contexts) {
    unsigned c = (off - kContext) / kContextStride, reg = (off - kContext) % kContextStride;
    if (reg == 0) threshold_[c] = value & kPriorityMask;
    else if (reg == 4) complete(c, value);
  }
  // The pending bits are read-only.
  if (sc_core::sc_is_running()) changed_.notify(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace spinlab::models

// What a memory request does to a target: loads, stores, LR/SC and AMOs,
// and the reservation rules that tie them together across harts.
#include "isa/mem.h"

#include <cassert>

namespace spinlab::isa {

namespace {

uint32_t size_mask(unsigned size) { return size >= 4 ? 0xffff'ffffu : (1u << (8 * size)) - 1; }

uint32_t extend(uint32_t v, unsigned size, bool sign) {
  if (size == 1)
    return sign ? static_cast<uint32_t>(static_cast<int8_t>(v)) : (v & 0xffu);
  if (size == 2)
    return sign ? static_cast<uint32_t>(static_cast<int16_t>(v)) : (v & 0xffffu);
  return v;
}

bool aligned(uint32_t addr, unsigned size) { return (addr & (size - 1)) == 0; }

// A misaligned access (only issued when the hart allows them) becomes byte
// accesses in ascending address order, little-endian. A fault part-way
// through a store leaves the bytes before it written. `at` is the address
// that faulted: the part's, which mtval names (privileged 3.1.16).
bool read_any(Target& t, uint32_t addr, unsigned size, uint32_t& value, uint32_t& at) {
  at = addr;
  if (aligned(addr, size))
    return t.read(addr, size, value);
  value = 0;
  for (unsigned i = 0; i < size; ++i) {
    uint32_t byte = 0;
    at = addr + i;
    if (!t.read(at, 1, byte)) return false;
    value |= (byte & 0xffu) << (8 * i);
  }
  return true;
}

bool write_any(Target& t, uint32_t addr, unsigned size, uint32_t value, uint32_t& at) {
  value &= size_mask(size);
  at = addr;
  if (aligned(addr, size))
    return t.write(addr, size, value);
  for (unsigned i = 0; i < size; ++i) {
    at = addr + i;
    if (!t.write(at, 1, (value >> (8 * i)) & 0xffu)) return false;
  }
  return true;
}

MemResponse fault(uint32_t addr) { return MemResponse{true, 0, false, addr}; }

MemResponse do_load(const MemRequest& r, Target& t) {
  uint32_t v = 0, at = 0;
  if (!read_any(t, r.addr, r.size, v, at)) return fault(at);
  return MemResponse{false, extend(v, r.size, r.sign_extend), false};
}

MemResponse do_store(const MemRequest& r, unsigned hart, Target& t, Reservations& res) {
  uint32_t at = 0;
  if (!write_any(t, r.addr, r.size, r.wdata, at)) return fault(at);
  res.on_write(hart, r.addr, r.size);
  return MemResponse{false, 0, true};
}

MemResponse do_lr(const MemRequest& r, unsigned hart, Target& t, Reservations& res) {
  uint32_t v = 0;
  if (!t.read(r.addr, 4, v)) return fault(r.addr);
  res.reserve(hart, r.addr);
  return MemResponse{false, v, false};
}

// An SC without a reservation fails without touching memory: rd = 1
// (unprivileged spec, "Load-Reserved/Store-Conditional": any nonzero code
// means failure; we always use 1).
MemResponse do_sc(const MemRequest& r, unsigned hart, Target& t, Reservations& res) {
  if (!res.consume(hart, r.addr))
    return MemResponse{false, 1, false};
  if (!t.write(r.addr, 4, r.wdata)) return fault(r.addr);
  res.on_write(hart, r.addr, 4);
  return MemResponse{false, 0, true};
}

// Read, modify and write as one step: the bus holds off every other access
// for the whole call (DESIGN.md section 1).
MemResponse do_amo(const MemRequest& r, unsigned hart, Target& t, Reservations& res) {
  uint32_t old = 0;
  if (!t.read(r.addr, 4, old)) return fault(r.addr);
  if (!t.write(r.addr, 4, amo_apply(r.amo, old, r.wdata))) return fault(r.addr);
  res.on_write(hart, r.addr, 4);
  return MemResponse{false, old, true};
}

}  // namespace

bool Reservations::consume(unsigned hart, uint32_t addr) {
  assert(hart < addr_.size());
  bool held = addr_[hart] == (addr & ~3u);
  addr_[hart] = kNone;
  return held;
}

void Reservations::on_write(unsigned writer, uint32_t addr, unsigned size) {
  // A misaligned write may touch two granules.
  uint64_t first = addr & ~3u;
  uint64_t last = (uint64_t{addr} + (size ? size - 1 : 0)) & ~uint64_t{3};
  for (unsigned h = 0; h < addr_.size(); ++h)
    if (h != writer && addr_[h] >= first && addr_[h] <= last)
      addr_[h] = kNone;
}

uint32_t amo_apply(AmoOp op, uint32_t old_value, uint32_t operand) {
  const auto s_old = static_cast<int32_t>(old_value);
  const auto s_op = static_cast<int32_t>(operand);
  switch (op) {
    case AmoOp::swap: return operand;
    case AmoOp::add: return old_value + operand;
    case AmoOp::xor_: return old_value ^ operand;
    case AmoOp::and_: return old_value & operand;
    case AmoOp::or_: return old_value | operand;
    case AmoOp::min: return s_old < s_op ? old_value : operand;
    case AmoOp::max: return s_old > s_op ? old_value : operand;
    case AmoOp::minu: return old_value < operand ? old_value : operand;
    case AmoOp::maxu: return old_value > operand ? old_value : operand;
  }
  return operand;
}

MemResponse perform(const MemRequest& r, unsigned hart, Target& t, Reservations& res) {
  switch (r.op) {
    case MemOp::load: return do_load(r, t);
    case MemOp::store: return do_store(r, hart, t, res);
    case MemOp::lr: return do_lr(r, hart, t, res);
    case MemOp::sc: return do_sc(r, hart, t, res);
    case MemOp::amo: return do_amo(r, hart, t, res);
  }
  return fault(r.addr);
}

}  // namespace spinlab::isa

#include "models/bus.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "models/device_base.h"

namespace spinlab::models {

namespace {
// Whole cycles of `period` in `d`, rounded up: a target may annotate any delay.
uint32_t cycles_in(const sc_core::sc_time& d, const sc_core::sc_time& period) {
  return static_cast<uint32_t>((d.value() + period.value() - 1) / period.value());
}
}  // namespace

Bus::Bus(sc_core::sc_module_name name, unsigned harts, Arbitration arbitration, const sc_core::sc_time& period)
    : sc_module(name),
      harts("harts"),
      devices("devices"),
      reservations_(harts),
      arbitration_(arbitration),
      last_owner_(harts - 1),
      stats_(harts),
      period_(period) {
  this->harts.bind(*this);
}

void Bus::map(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& target,
              const Device* device, uint32_t latency_cycles) {
  const uint64_t end = uint64_t{base} + size;
  if (size == 0 || end > (uint64_t{1} << 32))
    throw std::invalid_argument("device " + name + ": its range does not fit the 32-bit bus");
  for (const Mapping& m : map_)
    if (base < uint64_t{m.base} + m.size && m.base < end)
      throw std::invalid_argument("device " + name + ": its range overlaps " + m.name + "'s");
  map_.push_back({name, base, size, static_cast<unsigned>(map_.size()), device, latency_cycles});
  devices.bind(target);
  // What the socket exports now; start_of_simulation takes the final one
  // (a socket bound through a hierarchy knows its interface only then).
  sc_core::sc_export<tlm::tlm_fw_transport_if<>>& exported = target;
  targets_.push_back(dynamic_cast<tlm::tlm_fw_transport_if<>*>(exported.get_interface()));
}

void Bus::map(Device& d) { map(d.basename(), d.base(), d.size(), d.socket, &d, d.latency_cycles()); }

const Bus::Mapping* Bus::route(uint32_t addr) const {
  for (const Mapping& m : map_)
    if (addr - m.base < m.size) return &m;
  return nullptr;
}

void Bus::start_of_simulation() {
  for (size_t i = 0; i < targets_.size(); ++i) targets_[i] = devices[static_cast<int>(i)];
  acquire_dmi();
}

void Bus::acquire_dmi() {
  if (dmi_asked_) return;
  dmi_asked_ = true;
  tlm::tlm_generic_payload gp;
  for (const Mapping& m : map_) {
    tlm::tlm_dmi d;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(0);
    if (!targets_[m.socket]->get_direct_mem_ptr(gp, d) || !d.is_read_write_allowed()) continue;
    dmi_ptr_ = d.get_dmi_ptr() + d.get_start_address();
    dmi_base_ = m.base + static_cast<uint32_t>(d.get_start_address());
    dmi_size_ = static_cast<uint32_t>(d.get_end_address() - d.get_start_address() + 1);
    dmi_latency_cycles_ = cycles_in(d.get_read_latency(), period_);
    dmi_latency_ = sc_core::sc_time::from_value(period_.value() * dmi_latency_cycles_);
    return;
  }
}

namespace {

// The host is little-endian like RISC-V, so a word is a memcpy. A word's,
// the common size, is of a constant size: one load and store, where a
// memcpy of a variable size is a call (~14 host instructions).
inline void copy(void* to, const void* from, unsigned size) {
  if (size == 4) std::memcpy(to, from, 4);
  else std::memcpy(to, from, size);
}

}  // namespace

bool Bus::dmi_read(uint32_t addr, unsigned size, uint32_t& value) const {
  const uint32_t off = addr - dmi_base_;
  if (off >= dmi_size_ || off > dmi_size_ - size) return false;
  value = 0;
  copy(&value, dmi_ptr_ + off, size);
  return true;
}

bool Bus::read(uint32_t addr, unsigned size, uint32_t& value) {
  return dmi_read(addr, size, value) || forward(tlm::TLM_READ_COMMAND, addr, size, value);
}

bool Bus::write(uint32_t addr, unsigned size, uint32_t value) {
  const uint32_t off = addr - dmi_base_;
  if (off < dmi_size_ && off <= dmi_size_ - size) {
    copy(dmi_ptr_ + off, &value, size);
    return true;
  }
  return forward(tlm::TLM_WRITE_COMMAND, addr, size, value);
}

// One part of an access through a target's socket; the first call of a
// transaction says how long it holds the bus.
bool Bus::forward(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value) {
  const Mapping* m = route(addr);
  if (!m || addr - m->base > m->size - size) return false;
  unsigned char bytes[4];
  std::memcpy(bytes, &value, 4);
  gp_.set_command(cmd);
  gp_.set_address(addr - m->base);
  gp_.set_data_ptr(bytes);
  gp_.set_data_length(size);
  gp_.set_streaming_width(size);
  gp_.set_byte_enable_ptr(nullptr);
  gp_.set_byte_enable_length(0);
  gp_.set_dmi_allowed(false);
  gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  targets_[m->socket]->b_transport(gp_, delay);
  if (!called_) {
    called_ = true;
    first_delay_ = delay;
  }
  if (!gp_.is_response_ok()) return false;
  if (cmd == tlm::TLM_READ_COMMAND) {
    value = 0;
    std::memcpy(&value, bytes, size);
  }
  return true;
}

isa::MemResponse Bus::access(unsigned hart, const isa::MemRequest& r, uint32_t& latency_cycles) {
  if (direct(r.addr)) {
    last_device_ = nullptr;
    latency_cycles = dmi_latency_cycles_;
    return isa::perform(r, hart, *this, reservations_);
  }
  const Mapping* m = route(r.addr);
  last_device_ = m ? m->device : nullptr;
  called_ = false;
  isa::MemResponse resp = isa::perform(r, hart, *this, reservations_);
  if (!m) latency_cycles = 1;
  else if (!called_) latency_cycles = m->latency_cycles;  // an SC that failed before reaching it
  else if (m->device) latency_cycles = cycles_in(first_delay_, period_);
  else latency_cycles = std::max<uint32_t>(1, cycles_in(first_delay_, period_));  // a plugged-in device holds it a cycle at least
  return resp;
}

void Bus::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  BusAccess* a = gp.get_extension<BusAccess>();
  if (!a) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  a->response = access(a->hart, a->request, a->latency_cycles);
  // RAM's latency is kept as a time: no conversion on the hot path.
  delay += a->latency_cycles == dmi_latency_cycles_ && direct(a->request.addr)
               ? dmi_latency_
               : sc_core::sc_time::from_value(period_.value() * a->latency_cycles);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Bus::debug_read(uint32_t addr, unsigned size, uint32_t& value) {
  if (dmi_read(addr, size, value)) return true;
  unsigned char bytes[4] = {};
  if (size > sizeof bytes || !debug_transfer(addr, bytes, size, false)) return false;
  value = 0;
  std::memcpy(&value, bytes, size);
  return true;
}

bool Bus::debug_transfer(uint32_t addr, uint8_t* data, uint32_t len, bool write) {
  const Mapping* m = route(addr);
  if (!m || len > m->size || addr - m->base > m->size - len) return false;
  dbg_gp_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  dbg_gp_.set_address(addr - m->base);
  dbg_gp_.set_data_ptr(data);
  dbg_gp_.set_data_length(len);
  dbg_gp_.set_streaming_width(len);
  return targets_[m->socket]->transport_dbg(dbg_gp_) == len;
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

#include "models/ram.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace spinlab::models {

Ram::Ram(uint32_t base, uint32_t bytes, sc_core::sc_module_name name)
    : Device(name, base, bytes), bytes_(static_cast<uint8_t*>(std::calloc(bytes, 1))) {
  if (!bytes_) throw std::bad_alloc();
}

Ram::~Ram() { std::free(bytes_); }

// The host is little-endian like RISC-V, so a word is a memcpy.
bool Ram::read(uint32_t addr, unsigned size, uint32_t& value) {
  uint32_t off = addr - base();
  if (addr < base() || off > this->size() - size) return false;
  value = 0;
  std::memcpy(&value, bytes_ + off, size);
  return true;
}

bool Ram::write(uint32_t addr, unsigned size, uint32_t value) {
  uint32_t off = addr - base();
  if (addr < base() || off > this->size() - size) return false;
  std::memcpy(bytes_ + off, &value, size);
  return true;
}

// The whole RAM, read and write, at the latency of one access. Addresses are
// offsets from base, as the bus sends them.
bool Ram::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& d) {
  d.set_dmi_ptr(bytes_);
  d.set_start_address(0);
  d.set_end_address(size() - 1);
  d.allow_read_write();
  const sc_core::sc_time latency = sc_core::sc_time::from_value(period().value() * latency_cycles());
  d.set_read_latency(latency);
  d.set_write_latency(latency);
  return true;
}

bool Ram::load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros) {
  const uint64_t total = uint64_t{size} + zeros;
  if (addr < base() || addr - base() > this->size() || total > this->size() - (addr - base())) return false;
  if (size) std::memcpy(bytes_ + (addr - base()), data, size);
  if (zeros) std::memset(bytes_ + (addr - base()) + size, 0, zeros);
  return true;
}

}  // namespace spinlab::models

// RAM at RAM_BASE: zeroed at start. A device on the bus like any other
// (b_transport, transport_dbg), and the one that grants DMI: the harts fetch
// from its bytes, and the bus's fast path reads and writes them, through the
// pointer get_direct_mem_ptr hands out (the whole RAM, read and write).
#pragma once

#include <cstdint>

#include "isa/hart.h"
#include "models/device_base.h"

namespace spinlab::models {

class Ram : public Device {
 public:
  Ram(uint32_t base, uint32_t bytes, sc_core::sc_module_name name = "ram");
  ~Ram() override;
  Ram(const Ram&) = delete;
  Ram& operator=(const Ram&) = delete;

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  bool peek(uint32_t addr, unsigned size, uint32_t& value) override { return read(addr, size, value); }
  bool poke(uint32_t addr, unsigned size, uint32_t value) override { return write(addr, size, value); }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& d) override;

  // Copies an image into RAM (ELF loading) and zeroes the `zeros` bytes
  // after it (a segment's memsz beyond its filesz); false when it does not fit.
  bool load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros = 0);

 private:
  uint8_t* bytes_;  // calloc'd: zeroed, and pages never touched cost nothing
};

}  // namespace spinlab::models

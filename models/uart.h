// The UART: the transmit side of a 16550, which is all firmware printf needs.
// THR writes go to the console as they happen; LSR always reads "transmitter
// empty", so polling loops finish at once. Other registers read 0 and ignore
// writes (QEMU's 16550 accepts the same accesses).
#pragma once

#include <cstdint>
#include <cstdio>

#include "firmware/include/memmap.h"
#include "models/device_base.h"

namespace spinlab::models {

class Uart : public Device {
 public:
  Uart(uint32_t base, std::FILE* out, sc_core::sc_module_name name = "uart")
      : Device(name, base, UART0_SIZE), out_(out) {}
  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  void flush() { std::fflush(out_); }
  uint64_t bytes_written() const { return written_; }

 private:
  std::FILE* out_;
  uint64_t written_ = 0;
};

}  // namespace spinlab::models

// The UART: the transmit side of a 16550, which is all firmware printf needs.
// THR writes go to the console as they happen; LSR always reads "transmitter
// empty", so polling loops finish at once. Other registers read 0 and ignore
// writes (QEMU's 16550 accepts the same accesses).
#pragma once

#include <cstdint>
#include <cstdio>

#include "isa/mem.h"

namespace spinlab::models {

class Uart : public isa::Target {
 public:
  explicit Uart(std::FILE* out) : out_(out) {}
  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  void set_base(uint32_t base) { base_ = base; }
  void flush() { std::fflush(out_); }
  uint64_t bytes_written() const { return written_; }

 private:
  std::FILE* out_;
  uint32_t base_ = 0;
  uint64_t written_ = 0;
};

}  // namespace spinlab::models

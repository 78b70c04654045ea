// The UART: a 16550's registers without its receiver or interrupt. THR
// writes go to the console as they happen; LSR always reads "transmitter
// empty", so polling loops finish at once. The other registers keep what a
// driver's set-up writes: the divisor latch (DLL/DLM, while LCR.DLAB is set:
// a write to offset 0 then is no character), IER, LCR, MCR and SCR. IIR
// reads "no interrupt pending" (with FCR's FIFO bits), RBR and MSR read 0.
#pragma once

#include <array>
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
  // What the driver wrote, by offset: IER 1, LCR 3, MCR 4, SCR 7; the
  // divisor latch apart; fifo_: FCR's enable bit.
  std::array<uint8_t, 8> regs_{};
  uint8_t dll_ = 0, dlm_ = 0;
  bool fifo_ = false;
};

}  // namespace spinlab::models

#include "models/uart.h"

#include "firmware/include/memmap.h"

namespace spinlab::models {

bool Uart::read(uint32_t addr, unsigned size, uint32_t& value) {
  value = (addr - base() == UART_LSR) ? (UART_LSR_THRE | UART_LSR_TEMT) : 0;
  return true;
}

bool Uart::write(uint32_t addr, unsigned size, uint32_t value) {
  if (addr - base() != UART_THR) return true;
  std::fputc(static_cast<int>(value & 0xff), out_);
  ++written_;
  // A line is shown as soon as it is complete, so output interleaves with the
  // simulator's own messages in the order things happened.
  if ((value & 0xff) == '\n') std::fflush(out_);
  return true;
}

}  // namespace spinlab::models

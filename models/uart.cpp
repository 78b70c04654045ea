#include "models/uart.h"

#include "firmware/include/memmap.h"

namespace spinlab::models {

namespace {
// The 16550's offsets beyond THR and LSR (memmap.h), and LCR's DLAB bit.
constexpr uint32_t kIer = 1, kIir = 2, kLcr = 3, kMcr = 4, kMsr = 6, kScr = 7;
constexpr uint8_t kDlab = 0x80;
constexpr uint8_t kIirNone = 0x01, kIirFifos = 0xc0;
}  // namespace

bool Uart::read(uint32_t addr, unsigned size, uint32_t& value) {
  (void)size;
  const uint32_t offset = addr - base();
  const bool dlab = (regs_[kLcr] & kDlab) != 0;
  switch (offset) {
    case UART_THR: value = dlab ? dll_ : 0; break;  // RBR: nothing received
    case kIer: value = dlab ? dlm_ : regs_[kIer]; break;
    case kIir: value = kIirNone | (fifo_ ? kIirFifos : 0); break;
    case kLcr:
    case kMcr:
    case kScr: value = regs_[offset]; break;
    case UART_LSR: value = UART_LSR_THRE | UART_LSR_TEMT; break;
    case kMsr:
    default: value = 0; break;
  }
  return true;
}

bool Uart::write(uint32_t addr, unsigned size, uint32_t value) {
  (void)size;
  const uint32_t offset = addr - base();
  const auto byte = static_cast<uint8_t>(value);
  const bool dlab = (regs_[kLcr] & kDlab) != 0;
  switch (offset) {
    case UART_THR:
      if (dlab) {
        dll_ = byte;
        return true;
      }
      std::fputc(byte, out_);
      ++written_;
      // A line is shown as soon as it is complete, so output interleaves with
      // the simulator's own messages in the order things happened.
      if (byte == '\n') std::fflush(out_);
      return true;
    case kIer:
      if (dlab) dlm_ = byte;
      else regs_[kIer] = byte & 0x0f;
      return true;
    case kIir: fifo_ = (byte & 1) != 0; return true;  // FCR
    case kLcr:
    case kScr: regs_[offset] = byte; return true;
    case kMcr: regs_[kMcr] = byte & 0x1f; return true;
    default: return true;  // LSR, MSR: read-only
  }
}

}  // namespace spinlab::models

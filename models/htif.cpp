#include "models/htif.h"

#include <cinttypes>

namespace spinlab::models {

namespace {
constexpr uint64_t kPayloadMask = (uint64_t{1} << 48) - 1;
constexpr unsigned kDeviceSyscall = 0, kDeviceConsole = 1;
constexpr unsigned kConsoleGetchar = 0, kConsolePutchar = 1;
}  // namespace

Htif::Htif(Ram& ram, uint32_t tohost, std::optional<uint32_t> fromhost, std::FILE* console, Warn warn)
    : ram_(ram), tohost_(tohost), fromhost_(fromhost), console_(console), warn_(std::move(warn)) {}

bool Htif::in_ram(uint64_t addr, uint64_t size) const {
  return addr >= ram_.base() && size <= ram_.size() && addr - ram_.base() <= ram_.size() - size;
}

uint64_t Htif::read64(uint32_t addr) const {
  uint32_t lo = 0, hi = 0;
  ram_.read(addr, 4, lo);
  ram_.read(addr + 4, 4, hi);
  return (uint64_t{hi} << 32) | lo;
}

void Htif::write64(uint32_t addr, uint64_t value) {
  ram_.write(addr, 4, static_cast<uint32_t>(value));
  ram_.write(addr + 4, 4, static_cast<uint32_t>(value >> 32));
}

std::optional<int> Htif::store(uint32_t addr, unsigned size, unsigned hart, uint32_t pc) {
  // Only a store that reaches a word's high half completes it: firmware
  // writes the low half first (see htif.h).
  if (addr - tohost_ < 8) {
    if (addr + size <= tohost_ + 4) return std::nullopt;
    const uint64_t cmd = read64(tohost_);
    return cmd ? command(cmd, hart, pc) : std::nullopt;
  }
  if (addr + size > *fromhost_ + 4) deliver();  // the firmware cleared fromhost: the next answer may go in
  return std::nullopt;
}

std::optional<int> Htif::command(uint64_t cmd, unsigned hart, uint32_t pc) {
  const unsigned device = static_cast<unsigned>(cmd >> 56), code = static_cast<unsigned>(cmd >> 48) & 0xff;
  const uint64_t payload = cmd & kPayloadMask;
  if (device == kDeviceSyscall && code == 0 && (payload & 1))
    return static_cast<int>(payload >> 1);  // the riscv-tests' pass/fail: the run ends here
  // The host has taken the command: tohost reads 0 again (fesvr clears it
  // before carrying the command out).
  write64(tohost_, 0);
  std::optional<int> exit;
  if (device == kDeviceSyscall && code == 0) {
    const uint32_t magic = static_cast<uint32_t>(payload);
    // which and three arguments: the words the proxy reads.
    if (payload != magic || !in_ram(magic, 4 * 8)) {
      char what[128];
      std::snprintf(what, sizeof what,
                    "HTIF syscall: magic_mem at %#" PRIx64 " is outside RAM; the command is acknowledged and ignored",
                    payload);
      warn_(hart, pc, what);
    } else {
      const int64_t ret = syscall(magic, exit);
      write64(magic, static_cast<uint64_t>(ret));
    }
    if (!exit) acknowledge(1);  // fesvr answers every proxied call with 1
  } else if (device == kDeviceConsole && code == kConsolePutchar) {
    const int ch = static_cast<int>(payload & 0xff);
    std::fputc(ch, console_);
    if (ch == '\n') std::fflush(console_);  // as the UART: a line shows when complete
    acknowledge((cmd >> 48 << 48) | 0x100 | static_cast<uint64_t>(ch));
  } else if (device == kDeviceConsole && code == kConsoleGetchar) {
    // There is never input, so the read is never answered, as fesvr's
    // console with nothing on stdin.
  }
  // Other devices and commands reach fesvr's null device, which does nothing.
  return exit;
}

int64_t Htif::syscall(uint32_t magic, std::optional<int>& exit) {
  const uint64_t which = read64(magic), arg0 = read64(magic + 8), arg1 = read64(magic + 16),
                 arg2 = read64(magic + 24);
  switch (which) {
    case kSysWrite: {
      // fd 1 and 2 are the console (fesvr maps both to its stdout).
      if (arg0 != 1 && arg0 != 2) return -kEBADF;
      if (!in_ram(arg1, arg2)) return -kEFAULT;
      for (uint64_t i = 0; i < arg2; ++i) {
        uint32_t byte = 0;
        ram_.read(static_cast<uint32_t>(arg1 + i), 1, byte);
        std::fputc(static_cast<int>(byte), console_);
      }
      std::fflush(console_);
      return static_cast<int64_t>(arg2);
    }
    case kSysExit: exit = static_cast<int>(arg0); return 0;
    default: return -kENOSYS;
  }
}

// An answer goes into fromhost when it is empty, else waits until the
// firmware clears it, one at a time (fesvr's fromhost_queue). Without a
// fromhost symbol answers are dropped.
void Htif::acknowledge(uint64_t value) {
  if (!fromhost_) return;
  pending_.push_back(value);
  deliver();
}

void Htif::deliver() {
  if (pending_.empty() || read64(*fromhost_) != 0) return;
  write64(*fromhost_, pending_.front());
  pending_.pop_front();
}

}  // namespace spinlab::models

// HTIF, the host-target interface of Spike's front-end server (fesvr), as
// riscv-tests and their benchmarks use it: two 64-bit words in RAM, found by
// the ELF's `tohost` and `fromhost` symbols. The firmware writes a command to
// tohost; the host carries it out, clears tohost and acknowledges in
// fromhost. A command is (device << 56) | (command << 48) | payload:
//
//   device 0, command 0, payload odd:  exit with payload >> 1
//   device 0, command 0, payload even: the syscall proxy; payload is the
//       address of `magic_mem`, 64-bit words [which, arg0, arg1, arg2, ...];
//       the result goes to magic_mem[0], then fromhost = 1
//   device 1, command 1: putchar of the payload's low byte; fromhost =
//       (1 << 56) | (1 << 48) | 0x100 | byte
//   device 1, command 0: getchar; there is never input, so no answer, as
//       Spike with nothing on stdin
//
// On RV32 the firmware writes each 64-bit word as two 32-bit stores, low
// half first (riscv-tests' env/p write_tohost, and gcc's code for a 64-bit
// store). The command takes effect when the high half is written, as in
// QEMU's riscv_htif.c, so it is whole by then. docs/htif.md says more.
//
// The machine calls store() only for stores that hit either word: nothing
// else costs anything.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "models/ram.h"

namespace spinlab::models {

class Htif {
 public:
  // Something the firmware asked that cannot be done (a magic_mem outside
  // RAM): the hart and the pc of its store, and what went wrong.
  using Warn = std::function<void(unsigned hart, uint32_t pc, const std::string& what)>;

  Htif(Ram& ram, uint32_t tohost, std::optional<uint32_t> fromhost, std::FILE* console, Warn warn);

  // Whether a store at `addr` touches tohost or fromhost.
  bool hits(uint32_t addr) const { return addr - tohost_ < 8 || (fromhost_ && addr - *fromhost_ < 8); }
  // A store of `size` bytes at `addr` (already in RAM) by `hart` at `pc`.
  // Returns the exit code when the firmware asked to end the run.
  std::optional<int> store(uint32_t addr, unsigned size, unsigned hart, uint32_t pc);

  // Linux's errno values, which the proxy returns negated (as Spike does).
  static constexpr int64_t kEBADF = 9, kEFAULT = 14, kENOSYS = 38;
  static constexpr uint64_t kSysWrite = 64, kSysExit = 93;

 private:
  std::optional<int> command(uint64_t cmd, unsigned hart, uint32_t pc);
  // The syscall proxy: returns the value for magic_mem[0], or sets `exit`.
  int64_t syscall(uint32_t magic, std::optional<int>& exit);
  void acknowledge(uint64_t value);
  void deliver();
  bool in_ram(uint64_t addr, uint64_t size) const;
  uint64_t read64(uint32_t addr) const;
  void write64(uint32_t addr, uint64_t value);

  Ram& ram_;
  uint32_t tohost_;
  std::optional<uint32_t> fromhost_;
  std::FILE* console_;
  Warn warn_;
  // Acknowledgements waiting for the firmware to clear fromhost (fesvr's
  // fromhost_queue): one at a time goes into fromhost.
  std::deque<uint64_t> pending_;
};

}  // namespace spinlab::models

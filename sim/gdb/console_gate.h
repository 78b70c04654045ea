// What a run under GDB prints to a terminal or a pipe, printed once. Going
// back in time re-runs a stretch from a checkpoint (sim/gdb/reverse.h), and
// the re-run prints what the run printed the first time: a regular file is
// cut back to the checkpoint's offset and written again, but a terminal
// cannot take back what it showed. The gate sits in front of the terminal
// and counts the bytes the run has written; those below the most any
// timeline of the session got to (the high-water mark, carried into a woken
// checkpoint with the server's state) are dropped. Runs are deterministic,
// so the bytes at an offset are the same in every re-run. The taps, the
// narrator and --report's copy of the output sit behind it and see every
// byte, as the run has them.
#pragma once

#include <cstdint>
#include <cstdio>

namespace spinlab::gdb {

class ConsoleGate {
 public:
  // `out`: where what passes goes. Passes everything through (drops
  // nothing) when `out` is a regular file: reverse execution cuts files back.
  explicit ConsoleGate(std::FILE* out);
  ~ConsoleGate();
  ConsoleGate(const ConsoleGate&) = delete;
  ConsoleGate& operator=(const ConsoleGate&) = delete;

  std::FILE* file() const { return file_; }
  // Bytes written so far in this timeline, and the most any timeline wrote.
  uint64_t written() const { return written_; }
  uint64_t high_water();  // flushes first: what is buffered counts
  void raise_high_water(uint64_t bytes);

 private:
  static ssize_t write(void* cookie, const char* buf, size_t size);
  std::FILE* out_;
  std::FILE* file_ = nullptr;
  bool gating_ = true;
  uint64_t written_ = 0;
  uint64_t high_ = 0;
};

}  // namespace spinlab::gdb

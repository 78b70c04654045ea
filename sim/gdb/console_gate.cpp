#include "sim/gdb/console_gate.h"

#include <sys/stat.h>

#include <algorithm>

#include "sim/load/error.h"

namespace spinlab::gdb {

ConsoleGate::ConsoleGate(std::FILE* out) : out_(out) {
  struct stat st {};
  gating_ = !(fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode));
  cookie_io_functions_t io{};
  io.write = &ConsoleGate::write;
  file_ = ::fopencookie(this, "w", io);
  if (!file_) throw Error(ExitCode::internal, {}, "cannot open the console stream");
  std::setvbuf(file_, nullptr, _IONBF, 0);  // counted as written, nothing held
}

ConsoleGate::~ConsoleGate() {
  if (file_) std::fclose(file_);
}

uint64_t ConsoleGate::high_water() {
  std::fflush(file_);
  return std::max(high_, written_);
}

void ConsoleGate::raise_high_water(uint64_t bytes) { high_ = std::max(high_, bytes); }

ssize_t ConsoleGate::write(void* cookie, const char* buf, size_t size) {
  auto* self = static_cast<ConsoleGate*>(cookie);
  const uint64_t from = self->written_;
  self->written_ += size;
  // The part at or past the high-water mark is new.
  const uint64_t skip = self->gating_ && self->high_ > from ? std::min<uint64_t>(self->high_ - from, size) : 0;
  if (skip < size) std::fwrite(buf + skip, 1, size - skip, self->out_);
  std::fflush(self->out_);
  return static_cast<ssize_t>(size);
}

}  // namespace spinlab::gdb

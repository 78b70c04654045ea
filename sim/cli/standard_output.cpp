#include "sim/cli/standard_output.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "sim/cli/signals.h"
#include "sim/load/error.h"

namespace spinlab {

namespace {

int g_error = 0;  // errno of the first failed write to fd 1; 0: none

// Writes to fd 1 until the first failure, then drops what comes: nobody
// reads it. Returns `size` whatever happened (a short count would set the
// stream's error flag, and fmt::print would throw).
ssize_t write_fd1(void*, const char* buf, size_t size) {
  size_t done = 0;
  while (g_error == 0 && done < size) {
    const ssize_t n = ::write(STDOUT_FILENO, buf + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      g_error = errno;
      if (g_error == EPIPE) stop_for_signal(SIGPIPE);
      break;
    }
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(size);
}

}  // namespace

std::FILE* standard_output() {
  static std::FILE* const out = [] {
    std::signal(SIGPIPE, SIG_IGN);
    cookie_io_functions_t io{};
    io.write = write_fd1;
    std::FILE* f = ::fopencookie(nullptr, "w", io);
    if (!f) throw Error(ExitCode::internal, {}, "cannot open the standard output stream");
    // Buffered as stdout would be: by line on a terminal, else in blocks.
    std::setvbuf(f, nullptr, ::isatty(STDOUT_FILENO) == 1 ? _IOLBF : _IOFBF, BUFSIZ);
    return f;
  }();
  return out;
}

int standard_output_status() {
  std::fflush(standard_output());
  if (g_error == 0) return 0;
  if (g_error == EPIPE) return 128 + SIGPIPE;
  fmt::print(stderr, "spinlab: standard output: {}\n", std::strerror(g_error));
  return static_cast<int>(ExitCode::no_input);
}

}  // namespace spinlab

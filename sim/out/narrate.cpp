#include "sim/out/narrate.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "sim/monitor/monitor.h"
#include "sim/load/firmware.h"

namespace spinlab {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t at = 0;
  for (;;) {
    size_t end = s.find(sep, at);
    parts.push_back(s.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) return parts;
    at = end + 1;
  }
}

// A whole decimal or 0x hex number.
std::optional<uint64_t> number(const std::string& s) {
  int base = 10;
  size_t at = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    at = 2;
  }
  uint64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data() + at, end, v, base);
  if (s.size() == at || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

bool is_lock_event(const Event& e) {
  return e.kind == EventKind::acquire || e.kind == EventKind::release || e.kind == EventKind::spin;
}

}  // namespace

bool NarrateFilter::event(const Event& e) const {
  if (!hart(e.hart) || !cycle(e.cycle)) return false;
  if (locks.empty()) return true;
  return is_lock_event(e) && std::find(locks.begin(), locks.end(), e.lock) != locks.end();
}

void parse_narrate_locks(const std::string& names, const ElfImage& elf, NarrateFilter& f) {
  for (const std::string& name : split(names, ',')) {
    if (name.empty()) throw Error(ExitCode::usage, {}, fmt::format("--narrate={}: an empty lock name", names));
    // As the narrative names a lock (Monitor::lock_name): a symbol, a
    // symbol+0xN inside one, or an address.
    std::optional<uint64_t> addr;
    const size_t plus = name.find('+');
    if (std::optional<uint32_t> a = elf.lookup(name.substr(0, plus))) {
      std::optional<uint64_t> off = plus == std::string::npos ? 0 : number(name.substr(plus + 1));
      if (off) addr = *a + *off;
    } else if (plus == std::string::npos) {
      addr = number(name);
    }
    if (!addr || *addr > UINT32_MAX) {
      std::string msg = fmt::format("--narrate: no lock `{}` in {} (give the names the narrative prints: a symbol, "
                                    "symbol+0xN or an address)", name, elf.path());
      if (std::optional<std::string> guess = nearest_symbol(elf, name.substr(0, plus)))
        msg += fmt::format("; did you mean `{}`?", *guess);
      throw Error(ExitCode::usage, {}, msg);
    }
    f.locks.push_back(static_cast<uint32_t>(*addr) & ~3u);
    f.lock_names.push_back(name);
  }
}

void parse_narrate_harts(const std::string& list, unsigned harts, NarrateFilter& f) {
  f.harts.assign(harts, false);
  for (const std::string& part : split(list, ',')) {
    std::optional<uint64_t> h = number(part);
    if (!h)
      throw Error(ExitCode::usage, {}, fmt::format("--harts {}: expected hart numbers separated by commas, like 0,2", list));
    if (*h >= harts)
      throw Error(ExitCode::usage, {}, fmt::format("--harts {}: no hart {}: the machine has {} (0..{})", list, *h,
                                                   harts == 1 ? "1 hart" : fmt::format("{} harts", harts), harts - 1));
    f.harts[*h] = true;
  }
}

void parse_narrate_cycles(const std::string& window, NarrateFilter& f) {
  const size_t dots = window.find("..");
  std::optional<uint64_t> from = 0, to = UINT64_MAX;
  if (dots != std::string::npos) {
    const std::string a = window.substr(0, dots), b = window.substr(dots + 2);
    if (!a.empty()) from = number(a);
    if (!b.empty()) to = number(b);
  }
  if (dots == std::string::npos || !from || !to || window == "..")
    throw Error(ExitCode::usage, {}, fmt::format("--cycles {}: expected FROM..TO (cycles; FROM.. or ..TO for an open end)", window));
  if (*from > *to) throw Error(ExitCode::usage, {}, fmt::format("--cycles {}: FROM is after TO", window));
  f.from = *from;
  f.to = *to;
}

// --- the narrator ---------------------------------------------------------

Narrator::Narrator(std::FILE* out, std::FILE* uart_out, std::function<uint64_t()> now,
                   std::function<uint64_t()> untold, uint64_t lookahead)
    : out_(out), uart_out_(uart_out), now_(std::move(now)), untold_(std::move(untold)), lookahead_(lookahead) {
  cookie_io_functions_t io{};
  io.write = &Narrator::write_uart;
  uart_file_ = ::fopencookie(this, "w", io);
  if (!uart_file_) throw Error(ExitCode::internal, {}, "cannot open the narrative's console stream");
  std::setvbuf(uart_file_, nullptr, _IONBF, 0);
}

Narrator::~Narrator() {
  if (uart_file_) std::fclose(uart_file_);
}

ssize_t Narrator::write_uart(void* cookie, const char* buf, size_t size) {
  auto* self = static_cast<Narrator*>(cookie);
  for (size_t i = 0; i < size; ++i) {
    self->partial_ += buf[i];
    if (buf[i] == '\n') {
      // The line shows when it is complete, as it would on a terminal.
      self->hold(self->now_(), true, std::move(self->partial_));
      self->partial_.clear();
    }
  }
  return static_cast<ssize_t>(size);
}

void Narrator::add(uint64_t cycle, std::string text) {
  if (text.empty() || text.back() != '\n') text += '\n';
  hold(cycle, false, std::move(text));
}

void Narrator::hold(uint64_t cycle, bool uart, std::string text) {
  if (cycle < printed_) ++late_;  // goes out at once, after a later one
  held_.push(Line{cycle, seq_++, uart, std::move(text)});
  release();
}

void Narrator::release() {
  // Safe below the earliest cycle anything may still be told of; and a line
  // held past the horizon, or beyond the count, goes anyway.
  const uint64_t now = now_();
  const uint64_t seen = now > lookahead_ ? now - lookahead_ : 0;
  const uint64_t floor = now > kNarrateHorizon ? now - kNarrateHorizon : 0;
  uint64_t safe = std::max(std::min(seen, untold_()), floor);
  while (!held_.empty() && (held_.top().cycle < safe || held_.size() > kNarrateMaxHeld)) {
    print(held_.top());
    held_.pop();
  }
}

void Narrator::print(const Line& l) {
  std::fwrite(l.text.data(), 1, l.text.size(), l.uart ? uart_out_ : out_);
  printed_ = std::max(printed_, l.cycle);
}

void Narrator::finish() {
  while (!held_.empty()) {
    print(held_.top());
    held_.pop();
  }
  if (!partial_.empty()) {
    std::fwrite(partial_.data(), 1, partial_.size(), uart_out_);
    partial_.clear();
  }
  std::fflush(out_);
  std::fflush(uart_out_);
}

}  // namespace spinlab

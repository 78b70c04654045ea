#include "sim/out/terminal.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <fmt/color.h>
#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/monitor/monitor.h"

namespace spinlab {

namespace {

using fmt::emphasis;
using fmt::terminal_color;

// The palette: the terminal's own 8 colours, so the user's theme decides
// the shades.
const fmt::text_style kHart = fmt::fg(terminal_color::cyan) | emphasis::bold;
const fmt::text_style kIrq = fmt::fg(terminal_color::magenta);
const fmt::text_style kAcquire = fmt::fg(terminal_color::green);
const fmt::text_style kRelease = fmt::fg(terminal_color::blue);
const fmt::text_style kSpin = fmt::fg(terminal_color::yellow);
const fmt::text_style kLock = fmt::text_style(emphasis::bold);
const fmt::text_style kDeadlock = fmt::fg(terminal_color::red) | emphasis::bold;
const fmt::text_style kWarning = fmt::fg(terminal_color::yellow) | emphasis::bold;

// A part of a text to paint.
struct Span {
  size_t pos;
  size_t len;
  fmt::text_style style;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Adds the occurrences of `word` in text[from, to) that stand as a word
// (hart1 is not hart10's start): the first one, or all of them.
void mark(std::vector<Span>& spans, std::string_view text, std::string_view word, fmt::text_style style, bool all,
          size_t from = 0, size_t to = std::string_view::npos) {
  if (word.empty()) return;
  to = std::min(to, text.size());
  for (size_t at = text.find(word, from); at != std::string_view::npos && at + word.size() <= to;
       at = text.find(word, at + 1)) {
    bool starts = at == 0 || !word_char(text[at - 1]) || !word_char(word.front());
    bool ends = at + word.size() == text.size() || !word_char(text[at + word.size()]) || !word_char(word.back());
    if (!starts || !ends) continue;
    spans.push_back({at, word.size(), style});
    if (!all) return;
  }
}

// The text with its spans painted; a span overlapping an earlier one is
// dropped, so painting never nests.
std::string apply(const std::string& text, std::vector<Span> spans) {
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.pos < b.pos; });
  std::string out;
  size_t at = 0;
  for (const Span& s : spans) {
    if (s.pos < at) continue;
    out.append(text, at, s.pos - at);
    out += fmt::format(s.style, "{}", std::string_view(text).substr(s.pos, s.len));
    at = s.pos + s.len;
  }
  out.append(text, at, std::string::npos);
  return out;
}

const char* verb(EventKind k) {
  switch (k) {
    case EventKind::acquire: return "acquire";
    case EventKind::release: return "release";
    case EventKind::spin: return "spin";
    case EventKind::interrupt: return "enter the handler";
    case EventKind::exception: return "exception";
    case EventKind::mret: return "mret";
    case EventKind::wfi: return "wfi";
    case EventKind::thread_switch: return "switch";
    case EventKind::bottom_half: return "enter the bottom half";
  }
  return "";
}

fmt::text_style verb_style(EventKind k) {
  switch (k) {
    case EventKind::acquire: return kAcquire;
    case EventKind::release: return kRelease;
    case EventKind::spin: return kSpin;
    case EventKind::wfi: return kRelease;
    default: return kIrq;
  }
}

// "41.2 M" (cycles per second), "950".
std::string rate(double per_second) {
  if (per_second >= 1e9) return fmt::format("{:.2f} G", per_second / 1e9);
  if (per_second >= 1e6) return fmt::format("{:.1f} M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f} k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

}  // namespace

ColorMode parse_color_mode(const std::string& when) {
  if (when == "auto") return ColorMode::automatic;
  if (when == "always") return ColorMode::always;
  if (when == "never") return ColorMode::never;
  throw Error(ExitCode::usage, {}, fmt::format("--color: expected auto, always or never, got `{}`", when));
}

bool use_color(ColorMode mode, std::FILE* out) {
  if (mode != ColorMode::automatic) return mode == ColorMode::always;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(::fileno(out)) == 1;
}

bool want_progress(bool quiet) { return !quiet && ::isatty(STDOUT_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1; }

std::string paint_event(const std::string& line, const Event& e, const Monitor& m) {
  std::vector<Span> spans;
  mark(spans, line, fmt::format("hart{}", e.hart), kHart, false);
  if (e.context != Context::process) mark(spans, line, to_string(e.context), kIrq, false);
  // The verb and the lock come after the context column.
  size_t what = line.find(verb(e.kind));
  mark(spans, line, verb(e.kind), verb_style(e.kind), false);
  if (e.kind == EventKind::acquire && e.interrupts_enabled) mark(spans, line, "irqs on", kWarning, false);
  if (e.kind == EventKind::acquire || e.kind == EventKind::release || e.kind == EventKind::spin)
    mark(spans, line, m.lock_name(e.lock), kLock, false, what == std::string::npos ? 0 : what);
  return apply(line, std::move(spans));
}

std::string paint_finding(const std::string& text, const Finding& f) {
  std::vector<Span> spans;
  size_t first_line = text.find('\n');
  mark(spans, text, "DEADLOCK", kDeadlock, true);
  mark(spans, text, "RACE", kDeadlock, false, 0, first_line);
  mark(spans, text, "WARNING", kWarning, false, 0, first_line);
  mark(spans, text, "interrupts ENABLED", kWarning, true);
  mark(spans, text, f.lock.name, kLock, false, 0, first_line);
  std::vector<unsigned> harts = {f.hart};
  for (const Hold& h : f.holds) harts.push_back(h.hart);
  for (const Wait& w : f.waits) harts.push_back(w.hart);
  std::sort(harts.begin(), harts.end());
  harts.erase(std::unique(harts.begin(), harts.end()), harts.end());
  for (unsigned h : harts) mark(spans, text, fmt::format("hart{}", h), kHart, true);
  return apply(text, std::move(spans));
}

std::string paint_heading(const std::string& text, bool color) {
  return color ? fmt::format(fmt::text_style(emphasis::bold), "{}", text) : text;
}

// --- the progress line ------------------------------------------------------

ProgressLine::ProgressLine(std::FILE* tty, uint64_t max_cycles)
    : tty_(tty), max_cycles_(max_cycles), start_(Clock::now()), next_draw_(start_ + std::chrono::milliseconds(500)) {}

ProgressLine::~ProgressLine() { clear(); }

std::string ProgressLine::text(uint64_t cycle, double seconds, uint64_t max_cycles) {
  double percent = max_cycles ? 100.0 * static_cast<double>(cycle) / static_cast<double>(max_cycles) : 0.0;
  double per_second = seconds > 0 ? static_cast<double>(cycle) / seconds : 0.0;
  return fmt::format("spinlab: {} cycles, {} cycles/s, {:.1f}% of run.max_cycles", cycle, rate(per_second), percent);
}

void ProgressLine::tick(uint64_t cycle) {
  Clock::time_point now = Clock::now();
  if (now < next_draw_ || line_open_) return;
  next_draw_ = now + std::chrono::milliseconds(200);
  std::string line = text(cycle, std::chrono::duration<double>(now - start_).count(), max_cycles_);
  // Padding over what was there: no escape codes, so any terminal shows it.
  size_t width = line.size();
  if (line.size() < drawn_) line.append(drawn_ - line.size(), ' ');
  std::fputc('\r', tty_);
  std::fputs(line.c_str(), tty_);
  std::fflush(tty_);
  drawn_ = width;
}

void ProgressLine::clear() {
  if (!drawn_) return;
  std::fprintf(tty_, "\r%*s\r", static_cast<int>(drawn_), "");
  std::fflush(tty_);
  drawn_ = 0;
}

// --- the console -----------------------------------------------------------

ConsoleTap::ConsoleTap(std::FILE* out, ProgressLine* progress, size_t keep_lines, bool keep_text)
    : out_(out), progress_(progress), keep_(keep_lines), keep_text_(keep_text) {
  cookie_io_functions_t io{};
  io.write = &ConsoleTap::write;
  file_ = ::fopencookie(this, "w", io);
  if (!file_) throw Error(ExitCode::internal, {}, "cannot open the console stream");
  std::setvbuf(file_, nullptr, _IONBF, 0);
}

ConsoleTap::~ConsoleTap() {
  if (file_) std::fclose(file_);
}

ssize_t ConsoleTap::write(void* cookie, const char* buf, size_t size) {
  auto* self = static_cast<ConsoleTap*>(cookie);
  if (self->progress_) self->progress_->clear();
  size_t n = std::fwrite(buf, 1, size, self->out_);
  if (self->progress_) {
    std::fflush(self->out_);
    if (size) self->progress_->set_line_open(buf[size - 1] != '\n');
  }
  if (self->keep_text_) self->text_.append(buf, size);
  if (self->keep_) {
    for (size_t i = 0; i < size; ++i) {
      if (buf[i] != '\n') {
        self->partial_ += buf[i];
        continue;
      }
      self->lines_.push_back(std::move(self->partial_));
      self->partial_.clear();
      if (self->lines_.size() > self->keep_) self->lines_.pop_front();
    }
  }
  return static_cast<ssize_t>(n);
}

std::deque<std::string> ConsoleTap::lines() const {
  std::deque<std::string> out = lines_;
  if (!partial_.empty()) out.push_back(partial_);
  return out;
}

}  // namespace spinlab

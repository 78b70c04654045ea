// What spinlab adds when a person watches the terminal (docs/terminal.md):
// colour for the narrative and the monitor's findings, a progress line on
// long runs, and a console that keeps what the firmware printed. None of it
// changes a byte of the output when stdout is not a terminal.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>

namespace spinlab {

struct Event;
struct Finding;
class Monitor;

enum class ColorMode { automatic, always, never };

// "auto", "always" or "never" (--color=WHEN); throws spinlab::Error (usage)
// otherwise.
ColorMode parse_color_mode(const std::string& when);

// Whether to colour what goes to `out`: always; never; or, for auto, when
// `out` is a terminal and NO_COLOR is unset or empty (no-color.org).
bool use_color(ColorMode mode, std::FILE* out);

// A progress line belongs on the terminal only: stdout and stderr are both
// terminals (it is drawn on stderr) and the run is not --quiet.
bool want_progress(bool quiet);

// The narrative's line for `e` (Monitor::describe) in colour: the hart, an
// interrupt context, the verb (acquire, release, spin, ...), the lock, and
// "irqs on" where a lock is taken with interrupts enabled.
std::string paint_event(const std::string& line, const Event& e, const Monitor& m);
// A finding's report (format_finding) in colour: DEADLOCK and RACE in
// red, WARNING in yellow, the harts, the lock and "interrupts ENABLED".
std::string paint_finding(const std::string& text, const Finding& f);
// The summary's and --explain's headings: bold.
std::string paint_heading(const std::string& text, bool color);

// "simulated cycle N, R cycles/s, P% of run.max_cycles" on stderr, redrawn
// in place ('\r') a few times a second, from the first 0.5 s of wall clock
// on (a short run never shows it). clear() erases it; anything printed on
// the terminal must call clear() first (ConsoleTap does), and the next
// tick() draws it again.
class ProgressLine {
 public:
  ProgressLine(std::FILE* tty, uint64_t max_cycles);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // From the machine (Machine::set_progress): cheap unless it is time to draw.
  void tick(uint64_t cycle);
  void clear();
  // Output left a line unfinished: drawing now would overwrite it.
  void set_line_open(bool open) { line_open_ = open; }
  // The text for `cycle` after `seconds` of wall clock (for tests).
  static std::string text(uint64_t cycle, double seconds, uint64_t max_cycles);

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* tty_;
  uint64_t max_cycles_;
  Clock::time_point start_;
  Clock::time_point next_draw_;
  size_t drawn_ = 0;  // characters on the line now (0: nothing shown)
  bool line_open_ = false;
};

// A FILE* that writes through to `out` and keeps the last `keep_lines`
// lines written (what the firmware printed, for --explain) and, with
// `keep_text`, every byte (the report's "uart"). With a progress
// line, it clears the line before each write and flushes `out` after it, and
// the line is not drawn again while a line of output is unfinished.
// Unbuffered itself, so bytes reach `out` in the order they were written.
class ConsoleTap {
 public:
  ConsoleTap(std::FILE* out, ProgressLine* progress, size_t keep_lines, bool keep_text = false);
  ~ConsoleTap();
  ConsoleTap(const ConsoleTap&) = delete;
  ConsoleTap& operator=(const ConsoleTap&) = delete;

  std::FILE* file() const { return file_; }
  // The last lines written, oldest first; an unfinished last line included.
  std::deque<std::string> lines() const;
  // Everything written, byte for byte (keep_text; else empty).
  const std::string& text() const { return text_; }

 private:
  static ssize_t write(void* cookie, const char* buf, size_t size);
  std::FILE* out_;
  std::FILE* file_ = nullptr;
  ProgressLine* progress_;
  size_t keep_;
  bool keep_text_;
  std::string text_;
  std::deque<std::string> lines_;
  std::string partial_;
};

}  // namespace spinlab

// The narrative's order and filters (docs/terminal.md, "The narrative"):
// what `--narrate` and the instruction trace print, with the firmware's
// output and the monitor's findings, comes out in cycle order, each firmware
// output line whole, and only for the locks, harts and cycles asked for.
//
// The monitor tells some events late, dated when they happened: a word's
// first acquire only once it knows the word is a lock, a switch to a new
// thread only once the thread touches its stack. So the Narrator holds
// every line until no earlier one can still come: until the cycle the
// monitor may still tell of (Monitor::earliest_untold) and the machine's
// own lookahead have passed it. A line older than kNarrateHorizon cycles is
// printed anyway, so that memory stays bounded on a long run.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <queue>
#include <string>
#include <vector>

namespace spinlab {

class ElfImage;
struct Event;

// A line held this many cycles is printed, even if an earlier one might
// still come (it is then printed late, and counted: Narrator::late()).
constexpr uint64_t kNarrateHorizon = uint64_t{1} << 20;
// And at most this many lines are held.
constexpr size_t kNarrateMaxHeld = size_t{1} << 16;

// What the narrative and the instruction trace show: --narrate=LOCK,...,
// --harts LIST, --cycles FROM..TO. Empty: everything.
struct NarrateFilter {
  std::vector<uint32_t> locks;  // lock addresses (from the names given)
  std::vector<std::string> lock_names;  // as given, for the warning of a lock never seen
  std::vector<bool> harts;      // per hart: shown (empty: every hart)
  uint64_t from = 0;
  uint64_t to = UINT64_MAX;     // inclusive

  bool hart(unsigned h) const { return harts.empty() || (h < harts.size() && harts[h]); }
  bool cycle(uint64_t c) const { return c >= from && c <= to; }
  // The event passes: its hart, its cycle, and for a lock filter a lock event of one of those locks.
  bool event(const Event& e) const;
};

// The option values; each throws spinlab::Error (usage, exit code 64) with
// one line naming the option. `names`: the --narrate list, looked up in the
// ELF the way the narrative names locks ("tickslock", "locks+0x8",
// "0x80001000"); `list`: "0,2" for a machine of `harts` harts; `window`:
// "FROM..TO", "FROM.." or "..TO".
void parse_narrate_locks(const std::string& names, const ElfImage& elf, NarrateFilter& f);
void parse_narrate_harts(const std::string& list, unsigned harts, NarrateFilter& f);
void parse_narrate_cycles(const std::string& window, NarrateFilter& f);

class Narrator {
 public:
  // Narrative lines go to `out`, the firmware's output to `uart_out` (both
  // the console, perhaps through a tap). `now` is the machine's cycle,
  // `untold` the earliest cycle the monitor may still tell of (UINT64_MAX:
  // none), `lookahead` how far past `now` the machine may date what it reports.
  Narrator(std::FILE* out, std::FILE* uart_out, std::function<uint64_t()> now, std::function<uint64_t()> untold,
           uint64_t lookahead);
  ~Narrator();
  Narrator(const Narrator&) = delete;
  Narrator& operator=(const Narrator&) = delete;

  // Where the UART (and HTIF's console) writes: its lines are held whole,
  // each dated by the cycle its newline was written.
  std::FILE* uart_file() const { return uart_file_; }
  // A line (without '\n') or a block (a finding's, ending in '\n') of the narrative at `cycle`.
  void add(uint64_t cycle, std::string text);
  // Prints everything held (the run is over); an unfinished firmware line as it is.
  void finish();
  // Lines that came after a later one was printed (learnt more than
  // kNarrateHorizon cycles late, or more than kNarrateMaxHeld lines back).
  uint64_t late() const { return late_; }

 private:
  struct Line {
    uint64_t cycle;
    uint64_t seq;  // arrival: ties within a cycle keep the order the run told them
    bool uart;
    std::string text;
    bool operator>(const Line& o) const { return cycle != o.cycle ? cycle > o.cycle : seq > o.seq; }
  };
  static ssize_t write_uart(void* cookie, const char* buf, size_t size);
  void hold(uint64_t cycle, bool uart, std::string text);
  void release();
  void print(const Line& l);

  std::FILE* out_;
  std::FILE* uart_out_;
  std::FILE* uart_file_ = nullptr;
  std::function<uint64_t()> now_;
  std::function<uint64_t()> untold_;
  uint64_t lookahead_;
  std::priority_queue<Line, std::vector<Line>, std::greater<Line>> held_;
  std::string partial_;  // the firmware's line being written
  uint64_t seq_ = 0;
  uint64_t printed_ = 0;  // the cycle of the last line printed
  uint64_t late_ = 0;
};

}  // namespace spinlab

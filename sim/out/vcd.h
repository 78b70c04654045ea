// The VCD trace (--vcd, trace.vcd): a Value Change Dump (IEEE 1364-2005
// section 18) of what the machine reports to a hook that wants the
// waveform (models/hooks.h), for GTKWave. Signals and encodings:
// docs/tracing.md.
//
// Our own writer, not SystemC's sc_trace, which samples every traced signal
// through the kernel and manages ~0.6 M cycles/s (DESIGN.md section 6). This
// one keeps the last value written per signal, appends only changes to one
// large buffer (no allocation or library formatting per value) and writes it
// in big blocks. One time unit is one machine cycle.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/hooks.h"

namespace spinlab {

struct VcdOptions {
  std::string path;             // the file to write
  unsigned harts = 1;
  uint64_t clock_hz = 100'000'000;
  unsigned plic_sources = 31;   // plic.line1 .. plic.line<plic_sources>
  std::vector<std::string> words;  // names of the traced words, in MachineSpec::watch order
  // A locks.NAME signal per traced word: who holds it as a lock (lock_holder()).
  bool lock_holders = false;
  // A hartN.thread signal per hart: the monitor's thread running there, as
  // its id + 1 (0 until the monitor tells one; thread()); and a hartN.switch
  // signal: where the last thread switched out there was (switch_where());
  // and a hartN.irq_depth signal: the interrupt handlers it is inside (irq_depth()).
  bool threads = false;
  // mtime at a cycle (the CLINT's mtime_at); no clint.mtime signal when empty.
  std::function<uint64_t(uint64_t)> mtime_at;
  // How far past the current cycle the machine may date a value (models/hooks.h):
  // the largest instruction cost plus the largest bus latency bounds it. A cycle
  // is written once the machine has reported a value this much later.
  uint64_t lookahead_cycles = 1024;
  // A source that tells late, dated in the past: the lock monitor, through
  // lock_holder(), thread(), switch_where() and irq_depth(). It may date a
  // value up to late_cycles before the latest cycle reported and still have
  // it written at its cycle (0: no such source). An older one is written at
  // the earliest open cycle (lock_values_moved(), late_values()).
  uint64_t late_cycles = 0;
  // The earliest cycle that source may still date a value at (~0: none; its
  // Monitor::earliest_untold). Asked every kUntoldEvery cycles, at a call
  // from the machine; the cycles before both it and the machine's lookahead
  // are written without waiting late_cycles. Empty: every cycle waits
  // late_cycles, which holds ~16 MB of values at 16 busy harts.
  std::function<uint64_t()> untold;
  // trace.window: only cycles window_from..window_to go into the file. The
  // values at window_from are its $dumpvars (the state the cycles before
  // led to), and the file ends at window_to or at the run's end.
  uint64_t window_from = 0;
  uint64_t window_to = ~uint64_t{0};
};

// "FROM..TO" (cycles, FROM <= TO): trace.window and --vcd-window. Returns
// nullopt for anything else.
struct CycleWindow {
  uint64_t from = 0;
  uint64_t to = 0;
};
std::optional<CycleWindow> parse_cycle_window(std::string_view text);
// --vcd-window's value, checked: throws a spinlab::Error naming the option.
std::string vcd_window_option(const std::string& text);

// The $timescale for one period of clock_hz ("10 ns" at 100 MHz). VCD allows 1,
// 10 or 100 of fs..s: when the period is none of those, `text` is the closest
// (by ratio) and `exact` is false.
struct VcdTimescale {
  std::string text;
  bool exact = true;
};
VcdTimescale vcd_timescale(uint64_t clock_hz);

// The VCD signal name for a traced word as the config gives it: an address
// "0x80001000" becomes "w_80001000"; a symbol keeps its name, with characters
// other than letters, digits and '_' turned into '_'.
std::string vcd_word_name(std::string_view word);
// The signal names of all the traced words, in order: vcd_word_name of each,
// with `_2`, `_3` ... added to a name already taken.
std::vector<std::string> vcd_word_names(const std::vector<std::string>& words);

// An interrupt a hart took, as the trace saw it (the save file's markers).
struct VcdInterrupt {
  uint64_t cycle = 0;
  unsigned hart = 0;
  uint32_t context = 0;  // the handler's: HartTrace::context
};

class VcdTracer final : public models::Hooks {
 public:
  // Creates the file and writes the header; throws spinlab::Error when the file
  // cannot be created.
  explicit VcdTracer(VcdOptions options);
  // Finishes at the latest cycle reported if finish() was not called.
  ~VcdTracer() override;
  VcdTracer(const VcdTracer&) = delete;
  VcdTracer& operator=(const VcdTracer&) = delete;

  // models::Hooks: the waveform.
  unsigned wants() const override { return kWaveform; }
  // The window's first cycle: the machine runs untraced until then and
  // reports the state there (models/hooks.h).
  uint64_t waveform_from() const override { return options_.window_from; }
  void hart(uint64_t cycle, unsigned h, const models::HartTrace& state) override;
  void stall(uint64_t cycle, unsigned h, models::Stall why) override;
  void bus(uint64_t cycle, int owner, uint32_t addr, models::BusKind kind) override;
  void irq_line(uint64_t cycle, unsigned line, bool level) override;
  void word(uint64_t cycle, unsigned index, uint32_t value) override;
  // Traced word `index` is, as a lock, held from `cycle` on by `holder`:
  // kLockFree, hart h as h + 1, or kLockMany for two or more harts at once.
  // A value dated before a cycle already written is written at the earliest
  // open one (and counted in lock_values_moved()). Ignored without lock_holders.
  void lock_holder(uint64_t cycle, unsigned index, unsigned holder);
  // Hart h runs, from `cycle` on, the monitor's thread `value` (id + 1).
  // Ignored without threads.
  void thread(uint64_t cycle, unsigned h, unsigned value);
  // A thread switched out on hart h at `cycle`, where `value` tells: the
  // monitor's SwitchWhere code + 1 (0 before any switch). Ignored without threads.
  void switch_where(uint64_t cycle, unsigned h, unsigned value);
  // Hart h is inside `value` interrupt handlers from `cycle` on, as the
  // monitor counts them (a bottom half in its handler's; 2+: nested).
  // Ignored without threads.
  void irq_depth(uint64_t cycle, unsigned h, unsigned value);
  static constexpr unsigned kLockFree = 0;
  static constexpr unsigned kLockMany = 255;
  // Writes every pending value, a final "#cycle", and closes the file. Later
  // calls (and a second finish) are ignored.
  void finish(uint64_t cycle) override;

  const std::string& path() const { return options_.path; }
  uint64_t window_from() const { return options_.window_from; }
  uint64_t window_to() const { return options_.window_to; }
  uint64_t bytes_written() const { return bytes_written_; }
  // Values that arrived dated before a cycle already written (each was written
  // at the earliest open cycle instead). Zero unless lookahead_cycles is too small.
  uint64_t late_values() const { return late_values_; }
  // Empty while every write succeeded; otherwise why one failed.
  const std::string& write_error() const { return write_error_; }
  // Lock holder values that came too late for their cycle (see lock_holder()).
  uint64_t lock_values_moved() const { return lock_values_moved_; }
  // The first kMaxInterrupts interrupts taken from the window's first cycle
  // on, in the order reported.
  const std::vector<VcdInterrupt>& interrupts() const { return interrupts_; }
  static constexpr size_t kMaxInterrupts = 256;

 private:
  // The machine's kinds, then the late source's (lock on).
  enum class Kind : uint8_t { hart, stall, bus, line, word, lock, thread, where, depth };
  static bool from_machine(Kind k) { return k < Kind::lock; }
  // One call, kept until its cycle is complete. seq keeps calls for the same
  // cycle in the order they came: the last one wins.
  struct Event {
    uint64_t cycle;
    uint64_t seq;
    uint64_t retired;  // hart
    uint32_t index;    // hart, line or word
    uint32_t a, b, c, d;  // hart: pc insn mip mie; bus: owner addr; stall, line, word, lock: a
    uint32_t context;     // hart
    Kind kind;
    uint8_t mstatus_mie, in_irq, small;  // small: the hart's stall, or the bus kind
    uint8_t priv;                        // hart
  };
  // The order values are written in: by cycle, then as they came.
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.cycle != b.cycle ? a.cycle > b.cycle : a.seq > b.seq;
    }
  };
  struct Signal {
    uint64_t value = 0;    // as of the cycle being assembled
    uint64_t written = 0;  // the last value in the file
    uint64_t mask = 1;     // width ones
    uint8_t width = 1;
    bool dirty = false;    // in dirty_
    uint8_t id_len = 0;
    char id[8] = {};       // up to 5 used
  };

  // Signal indices.
  static constexpr unsigned kHartSignals = 9;  // pc insn mstatus_mie mip mie in_irq stall retired context
  unsigned hart_signal(unsigned h, unsigned k) const { return h * kHartSignals + k; }
  unsigned bus_signal_ = 0;  // owner, busy, addr, kind
  unsigned mtime_signal_ = 0;
  unsigned line_signal_ = 0;  // plic.line1
  unsigned word_signal_ = 0;
  unsigned lock_signal_ = 0;
  // hartN.priv, one per hart, declared in the hart's scope but numbered after
  // every other signal: the identifiers of the others stay what they were
  // before it came (a trace of M-mode code differs only by it).
  unsigned priv_signal_ = 0;
  unsigned thread_signal_ = 0;
  unsigned where_signal_ = 0;  // hartN.switch, after the threads
  unsigned depth_signal_ = 0;  // hartN.irq_depth, after the switches

  unsigned add_signal(unsigned width);
  void write_header();
  void push(Event& e);
  // The cycles push() may write: every one before this is complete.
  uint64_t complete_before() const;
  // latest_ - n, or 0.
  uint64_t before_latest(uint64_t n) const { return latest_ > n ? latest_ - n : 0; }
  // An event of one value (a line, a word, a lock holder).
  void push_value(uint64_t cycle, Kind kind, uint32_t index, uint32_t value);
  void ring_push(const Event& e);
  const Event& ring_front() const { return ring_[ring_head_]; }
  const Event& ring_back() const { return ring_[(ring_head_ + ring_size_ - 1) & (ring_.size() - 1)]; }
  // The first cycle at or after `from` with values in the calendar (kNone:
  // none). Every value there is dated before from + its size.
  uint64_t next_in_calendar(uint64_t from) const;
  // Forgets every value not written.
  void clear_pending();
  // Writes every cycle before `limit` (all of them when limit is ~0).
  void drain(uint64_t limit);
  template <bool kBefore>
  void apply(const Event& e);
  // A value taken from the queue, in time order.
  void apply_in_order(const Event& e) {
    if (e.cycle < options_.window_from) apply<true>(e);
    else apply<false>(e);
  }
  template <bool kBefore>
  void set(unsigned signal, uint64_t value, const Event& e);
  // Writes the changes assembled for `cycle`, if there are any.
  void end_step(uint64_t cycle);
  // The values as of `cycle`, the file's first time.
  void write_dumpvars(uint64_t cycle);
  void write_value(const Signal& s, uint64_t value);
  static char* format_value(char* out, const Signal& s, uint64_t value);
  // The most a value takes: "b", 64 digits, " ", the identifier and "\n",
  // and the 8-byte copies' overrun.
  static constexpr size_t kValueChars = 2 + 64 + 8 + sizeof Signal::id + 1;
  void write_time(uint64_t cycle);
  void reserve(size_t n) {
    if (pos_ + n > kBufferBytes) flush_buffer();
  }
  void put(const char* s, size_t n);
  void put(std::string_view s) { put(s.data(), s.size()); }
  void flush_buffer();

  static constexpr size_t kBufferBytes = size_t{1} << 20;

  VcdOptions options_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  size_t pos_ = 0;
  std::vector<Signal> signals_;
  // The signals touched in the cycle being assembled, dirty_count_ of them.
  std::unique_ptr<uint32_t[]> dirty_;
  size_t dirty_count_ = 0;
  // Before the window (trace.window): the event each signal's value came
  // from, and the latest cycle a step was reported for.
  struct Stamp {
    uint64_t cycle = 0, seq = 0;
    bool keeps(const Event& e) const { return e.cycle != cycle ? e.cycle > cycle : e.seq >= seq; }
  };
  std::vector<Stamp> set_at_;
  uint64_t stepped_ = 0;
  // Values waiting for their cycle to be complete. Most arrive in time order
  // and queue in a ring. One dated before the ring's last goes to a
  // calendar: a bucket per cycle from open_from_ on, for as many cycles as
  // values may be dated ahead (lookahead_cycles), each in the order its
  // values came. One dated past the calendar (a lookahead beyond
  // kMaxBuckets) goes to a min-heap on (cycle, seq). drain() merges the
  // three. With many harts most values come out of order (a hart's wait for
  // the bus is dated ahead of the next hart's step), and with the monitor's
  // 16 K-cycle lookahead the heap that held them all cost O(log n) a value:
  // at 64 harts, two thirds of a traced run.
  static constexpr size_t kMaxBuckets = size_t{1} << 16;
  static constexpr uint64_t kNone = ~uint64_t{0};
  std::vector<Event> ring_;  // capacity a power of two
  size_t ring_head_ = 0;
  size_t ring_size_ = 0;
  // A bucket is a list of nodes in one pool, reused through a free list: the
  // pool grows to the most values ever waiting at once, not to the sum of
  // each bucket's most (vectors per bucket crept up for ever: soak.vcd).
  static constexpr uint32_t kNil = ~uint32_t{0};
  struct Node {
    Event event;
    uint32_t next;
  };
  struct Bucket {
    uint32_t head = kNil, tail = kNil;
  };
  std::vector<Bucket> calendar_;    // size a power of two
  std::vector<uint64_t> occupied_;  // a bit per bucket: not empty
  // The pool, in chunks that stay where they are as it grows: a vector's
  // growth copied it whole, about a million nodes at 64 harts.
  static constexpr unsigned kChunkBits = 14;
  Node& node(uint32_t n) { return chunks_[n >> kChunkBits][n & ((1u << kChunkBits) - 1)]; }
  std::vector<std::unique_ptr<Node[]>> chunks_;
  uint32_t pool_size_ = 0;  // nodes in use or free
  uint32_t free_ = kNil;    // the free nodes of the pool, linked by next
  size_t in_calendar_ = 0;  // values in the calendar
  std::vector<Event> heap_;
  uint64_t seq_ = 0;
  uint64_t latest_ = 0;          // the latest cycle any call named
  // No late value is dated before untold_from_ (options_.untold, as of the
  // last time it was asked); it is asked again once latest_ reaches next_untold_.
  static constexpr uint64_t kUntoldEvery = 256;
  uint64_t untold_from_ = 0;
  uint64_t next_untold_ = 0;
  uint64_t open_from_ = 0;       // cycles before this one are written
  uint64_t last_time_ = 0;       // the last "#cycle" in the file
  // write_time's text of last_time_, "#cycle\n", time_len_ characters (0: none).
  std::array<char, 24> time_text_{};
  uint8_t time_len_ = 0;
  bool dumped_ = false;          // $dumpvars written
  bool finished_ = false;
  uint64_t bytes_written_ = 0;
  uint64_t late_values_ = 0;
  uint64_t lock_values_moved_ = 0;
  std::vector<uint8_t> irq_depth_;  // per hart, as last reported: an interrupt taken raises it
  std::vector<VcdInterrupt> interrupts_;
  std::string write_error_;
};

}  // namespace spinlab

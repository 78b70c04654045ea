#include "sim/out/vcd.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "sim/load/error.h"

namespace spinlab {

namespace {

constexpr uint64_t kAll = ~uint64_t{0};
constexpr unsigned kOwnerBits = 7;    // harts 0..126, and the idle sentinel
constexpr uint64_t kIdleOwner = 0x7f;  // bus.owner while nobody holds the bus

// Each hart's signals, in the order of VcdTracer::hart_signal's k.
struct HartSignal {
  const char* name;
  unsigned width;
};
constexpr HartSignal kHartSignalList[] = {
    {"pc", 32}, {"insn", 32}, {"mstatus_mie", 1}, {"mip", 32},
    {"mie", 32}, {"in_irq", 1}, {"stall", 2}, {"retired", 64}, {"context", 32},
};
enum : unsigned { kPc, kInsn, kMstatusMie, kMip, kMie, kInIrq, kStall, kRetired, kContext };
// hartN.priv: the privilege mode as the spec encodes it (privileged 1.2,
// table 1.1), 0 user ... 3 machine.
constexpr unsigned kPrivBits = 2;
constexpr uint64_t kMachine = 3;
constexpr unsigned kThreadBits = 16;  // hartN.thread: the monitor's thread id + 1
constexpr unsigned kWhereBits = 3;    // hartN.switch: the monitor's SwitchWhere + 1
constexpr unsigned kDepthBits = 8 * sizeof(models::IrqDepth);  // hartN.irq_depth: the nesting depth
constexpr unsigned kMaxDepthShown = models::kMaxIrqDepth;      // deeper shows as this
constexpr unsigned kHolderBits = 8;  // locks.NAME: harts 0..63 as 1..64, and VcdTracer::kLockMany
enum : unsigned { kBusOwner, kBusBusy, kBusAddr, kBusKind };

// The characters '0'/'1' of each byte value, most significant bit first:
// `bits` all eight; `lead` without the leading zeros, left-aligned, for the
// top byte of a value. Either is copied as one 8-byte move.
struct ByteBits {
  std::array<std::array<char, 8>, 256> bits{};
  std::array<std::array<char, 8>, 256> lead{};
  constexpr ByteBits() {
    for (unsigned b = 0; b < 256; ++b) {
      unsigned n = 0;
      for (unsigned i = 0; i < 8; ++i) {
        bits[b][i] = char('0' + ((b >> (7 - i)) & 1));
        if (b >> (7 - i)) lead[b][n++] = bits[b][i];
      }
    }
  }
};
constexpr ByteBits kByteBits;

// "20 ns", "333.333 ns", "1.5 s": a duration for a human.
std::string human_seconds(double s) {
  static const char* const units[] = {"s", "ms", "us", "ns", "ps", "fs"};
  for (const char* u : units) {
    if (s >= 1.0 || std::strcmp(u, "fs") == 0) return fmt::format("{:.6g} {}", s, u);
    s *= 1000.0;
  }
  return "?";
}

}  // namespace

VcdTimescale vcd_timescale(uint64_t clock_hz) {
  static const char* const units[] = {"fs", "ps", "ns", "us", "ms", "s"};
  if (clock_hz == 0) clock_hz = 1;
  // The period is 10^e seconds; the closest power of ten by ratio is the
  // rounded exponent. VCD can say 10^-15 s (1 fs) up to 10^2 s (100 s).
  int e = static_cast<int>(std::lround(-std::log10(static_cast<long double>(clock_hz))));
  e = std::clamp(e, -15, 2);
  // Exact only for a power-of-ten clock: a period of 10^e s with e <= 0.
  uint64_t p = 1;
  for (int i = 0; i < -e; ++i) p *= 10;
  VcdTimescale ts;
  ts.exact = e <= 0 && p == clock_hz;
  int unit = (e + 15) / 3;
  static const char* const multiples[] = {"1", "10", "100"};
  ts.text = fmt::format("{} {}", multiples[(e + 15) % 3], units[unit]);
  return ts;
}

std::string vcd_word_name(std::string_view word) {
  std::string out;
  std::string_view rest = word;
  bool address = word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X');
  if (address) rest.remove_prefix(2);
  for (char c : rest) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) || c == '_' ? (address ? char(std::tolower(u)) : c) : '_';
  }
  if (address || out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "w_" + out;
  return out;
}

std::optional<CycleWindow> parse_cycle_window(std::string_view text) {
  const size_t dots = text.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view t, uint64_t& v) {
    if (t.empty() || !std::isdigit(static_cast<unsigned char>(t[0]))) return false;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && end == t.data() + t.size();
  };
  CycleWindow w;
  if (!number(text.substr(0, dots), w.from) || !number(text.substr(dots + 2), w.to) || w.from > w.to) return std::nullopt;
  return w;
}

std::string vcd_window_option(const std::string& text) {
  if (!parse_cycle_window(text))
    throw Error(ExitCode::usage, {},
                fmt::format("--vcd-window: \"{}\" is not cycles FROM..TO with FROM <= TO (e.g. 9000..11000)", text));
  return text;
}

std::vector<std::string> vcd_word_names(const std::vector<std::string>& words) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (const std::string& w : words) {
    std::string name = vcd_word_name(w);
    for (unsigned n = 2; !used.insert(name).second; ++n) name = fmt::format("{}_{}", vcd_word_name(w), n);
    names.push_back(name);
  }
  return names;
}

VcdTracer::VcdTracer(VcdOptions options) : options_(std::move(options)), buffer_(new char[kBufferBytes]) {
  static_assert(std::size(kHartSignalList) == kHartSignals);
  file_ = std::fopen(options_.path.c_str(), "wb");
  if (!file_)
    throw Error(ExitCode::no_input, {options_.path},
                fmt::format("cannot write the VCD trace: {}", std::strerror(errno)));
  for (unsigned h = 0; h < options_.harts; ++h)
    for (const HartSignal& s : kHartSignalList) add_signal(s.width);
  bus_signal_ = add_signal(kOwnerBits);
  add_signal(1);   // busy
  add_signal(32);  // addr
  add_signal(2);   // kind
  mtime_signal_ = add_signal(64);
  line_signal_ = static_cast<unsigned>(signals_.size());
  for (unsigned l = 1; l <= options_.plic_sources; ++l) add_signal(1);
  word_signal_ = static_cast<unsigned>(signals_.size());
  for (size_t w = 0; w < options_.words.size(); ++w) add_signal(32);
  lock_signal_ = static_cast<unsigned>(signals_.size());
  if (options_.lock_holders)
    for (size_t w = 0; w < options_.words.size(); ++w) add_signal(kHolderBits);
  priv_signal_ = static_cast<unsigned>(signals_.size());
  for (unsigned h = 0; h < options_.harts; ++h) signals_[add_signal(kPrivBits)].value = kMachine;  // harts reset in M
  thread_signal_ = static_cast<unsigned>(signals_.size());
  if (options_.threads)
    for (unsigned h = 0; h < options_.harts; ++h) add_signal(kThreadBits);
  where_signal_ = static_cast<unsigned>(signals_.size());
  if (options_.threads)
    for (unsigned h = 0; h < options_.harts; ++h) add_signal(kWhereBits);
  depth_signal_ = static_cast<unsigned>(signals_.size());
  if (options_.threads)
    for (unsigned h = 0; h < options_.harts; ++h) add_signal(kDepthBits);
  irq_depth_.assign(options_.harts, 0);
  signals_[bus_signal_ + kBusOwner].value = kIdleOwner;
  if (options_.mtime_at) signals_[mtime_signal_].value = options_.mtime_at(0);
  dirty_.reset(new uint32_t[signals_.size()]);  // a signal is in it at most once
  if (options_.window_from > 0) set_at_.assign(signals_.size(), Stamp{});
  // Room for a few values per hart over a typical lookahead; it grows (rarely) beyond.
  size_t room = size_t{4} * options_.harts * std::min<uint64_t>(options_.lookahead_cycles + 1, 256) + 64;
  size_t ring = 64;
  while (ring < room) ring *= 2;
  ring_.resize(ring);
  // A bucket for every cycle a value may be dated ahead, and the one being
  // assembled.
  const uint64_t held = std::max(options_.lookahead_cycles, options_.late_cycles);
  size_t buckets = 64;
  while (buckets < std::min<uint64_t>(held + 2, kMaxBuckets)) buckets *= 2;
  calendar_.resize(buckets);
  occupied_.assign(buckets / 64, 0);
  write_header();
}

VcdTracer::~VcdTracer() {
  if (!finished_) finish(latest_);
}

unsigned VcdTracer::add_signal(unsigned width) {
  Signal s;
  s.width = static_cast<uint8_t>(width);
  s.mask = width >= 64 ? kAll : (uint64_t{1} << width) - 1;
  // Identifiers are printable ASCII '!'..'~', shortest first.
  for (size_t i = signals_.size(); s.id_len == 0 || i > 0; i /= 94) s.id[s.id_len++] = char('!' + i % 94);
  signals_.push_back(s);
  return static_cast<unsigned>(signals_.size() - 1);
}

void VcdTracer::write_header() {
  VcdTimescale ts = vcd_timescale(options_.clock_hz);
  std::string h;
  h += "$comment\n  spinlab machine trace: one time unit is one cycle of the ";
  h += fmt::format("{} Hz machine clock ({}).\n", options_.clock_hz,
                   human_seconds(1.0 / static_cast<double>(std::max<uint64_t>(options_.clock_hz, 1))));
  if (!ts.exact)
    h += fmt::format("  VCD cannot express that period: the timescale says {}, the closest it can.\n"
                     "  Times are still cycles; multiply by the period above for real time.\n",
                     ts.text);
  h += "  Signals and their encodings: docs/tracing.md\n$end\n";
  h += "$version spinlab $end\n";
  h += fmt::format("$timescale {} $end\n", ts.text);

  auto var = [&](unsigned signal, const std::string& name) {
    const Signal& s = signals_[signal];
    std::string id(s.id, s.id_len);
    if (s.width == 1)
      h += fmt::format("$var wire 1 {} {} $end\n", id, name);
    else
      h += fmt::format("$var wire {} {} {} [{}:0] $end\n", s.width, id, name, s.width - 1);
  };
  for (unsigned hart = 0; hart < options_.harts; ++hart) {
    h += fmt::format("$scope module hart{} $end\n", hart);
    for (unsigned k = 0; k < kHartSignals; ++k) var(hart_signal(hart, k), kHartSignalList[k].name);
    var(priv_signal_ + hart, "priv");
    if (options_.threads) {
      var(thread_signal_ + hart, "thread");
      var(where_signal_ + hart, "switch");
      var(depth_signal_ + hart, "irq_depth");
    }
    h += "$upscope $end\n";
  }
  h += "$scope module bus $end\n";
  var(bus_signal_ + kBusOwner, "owner");
  var(bus_signal_ + kBusBusy, "busy");
  var(bus_signal_ + kBusAddr, "addr");
  var(bus_signal_ + kBusKind, "kind");
  h += "$upscope $end\n";
  if (options_.mtime_at) {
    h += "$scope module clint $end\n";
    var(mtime_signal_, "mtime");
    h += "$upscope $end\n";
  }
  if (options_.plic_sources > 0) {
    h += "$scope module plic $end\n";
    for (unsigned l = 1; l <= options_.plic_sources; ++l) var(line_signal_ + l - 1, fmt::format("line{}", l));
    h += "$upscope $end\n";
  }
  const std::vector<std::string> names = vcd_word_names(options_.words);
  if (!names.empty()) {
    h += "$scope module words $end\n";
    for (size_t w = 0; w < names.size(); ++w) var(word_signal_ + static_cast<unsigned>(w), names[w]);
    h += "$upscope $end\n";
  }
  if (options_.lock_holders && !names.empty()) {
    h += "$scope module locks $end\n";
    for (size_t w = 0; w < names.size(); ++w) var(lock_signal_ + static_cast<unsigned>(w), names[w]);
    h += "$upscope $end\n";
  }
  h += "$enddefinitions $end\n";
  put(h);
}

// --- what the machine reports ------------------------------------------

void VcdTracer::hart(uint64_t cycle, unsigned h, const models::HartTrace& state) {
  if (h >= options_.harts) return;
  Event e{};
  e.cycle = cycle;
  e.kind = Kind::hart;
  e.index = h;
  e.retired = state.retired;
  e.a = state.pc;
  e.b = state.insn;
  e.c = state.mip;
  e.d = state.mie;
  e.mstatus_mie = state.mstatus_mie;
  e.in_irq = state.irq_depth > 0;
  e.small = static_cast<uint8_t>(state.stall);
  e.context = state.context;
  e.priv = state.priv;
  if (state.irq_depth > irq_depth_[h] && interrupts_.size() < kMaxInterrupts && !finished_ &&
      cycle >= options_.window_from)
    interrupts_.push_back({cycle, h, state.context});
  irq_depth_[h] = state.irq_depth;
  push(e);
}

void VcdTracer::stall(uint64_t cycle, unsigned h, models::Stall why) {
  if (h < options_.harts) push_value(cycle, Kind::stall, h, static_cast<uint32_t>(why));
}

void VcdTracer::bus(uint64_t cycle, int owner, uint32_t addr, models::BusKind kind) {
  Event e{};
  e.cycle = cycle;
  e.kind = Kind::bus;
  e.a = static_cast<uint32_t>(owner);
  e.b = addr;
  e.small = static_cast<uint8_t>(kind);
  push(e);
}

void VcdTracer::push_value(uint64_t cycle, Kind kind, uint32_t index, uint32_t value) {
  Event e{};
  e.cycle = cycle;
  e.kind = kind;
  e.index = index;
  e.a = value;
  push(e);
}

void VcdTracer::irq_line(uint64_t cycle, unsigned line, bool level) {
  if (line >= 1 && line <= options_.plic_sources) push_value(cycle, Kind::line, line, level);
}

void VcdTracer::word(uint64_t cycle, unsigned index, uint32_t value) {
  if (index < options_.words.size()) push_value(cycle, Kind::word, index, value);
}

void VcdTracer::thread(uint64_t cycle, unsigned h, unsigned value) {
  if (options_.threads && h < options_.harts) push_value(cycle, Kind::thread, h, value);
}

void VcdTracer::switch_where(uint64_t cycle, unsigned h, unsigned value) {
  if (options_.threads && h < options_.harts) push_value(cycle, Kind::where, h, value);
}

void VcdTracer::irq_depth(uint64_t cycle, unsigned h, unsigned value) {
  if (options_.threads && h < options_.harts) push_value(cycle, Kind::depth, h, std::min(value, kMaxDepthShown));
}

void VcdTracer::lock_holder(uint64_t cycle, unsigned index, unsigned holder) {
  if (options_.lock_holders && index < options_.words.size()) push_value(cycle, Kind::lock, index, holder);
}

// --- putting events in time order --------------------------------------

// Calls come in nondecreasing order of the machine's current cycle, but a
// value may be dated up to lookahead_cycles past it (models/hooks.h). So once
// a call names cycle `latest_`, the machine's current cycle is at least
// latest_ - lookahead and nothing earlier can still come from the machine.
// A late source (late_cycles) may still date a value at untold_from_: the
// cycles before both are complete and are written, and none older than
// late_cycles waits for it.
uint64_t VcdTracer::complete_before() const {
  const uint64_t machine = before_latest(options_.lookahead_cycles);
  if (options_.late_cycles == 0) return machine;
  return std::max(before_latest(options_.late_cycles), std::min(machine, untold_from_));
}

void VcdTracer::push(Event& e) {
  if (finished_ || e.cycle > options_.window_to) return;  // after the window: not written
  // Before the window's first cycle is written, a value's date only orders
  // it among its signal's: one the cycles written have passed (the machine
  // reports the state at the window's start with each value's own date)
  // keeps its date, and is kept at once below.
  const bool before_window = e.cycle < options_.window_from && !dumped_;
  if (e.cycle < open_from_ && !before_window) {
    // The monitor may learn late that a word is a lock and tell of the hold
    // that made it one only then: that is no bug, unlike any other late value.
    ++(e.kind == Kind::lock ? lock_values_moved_ : late_values_);
    e.cycle = open_from_;
  }
  e.seq = seq_++;
  // The cycles this one completes are written first: they are all before
  // it, and the calendar then holds its cycle.
  if (e.cycle > latest_) {
    latest_ = e.cycle;
    // The late source is asked only at a call from the machine: while it
    // tells (a lock value, say) it may be between two values it tells late.
    // What it has not told by then is dated no earlier than it says; what it
    // learns of later, no earlier than the machine's current cycle.
    if (from_machine(e.kind) && latest_ >= next_untold_ && options_.untold) {
      next_untold_ = latest_ + kUntoldEvery;
      untold_from_ = std::min(options_.untold(), before_latest(options_.lookahead_cycles));
    }
    if (const uint64_t limit = complete_before(); limit > 0) drain(limit);
  }
  // Before the window only the values at its first cycle matter, the latest
  // of each signal's (set<true>). A value dated no later than a step already
  // reported (a step is reported in its own cycle) is one the run reached,
  // and is kept at once instead of waiting for its cycle; one dated ahead
  // waits as usual, for a run that ends before its cycle drops it.
  if (e.kind == Kind::hart) stepped_ = std::max(stepped_, e.cycle);
  if (before_window && (e.cycle <= stepped_ || e.cycle < open_from_)) {
    apply<true>(e);
    return;
  }
  if (ring_size_ == 0 || e.cycle >= ring_back().cycle) {
    ring_push(e);
  } else if (e.cycle - open_from_ < calendar_.size()) {
    uint32_t n = free_;
    if (n != kNil) {
      free_ = node(n).next;
    } else {
      n = pool_size_++;
      if ((n >> kChunkBits) == chunks_.size()) chunks_.emplace_back(new Node[size_t{1} << kChunkBits]);
    }
    node(n) = Node{e, kNil};
    const size_t b = e.cycle & (calendar_.size() - 1);
    Bucket& bucket = calendar_[b];
    if (bucket.tail == kNil) bucket.head = n;
    else node(bucket.tail).next = n;
    bucket.tail = n;
    occupied_[b / 64] |= uint64_t{1} << (b % 64);
    ++in_calendar_;
  } else {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
}

void VcdTracer::ring_push(const Event& e) {
  if (ring_size_ == ring_.size()) {  // full: double it, oldest first
    std::vector<Event> bigger(ring_.size() * 2);
    for (size_t i = 0; i < ring_size_; ++i) bigger[i] = ring_[(ring_head_ + i) & (ring_.size() - 1)];
    ring_.swap(bigger);
    ring_head_ = 0;
  }
  ring_[(ring_head_ + ring_size_) & (ring_.size() - 1)] = e;
  ++ring_size_;
}

uint64_t VcdTracer::next_in_calendar(uint64_t from) const {
  if (in_calendar_ == 0) return kNone;
  const size_t mask = calendar_.size() - 1, start = from & mask, words = occupied_.size();
  // The bucket of `from` and those after it, then round to the one before.
  size_t w = start / 64;
  uint64_t bits = occupied_[w] & (~uint64_t{0} << (start % 64));
  for (size_t n = 0; n <= words; ++n) {
    if (bits) {
      const size_t b = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      return from + ((b - start) & mask);
    }
    w = (w + 1) % words;
    bits = occupied_[w];
  }
  return kNone;
}

void VcdTracer::drain(uint64_t limit) {
  if (in_calendar_ == 0 && heap_.empty()) {  // the common case: every value waits in the ring
    while (ring_size_ && ring_front().cycle < limit) {
      const uint64_t cycle = ring_front().cycle;
      if (!dumped_ && cycle > options_.window_from) write_dumpvars(options_.window_from);
      do {
        apply_in_order(ring_front());
        ring_head_ = (ring_head_ + 1) & (ring_.size() - 1);
        --ring_size_;
      } while (ring_size_ && ring_front().cycle == cycle);
      end_step(cycle);
    }
    open_from_ = std::max(open_from_, limit);
    return;
  }
  uint64_t from = open_from_;
  for (;;) {
    const uint64_t in_calendar = next_in_calendar(from);
    const uint64_t cycle =
        std::min({ring_size_ ? ring_front().cycle : kNone, in_calendar, heap_.empty() ? kNone : heap_.front().cycle});
    if (cycle >= limit) break;
    // $dumpvars holds the values at the window's first cycle (0 without
    // trace.window): those before it when nothing was reported for it.
    if (!dumped_ && cycle > options_.window_from) write_dumpvars(options_.window_from);
    // The cycle's values in the order they came (by seq): the ring's, the
    // bucket's and the heap's of that cycle, merged.
    Bucket* bucket = nullptr;
    uint32_t at = kNil;  // the bucket's next node
    if (in_calendar == cycle) {
      bucket = &calendar_[cycle & (calendar_.size() - 1)];
      at = bucket->head;
    }
    for (;;) {
      const Event* next = nullptr;
      int source = 0;  // 1 ring, 2 bucket, 3 heap
      if (ring_size_ && ring_front().cycle == cycle) next = &ring_front(), source = 1;
      if (at != kNil && (!next || node(at).event.seq < next->seq)) next = &node(at).event, source = 2;
      if (!heap_.empty() && heap_.front().cycle == cycle && (!next || heap_.front().seq < next->seq))
        next = &heap_.front(), source = 3;
      if (!next) break;
      apply_in_order(*next);
      if (source == 1) {
        ring_head_ = (ring_head_ + 1) & (ring_.size() - 1);
        --ring_size_;
      } else if (source == 2) {
        at = node(at).next;
        --in_calendar_;
      } else {
        std::pop_heap(heap_.begin(), heap_.end(), Later{});
        heap_.pop_back();
      }
    }
    if (bucket) {  // its nodes go back to the free list
      node(bucket->tail).next = free_;
      free_ = bucket->head;
      *bucket = Bucket{};
      const size_t b = cycle & (calendar_.size() - 1);
      occupied_[b / 64] &= ~(uint64_t{1} << (b % 64));
    }
    end_step(cycle);
    from = cycle + 1;
  }
  open_from_ = std::max(open_from_, limit);
}

void VcdTracer::clear_pending() {
  std::fill(calendar_.begin(), calendar_.end(), Bucket{});
  std::fill(occupied_.begin(), occupied_.end(), 0);
  pool_size_ = 0;
  free_ = kNil;
  in_calendar_ = 0;
  heap_.clear();
  ring_size_ = 0;
}

// A signal not in dirty_ holds its written value, so setting the value it
// already has needs no further look. Before the window (kBefore) a value is
// only kept, and only when it comes after the one the signal has by (cycle,
// seq): the order does not depend on when it is applied.
template <bool kBefore>
inline void VcdTracer::set(unsigned signal, uint64_t value, const Event& e) {
  Signal& s = signals_[signal];
  value &= s.mask;
  if constexpr (kBefore) {
    if (!set_at_[signal].keeps(e)) return;
    set_at_[signal] = {e.cycle, e.seq};
    s.value = value;
    return;
  }
  if (value == s.value) return;
  s.value = value;
  if (!s.dirty) {
    s.dirty = true;
    dirty_[dirty_count_++] = signal;
  }
}

template <bool kBefore>
void VcdTracer::apply(const Event& e) {
  switch (e.kind) {
    case Kind::hart: {
      // set() for each of the hart's signals, with the signals and the dirty
      // list held in locals: stores to a value could alias the members, and
      // a busy hart comes here every cycle. Every value fits its signal.
      // Before the window one stamp, pc's, serves all of them but the
      // stall, which a stall event sets too: only a hart event sets the others.
      const unsigned first = hart_signal(e.index, 0);
      Signal* const sig = &signals_[first];
      uint32_t* const dirty = dirty_.get();
      if constexpr (kBefore) {
        Stamp& group = set_at_[first + kPc];
        if (!group.keeps(e)) break;
        group = {e.cycle, e.seq};
      }
      size_t n = dirty_count_;
      auto change = [&](unsigned k, uint64_t value) {
        Signal& s = sig[k];
        if constexpr (kBefore) {
          if (k == kStall) set<true>(first + k, value, e);
          else s.value = value;
          return;
        }
        if (value == s.value) return;
        s.value = value;
        if (!s.dirty) {
          s.dirty = true;
          dirty[n++] = first + k;
        }
      };
      change(kPc, e.a);
      change(kInsn, e.b);
      change(kMstatusMie, e.mstatus_mie);
      change(kMip, e.c);
      change(kMie, e.d);
      change(kInIrq, e.in_irq);
      change(kStall, e.small);
      change(kRetired, e.retired);
      change(kContext, e.context);
      dirty_count_ = n;
      if constexpr (kBefore) signals_[priv_signal_ + e.index].value = e.priv;
      else set<false>(priv_signal_ + e.index, e.priv, e);
      break;
    }
    case Kind::stall: set<kBefore>(hart_signal(e.index, kStall), e.a, e); break;
    case Kind::bus: {
      bool busy = static_cast<models::BusKind>(e.small) != models::BusKind::idle;
      set<kBefore>(bus_signal_ + kBusOwner, busy ? e.a : kIdleOwner, e);
      set<kBefore>(bus_signal_ + kBusBusy, busy, e);
      if (busy) set<kBefore>(bus_signal_ + kBusAddr, e.b, e);  // idle: the last address stays
      set<kBefore>(bus_signal_ + kBusKind, e.small, e);
      break;
    }
    case Kind::line: set<kBefore>(line_signal_ + e.index - 1, e.a, e); break;
    case Kind::word: set<kBefore>(word_signal_ + e.index, e.a, e); break;
    case Kind::lock: set<kBefore>(lock_signal_ + e.index, e.a, e); break;
    case Kind::thread: set<kBefore>(thread_signal_ + e.index, e.a, e); break;
    case Kind::where: set<kBefore>(where_signal_ + e.index, e.a, e); break;
    case Kind::depth: set<kBefore>(depth_signal_ + e.index, e.a, e); break;
  }
}

// --- writing -------------------------------------------------------------

void VcdTracer::end_step(uint64_t cycle) {
  if (!dumped_) {
    if (cycle >= options_.window_from) {  // the window's first cycle
      write_dumpvars(cycle);
      return;
    }
    // Before the window: the values stand, to be written as its first state.
    for (size_t i = 0; i < dirty_count_; ++i) signals_[dirty_[i]].dirty = false;
    dirty_count_ = 0;
    return;
  }
  // Nothing is written for a cycle whose values all came back to what the
  // file has; otherwise its time, then each changed value.
  size_t i = 0;
  for (; i < dirty_count_; ++i) {
    Signal& s = signals_[dirty_[i]];
    s.dirty = false;
    if (s.value != s.written) break;
  }
  if (i < dirty_count_) {
    write_time(cycle);
    char* out = buffer_.get() + pos_;
    for (; i < dirty_count_; ++i) {
      Signal& s = signals_[dirty_[i]];
      s.dirty = false;
      if (s.value == s.written) continue;
      if (out + kValueChars > buffer_.get() + kBufferBytes) {
        pos_ = static_cast<size_t>(out - buffer_.get());
        flush_buffer();
        out = buffer_.get();
      }
      out = format_value(out, s, s.value);
      s.written = s.value;
    }
    pos_ = static_cast<size_t>(out - buffer_.get());
  }
  dirty_count_ = 0;
}

void VcdTracer::write_dumpvars(uint64_t cycle) {
  put(fmt::format("#{}\n$dumpvars\n", cycle));
  last_time_ = cycle;
  time_len_ = 0;  // write_time converts the next time afresh
  if (options_.mtime_at) signals_[mtime_signal_].value = options_.mtime_at(cycle);
  for (Signal& s : signals_) {
    write_value(s, s.value);
    s.written = s.value;
    s.dirty = false;
  }
  dirty_count_ = 0;
  put("$end\n");
  dumped_ = true;
}

// "#cycle", and mtime when it moved: mtime is exact wherever anything else
// changes, and not written on ticks where nothing else does (that would
// defeat the machine's skipping of idle cycles).
void VcdTracer::write_time(uint64_t cycle) {
  // A busy machine writes every cycle: the next time is the last one's text
  // plus one, which is cheaper than converting the number again.
  bool next = time_len_ > 0 && cycle == last_time_ + 1;
  if (next) {
    size_t i = time_len_ - 2;  // the last digit
    while (time_text_[i] == '9') time_text_[i--] = '0';
    if (i > 0) ++time_text_[i];
    else next = false;  // one more digit: "#999\n" -> "#1000\n"
  }
  if (!next) {
    char* out = time_text_.data();
    *out++ = '#';
    out = std::to_chars(out, out + 20, cycle).ptr;
    *out++ = '\n';
    time_len_ = static_cast<uint8_t>(out - time_text_.data());
  }
  reserve(time_text_.size());
  std::memcpy(buffer_.get() + pos_, time_text_.data(), time_text_.size());  // one fixed-size move
  pos_ += time_len_;
  last_time_ = cycle;
  if (options_.mtime_at) {
    Signal& m = signals_[mtime_signal_];
    uint64_t mtime = options_.mtime_at(cycle);
    if (mtime != m.written) {
      write_value(m, mtime);
      m.value = m.written = mtime;
    }
  }
}

void VcdTracer::write_value(const Signal& s, uint64_t value) {
  reserve(kValueChars);
  pos_ = static_cast<size_t>(format_value(buffer_.get() + pos_, s, value) - buffer_.get());
}

// "1!" for one bit; "b101 !" for a vector (VCD extends it with zeros on the
// left), at `out`, which has kValueChars of room. Returns the end.
inline char* VcdTracer::format_value(char* out, const Signal& s, uint64_t value) {
  if (s.width == 1) {
    *out++ = char('0' + (value & 1));
  } else {
    *out++ = 'b';
    if (value == 0) {
      *out++ = '0';
    } else {
      int bits = 64 - __builtin_clzll(value);
      int byte = (bits - 1) / 8;
      // The top byte's significant bits; the copy's tail is overwritten next.
      std::memcpy(out, kByteBits.lead[(value >> (byte * 8)) & 0xff].data(), 8);
      out += bits - byte * 8;
      while (byte-- > 0) {
        std::memcpy(out, kByteBits.bits[(value >> (byte * 8)) & 0xff].data(), 8);
        out += 8;
      }
    }
    *out++ = ' ';
  }
  std::memcpy(out, s.id, sizeof s.id);  // one move; the tail is overwritten next
  out += s.id_len;
  *out++ = '\n';
  return out;
}

void VcdTracer::put(const char* s, size_t n) {
  while (n > 0) {
    reserve(std::min(n, kBufferBytes));
    size_t k = std::min(n, kBufferBytes - pos_);
    std::memcpy(buffer_.get() + pos_, s, k);
    pos_ += k;
    s += k;
    n -= k;
  }
}

void VcdTracer::flush_buffer() {
  if (pos_ == 0 || !file_) return;
  if (std::fwrite(buffer_.get(), 1, pos_, file_) != pos_ && write_error_.empty())
    write_error_ = std::strerror(errno);
  bytes_written_ += pos_;
  pos_ = 0;
}

void VcdTracer::finish(uint64_t cycle) {
  if (finished_) return;
  // Values dated after the end (a bus released after the finisher's write)
  // did not happen: the run was over.
  drain(cycle == kAll ? kAll : cycle + 1);
  clear_pending();
  cycle = std::min(cycle, options_.window_to);
  if (!dumped_) write_dumpvars(std::min(options_.window_from, cycle));  // a run that ended before the window
  if (cycle > last_time_) write_time(cycle);
  flush_buffer();
  if (std::fclose(file_) != 0 && write_error_.empty()) write_error_ = std::strerror(errno);
  file_ = nullptr;
  finished_ = true;
}

}  // namespace spinlab

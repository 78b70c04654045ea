// GTKWave, ready to open: with a VCD trace (--vcd FILE.vcd) spinlab also
// writes FILE.gtkw, a GTKWave save file that shows the trace grouped per
// hart, the bus, the locks and the timer, zoomed on the story of the
// monitor's first deadlock (or finding), with markers at the findings and
// the interrupts taken; and the translate filter
// files it uses, which turn values into names (a pc into `acquire+0x14`, a
// context into `timer interrupt`, a lock holder into `held by hart0`).
// docs/tracing.md describes the files and how to open them.
//
// Also here: the lock holder signals (locks.NAME), fed from the monitor's
// acquire and release events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spinlab {

class ElfImage;
class Monitor;
class VcdTracer;
struct Config;
struct Event;
struct Finding;
struct VcdInterrupt;

// The files written for a VCD trace at `vcd_path`, next to it: its name
// without a ".vcd" ending, plus ".gtkw", ".addr.filter", ...
struct GtkwaveFiles {
  std::string gtkw;     // the save file
  std::string addr;     // code and data addresses -> "acquire+0x14" (pc, bus.addr)
  std::string insn;     // hartN.insn -> "amoswap.w.aq a5,a4,(a0)", "bne a5,zero,pc-0x8"
  std::string context;  // hartN.context -> "process", "timer interrupt", "external interrupt 3"
  std::string mip;      // hartN.mip -> "MTIP MEIP"
  std::string mie;      // hartN.mie -> "MTIE MEIE"
  std::string stall;    // hartN.stall -> "bus", "wfi"
  std::string bus;      // bus.owner -> "hart1", "idle"; bus.kind -> "amo"
  std::string lock;     // locks.NAME -> "free", "held by hart0"
  std::string priv;     // hartN.priv -> "user", "machine"
  std::string thread;   // hartN.thread -> "main/0", "worker/1"
  std::string where;    // hartN.switch -> "irq return (point 2)"

  // The filter files (all but the save file), for a check that no other
  // output is one of them.
  std::vector<std::string> filters() const;
};
GtkwaveFiles gtkwave_files(const std::string& vcd_path);

struct GtkwaveMarker {
  uint64_t cycle = 0;
  std::string name;  // "irq-deadlock hart0", "hart0 timer interrupt"; "" shows the marker's letter
  bool finding = false;  // a finding's (an interrupt's otherwise): its label goes first
};

// The cycles a finding's story spans: from the first thing that led to it
// (the hold of the lock, the failed test before it, the interrupt, the
// first wait, the dependency taken first) to the finding.
struct CycleSpan {
  uint64_t from = 0;
  uint64_t to = 0;
};
CycleSpan finding_story(const Finding& f);

// What the save file opens on: the first cycle on screen and the zoom,
// as GTKWave reads them ([timestart] and the `*` line).
struct GtkwaveZoom {
  uint64_t start_cycle = 0;
  double cycles_per_pixel = 1;
};

// What the save file shows.
struct GtkwaveView {
  std::string vcd_path;
  unsigned harts = 1;
  uint64_t clock_hz = 100'000'000;
  uint64_t start_cycle = 0;  // the first cycle in the trace (trace.window's FROM)
  uint64_t end_cycle = 0;    // the last cycle in the trace
  // The story to open on (finding_story of the primary finding); without
  // one the view fits [start_cycle, end_cycle].
  std::optional<CycleSpan> story;
  bool mtime = true;       // clint.mtime is in the trace
  std::vector<unsigned> plic_lines;  // PLIC lines to show (the ones devices drive)
  std::vector<std::string> words;    // the traced words' signal names (vcd_word_names)
  std::vector<bool> word_is_lock;    // per word: shown in the locks group
  bool lock_holders = false;         // the trace has locks.NAME signals
  bool threads = false;              // ...and hartN.thread, hartN.switch signals (the monitor's threads)
  std::optional<uint64_t> primary_marker;
  std::vector<GtkwaveMarker> markers;  // named markers A, B, ...: at most kMaxMarkers, by cycle
};

// How far back the VCD writer keeps cycles open, at most, when it traces
// lock holders: the monitor tells of a word's first hold only once it knows
// the word is a lock (at its release, or when another hart spins on it),
// dated when it was taken. The writer keeps open only the cycles the monitor
// may still tell of (Monitor::earliest_untold), up to this many; a first
// hold longer than this shows from later.
constexpr uint64_t kLockHolderLookahead = 1 << 14;

// GTKWave's named markers are A to Z.
constexpr size_t kMaxMarkers = 26;

// The wave area of the save file's 1280x720 window, in pixels, as GTKWave
// 3.3.118 lays it out with the signal tree (SST) folded: measured with
// gtkwave::getWindowEndTime (tests/trace/gtkwave_open.sh checks it).
constexpr int kWaveWidth = 956;
// Pixels per character of a marker's label (GTKWave's small wave font).
constexpr int kLabelCharWidth = 5;

// The view the save file opens on: the story with a margin either side
// (at least kMinStoryCycles wide), or the whole trace without one. GTKWave
// ignores a [timestart] whose page would run past the trace's end, so a
// story that ends at the end (a run stopped at its deadlock) ends there.
constexpr uint64_t kMinStoryCycles = 128;
GtkwaveZoom gtkwave_zoom(const GtkwaveView& view);

// The markers as the opening view draws them: a label that would overlap
// one already placed (findings first, then in time order) shows the
// marker's letter alone, and a marker whose letter would overlap too is
// left out. Markers outside the view keep their names.
std::vector<GtkwaveMarker> gtkwave_place_labels(const std::vector<GtkwaveMarker>& markers, const GtkwaveZoom& zoom);

// "process", "software interrupt", "timer interrupt", "external interrupt 3",
// "interrupt 16" (sim/out/words.h): a HartTrace::context.
std::string context_name(uint32_t context);

// The markers for a run: the primary one at the first deadlock (or, without
// one, the first finding); named ones at every finding and then at the
// interrupts taken, earliest first, up to kMaxMarkers, in cycle order.
std::vector<GtkwaveMarker> gtkwave_markers(const std::vector<Finding>& findings,
                                           const std::vector<VcdInterrupt>& interrupts,
                                           std::optional<uint64_t>* primary);

// The texts of the files. Paths inside the save file are the other files'
// names alone: GTKWave finds them next to the save file (docs/tracing.md).
std::string gtkwave_save_file(const GtkwaveView& view);
std::string gtkwave_addr_filter(const ElfImage& elf);
// Every instruction word of the program, disassembled; a branch or jump's
// target relative to its own address ("pc-0x8"): one encoding serves at any pc.
std::string gtkwave_insn_filter(const ElfImage& elf);
std::string gtkwave_context_filter(unsigned plic_sources);
std::string gtkwave_mip_filter();
std::string gtkwave_mie_filter();
std::string gtkwave_stall_filter();
std::string gtkwave_priv_filter();
std::string gtkwave_bus_filter(unsigned harts);
std::string gtkwave_lock_filter(unsigned harts);

// Writes the save file and the filters for a finished run traced to
// cfg.trace.vcd. `monitor` may be null (run.monitor = "off"). Throws
// spinlab::Error when a file cannot be written.
void write_gtkwave(const Config& cfg, const ElfImage& elf, const VcdTracer& vcd, const Monitor* monitor,
                   uint64_t end_cycle);

// hartN.thread's filter: id + 1 -> "worker/1", for the monitor's thread
// names by id (Monitor::thread_name).
std::string gtkwave_thread_filter(const std::vector<std::string>& names);
// hartN.switch's filter: SwitchWhere + 1 -> "irq return (point 2)".
std::string gtkwave_switch_filter();

// Follows the monitor's acquire and release events into the VCD's
// locks.NAME signals, for the traced words at `words` (RAM addresses, in
// trace.words order), its events' threads into hartN.thread, and where each
// thread switch happened into hartN.switch.
class LockHolderTrace {
 public:
  LockHolderTrace(VcdTracer& vcd, std::vector<uint32_t> words);
  void on_event(const Event& e);

 private:
  VcdTracer& vcd_;
  std::vector<uint32_t> words_;
  std::vector<std::vector<unsigned>> inside_;  // per word: the harts holding it, in the order they took it
  std::vector<int> threads_;                   // per hart: the thread last told (-1: none)
};

}  // namespace spinlab

// GTKWave, ready to open: with a VCD trace (--vcd FILE.vcd) spinlab also
// writes FILE.gtkw, a GTKWave save file that shows the trace grouped per
// hart, the bus, the locks and the timer, zoomed to fit, with markers at the
// monitor's findings and the interrupts taken; and the translate filter
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
  std::string stall;    // hartN.stall -> "bus", "wfi"
  std::string bus;      // bus.owner -> "hart1", "idle"; bus.kind -> "amo"
  std::string lock;     // locks.NAME -> "free", "held by hart0"
  std::string priv;     // hartN.priv -> "user", "machine"
  std::string thread;   // hartN.thread -> "main/0", "worker/1"
  std::string where;    // hartN.switch -> "irq return (point 2)"
};
GtkwaveFiles gtkwave_files(const std::string& vcd_path);

struct GtkwaveMarker {
  uint64_t cycle = 0;
  std::string name;  // "irq-deadlock hart0", "hart0 timer interrupt"
};

// What the save file shows.
struct GtkwaveView {
  std::string vcd_path;
  unsigned harts = 1;
  uint64_t clock_hz = 100'000'000;
  uint64_t end_cycle = 0;  // the last cycle in the trace: the view fits [0, end_cycle]
  bool mtime = true;       // clint.mtime is in the trace
  std::vector<unsigned> plic_lines;  // PLIC lines to show (the ones devices drive)
  std::vector<std::string> words;    // the traced words' signal names (vcd_word_names)
  std::vector<bool> word_is_lock;    // per word: shown in the locks group
  bool lock_holders = false;         // the trace has locks.NAME signals
  bool threads = false;              // ...and hartN.thread, hartN.switch signals (the monitor's threads)
  std::optional<uint64_t> primary_marker;
  std::vector<GtkwaveMarker> markers;  // named markers A, B, ...: at most kMaxMarkers, by cycle
};

// How far back the VCD writer keeps cycles open when it traces lock
// holders: the monitor tells of a word's first hold only once it knows the
// word is a lock (at its release, or when another hart spins on it), dated
// when it was taken. A first hold longer than this shows from later.
constexpr uint64_t kLockHolderLookahead = 1 << 14;

// GTKWave's named markers are A to Z.
constexpr size_t kMaxMarkers = 26;

// "process", "software interrupt", "timer interrupt", "external interrupt 3",
// "interrupt 16" (sim/words.h): a HartTrace::context.
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

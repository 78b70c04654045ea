#include "sim/out/gtkwave.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "isa/decode.h"
#include "isa/hart.h"
#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "sim/load/files.h"
#include "sim/monitor/monitor.h"
#include "sim/load/firmware.h"
#include "sim/out/insn_text.h"
#include "sim/out/vcd.h"
#include "sim/out/words.h"

namespace spinlab {

namespace {

// GTKWave's trace flags (the `@` lines of a save file): its analyzer.h.
constexpr unsigned kHex = 0x2, kDec = 0x4, kBin = 0x8, kRightJustify = 0x20, kBlank = 0x200;
constexpr unsigned kTranslated = 0x2000;  // a translate filter file (`^N FILE`) applies
constexpr unsigned kGroupBegin = 0x800000, kGroupEnd = 0x1000000;
// `[color] N`: the colour of a trace's line.
constexpr int kRed = 1, kOrange = 2, kYellow = 3;

// The window the save file asks for, and the panes in it. The signal tree
// (SST) opens folded and narrow: the waves get the width (kWaveWidth).
constexpr int kWindowWidth = 1280, kWindowHeight = 720;
constexpr int kSstWidth = 1, kSignalsWidth = 260;

std::string stem(const std::string& vcd_path) {
  const std::string ext = ".vcd";
  if (vcd_path.size() > ext.size() && vcd_path.compare(vcd_path.size() - ext.size(), ext.size(), ext) == 0)
    return vcd_path.substr(0, vcd_path.size() - ext.size());
  return vcd_path;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// GTKWave's time for a cycle: VCD times count in units of the $timescale,
// and GTKWave counts in its unit (ns for "10 ns"): cycle * 10.
uint64_t time_of(uint64_t cycle, uint64_t clock_hz) {
  const std::string ts = vcd_timescale(clock_hz).text;  // "1 ns", "10 ns", "100 ps"
  return cycle * static_cast<uint64_t>(std::stoull(ts));
}

// GTKWave shows 2^-zoom time units per 200 pixels (its calczoom()).
double zoom_for(double cycles_per_pixel, uint64_t clock_hz) {
  const double time_per_pixel = std::max(cycles_per_pixel, 1e-3) * static_cast<double>(time_of(1, clock_hz));
  return -std::log2(200.0 * time_per_pixel);
}

void write_file(const std::string& path, const std::string& text) { write_whole_file(path, text, "GTKWave file"); }

// The save file, one trace at a time.
class SaveFile {
 public:
  std::string text;

  void line(const std::string& s) { text += s + "\n"; }
  void group_begin(const std::string& name) { line(fmt::format("@{:x}\n-{}", kGroupBegin | kBlank, name)); }
  void group_end(const std::string& name) { line(fmt::format("@{:x}\n-{}", kGroupEnd | kBlank, name)); }
  // A signal: `flags` its radix; `filter` the translate filter file (its
  // number in the save file and its name); `color` its line's colour.
  void trace(const std::string& signal, unsigned flags, int filter = 0, const std::string& filter_file = {},
             int color = 0) {
    if (filter) flags |= kTranslated;
    line(fmt::format("@{:x}", flags | kRightJustify));
    if (filter) line(fmt::format("^{} {}", filter, filter_file));
    if (color) line(fmt::format("[color] {}", color));
    line(signal);
  }
};

// A vector's name as GTKWave lists it: "hart0.pc[31:0]".
std::string vec(const std::string& name, unsigned width) { return fmt::format("{}[{}:0]", name, width - 1); }

}  // namespace

GtkwaveFiles gtkwave_files(const std::string& vcd_path) {
  const std::string s = stem(vcd_path);
  return {s + ".gtkw",         s + ".addr.filter", s + ".insn.filter", s + ".context.filter",
          s + ".mip.filter",  s + ".mie.filter",  s + ".stall.filter", s + ".bus.filter",
          s + ".lock.filter", s + ".priv.filter", s + ".thread.filter", s + ".switch.filter"};
}

std::vector<std::string> GtkwaveFiles::filters() const {
  return {addr, insn, context, mip, mie, stall, bus, lock, priv, thread, where};
}

std::string context_name(uint32_t context) {
  if (context == 0) return words::kProcess;
  return words::interrupt(context & 0xffff, context >> 16);
}

std::vector<GtkwaveMarker> gtkwave_markers(const std::vector<Finding>& findings,
                                           const std::vector<VcdInterrupt>& interrupts,
                                           std::optional<uint64_t>* primary) {
  *primary = std::nullopt;
  for (const Finding& f : findings)
    if (is_deadlock(f.kind)) {
      *primary = f.cycle;
      break;
    }
  if (!*primary && !findings.empty()) *primary = findings.front().cycle;

  // The findings first: they are what the run is about; then the interrupts
  // while there is room.
  std::vector<GtkwaveMarker> marks;
  std::set<std::pair<uint64_t, std::string>> seen;
  auto add = [&](uint64_t cycle, std::string name) {
    if (marks.size() < kMaxMarkers && seen.emplace(cycle, name).second) marks.push_back({cycle, std::move(name)});
  };
  for (const Finding& f : findings) add(f.cycle, fmt::format("{} hart{}", to_string(f.kind), f.hart));
  const size_t found = marks.size();
  for (const VcdInterrupt& i : interrupts) add(i.cycle, fmt::format("hart{} {}", i.hart, context_name(i.context)));
  for (size_t m = 0; m < found; ++m) marks[m].finding = true;
  std::stable_sort(marks.begin(), marks.end(), [](const GtkwaveMarker& a, const GtkwaveMarker& b) { return a.cycle < b.cycle; });
  return marks;
}

CycleSpan finding_story(const Finding& f) {
  uint64_t from = f.cycle;
  auto earlier = [&](uint64_t c) {
    if (c > 0) from = std::min(from, c);
  };
  for (const Hold& h : f.holds) {
    earlier(h.since);
    earlier(h.tested);
  }
  for (const Wait& w : f.waits) earlier(w.since);
  if (f.has_interrupt) earlier(f.interrupt.cycle);
  for (const Dependency& d : f.chain) {
    earlier(d.from_since);
    earlier(d.cycle);
  }
  return {from, f.cycle};
}

GtkwaveZoom gtkwave_zoom(const GtkwaveView& v) {
  const uint64_t first = v.start_cycle, last = std::max(v.end_cycle, v.start_cycle + 1);
  if (!v.story) return {first, static_cast<double>(last - first) * 1.02 / kWaveWidth};  // a little room on the right
  // A margin either side, an eighth of the story, and room after a short one.
  uint64_t from = std::max(v.story->from, first), to = std::min(std::max(v.story->to, from), last);
  const uint64_t margin = std::max<uint64_t>((to - from) / 8, 16);
  from = from > first + margin ? from - margin : first;
  to = std::max(to + margin, from + kMinStoryCycles);
  // The page must end inside the trace, or GTKWave opens at the start: a
  // story ending near the end ends at the end, with a few pixels to spare
  // for a wave area a little wider than ours (the last of them not shown).
  if (to + (to - from) / 16 >= last) {
    to = last;
    from = to > kMinStoryCycles + first ? std::min(from, to - kMinStoryCycles) : first;
    return {from, static_cast<double>(to - from) / (kWaveWidth + 4)};
  }
  return {from, static_cast<double>(to - from) / kWaveWidth};
}

std::vector<GtkwaveMarker> gtkwave_place_labels(const std::vector<GtkwaveMarker>& markers, const GtkwaveZoom& zoom) {
  // The pixels each label covers, centred on its marker (GTKWave's
  // wavewindow.c), with a gap either side.
  std::vector<std::pair<double, double>> taken;
  auto fits = [&](double x, size_t chars) {
    const double half = static_cast<double>(chars * kLabelCharWidth) / 2 + 3;
    for (const auto& [a, b] : taken)
      if (x - half < b && x + half > a) return false;
    taken.emplace_back(x - half, x + half);
    return true;
  };
  std::vector<size_t> order(markers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return markers[a].finding && !markers[b].finding; });
  std::vector<GtkwaveMarker> out = markers;
  std::vector<bool> keep(markers.size(), true);
  for (size_t i : order) {
    const double x = (static_cast<double>(markers[i].cycle) - static_cast<double>(zoom.start_cycle)) / zoom.cycles_per_pixel;
    if (x < 0 || x >= kWaveWidth) continue;  // not drawn in the opening view
    if (fits(x, markers[i].name.size())) continue;
    out[i].name.clear();  // its letter alone
    keep[i] = fits(x, 1);
  }
  std::vector<GtkwaveMarker> placed;
  for (size_t i = 0; i < out.size(); ++i)
    if (keep[i]) placed.push_back(std::move(out[i]));
  return placed;
}

std::string gtkwave_save_file(const GtkwaveView& v) {
  const GtkwaveFiles files = gtkwave_files(base_name(v.vcd_path));
  SaveFile s;
  s.line(fmt::format("[*] spinlab: GTKWave save file for {} (docs/tracing.md). Open it with", base_name(v.vcd_path)));
  s.line(fmt::format("[*]   gtkwave {}", files.gtkw));
  s.line("[*] from any directory: GTKWave finds the trace and the .filter files next to this file.");
  // GTKWave reads the dump file and the filters relative to [savefile]'s
  // directory, then moves them to where this file really is.
  s.line(fmt::format("[dumpfile] \"{}\"", base_name(v.vcd_path)));
  s.line(fmt::format("[savefile] \"{}\"", files.gtkw));
  const GtkwaveZoom zoom = gtkwave_zoom(v);
  const std::vector<GtkwaveMarker> marks = gtkwave_place_labels(v.markers, zoom);
  s.line(fmt::format("[timestart] {}", time_of(zoom.start_cycle, v.clock_hz)));
  s.line(fmt::format("[size] {} {}", kWindowWidth, kWindowHeight));
  s.line(fmt::format("[sst_width] {}", kSstWidth));
  s.line(fmt::format("[signals_width] {}", kSignalsWidth));
  s.line("[sst_expanded] 0");
  s.line("[sst_vpaned_height] 180");
  // "*zoom primary A B ... Z": times in GTKWave's unit, -1 for none.
  std::string markers = fmt::format("*{:.6f} {}", zoom_for(zoom.cycles_per_pixel, v.clock_hz),
                                    v.primary_marker ? static_cast<int64_t>(time_of(*v.primary_marker, v.clock_hz)) : -1);
  for (size_t i = 0; i < kMaxMarkers; ++i)
    markers += i < marks.size() ? fmt::format(" {}", time_of(marks[i].cycle, v.clock_hz)) : " -1";
  s.line(markers);
  for (size_t i = 0; i < marks.size() && i < kMaxMarkers; ++i)
    if (!marks[i].name.empty()) s.line(fmt::format("[markername] {}{}", char('A' + i), marks[i].name));

  // Filter numbers: any distinct non-zero ones; GTKWave keys them by file.
  enum { kAddr = 1, kContext, kMip, kStall, kBus, kLock, kInsn, kPriv, kThread, kSwitch, kMie };
  // The locks first: what the scenarios are about, and on screen with many harts.
  auto is_lock = [&](size_t w) { return w < v.word_is_lock.size() && v.word_is_lock[w]; };
  bool any_lock = false, any_word = false;
  for (size_t w = 0; w < v.words.size(); ++w) (is_lock(w) ? any_lock : any_word) = true;
  if (any_lock) {
    s.group_begin("locks");
    for (size_t w = 0; w < v.words.size(); ++w) {
      if (!is_lock(w)) continue;
      if (v.lock_holders) s.trace(vec("locks." + v.words[w], 8), kDec, kLock, files.lock, kRed);
      s.trace(vec("words." + v.words[w], 32), kHex);
    }
    s.group_end("locks");
  }
  // The other traced words next: what the lessons point at, on the first screen.
  if (any_word) {
    s.group_begin("words");
    for (size_t w = 0; w < v.words.size(); ++w)
      if (!is_lock(w)) s.trace(vec("words." + v.words[w], 32), kHex);
    s.group_end("words");
  }
  for (unsigned h = 0; h < v.harts; ++h) {
    const std::string hart = fmt::format("hart{}", h);
    s.group_begin(hart);
    s.trace(vec(hart + ".pc", 32), kHex, kAddr, files.addr);
    s.trace(vec(hart + ".insn", 32), kHex, kInsn, files.insn);
    s.trace(vec(hart + ".context", 32), kHex, kContext, files.context, kOrange);
    s.trace(vec(hart + ".priv", 2), kDec, kPriv, files.priv);
    if (v.threads) {
      s.trace(vec(hart + ".thread", 16), kDec, kThread, files.thread, kOrange);
      s.trace(vec(hart + ".switch", 3), kDec, kSwitch, files.where, kOrange);
      s.trace(vec(hart + ".irq_depth", 8), kDec, 0, {}, kOrange);
    }
    // Whether an interrupt can be taken, together: in a handler already,
    // mstatus.MIE, the enabled ones, the pending ones.
    s.trace(hart + ".in_irq", kBin, 0, {}, kOrange);
    s.trace(hart + ".mstatus_mie", kBin, 0, {}, kYellow);
    s.trace(vec(hart + ".mie", 32), kHex, kMie, files.mie);
    s.trace(vec(hart + ".mip", 32), kHex, kMip, files.mip);
    s.trace(vec(hart + ".stall", 2), kDec, kStall, files.stall);
    s.group_end(hart);
  }
  s.group_begin("bus");
  s.trace(vec("bus.owner", 7), kHex, kBus, files.bus);
  s.trace(vec("bus.kind", 2), kHex, kBus, files.bus);
  s.trace(vec("bus.addr", 32), kHex, kAddr, files.addr);
  s.group_end("bus");

  if (v.mtime || !v.plic_lines.empty()) {
    s.group_begin("timer");
    if (v.mtime) s.trace(vec("clint.mtime", 64), kDec);
    for (unsigned l : v.plic_lines) s.trace(fmt::format("plic.line{}", l), kBin);
    s.group_end("timer");
  }
  return s.text;
}

// Every instruction address, and every word of the program's data objects.
std::string gtkwave_addr_filter(const ElfImage& elf) {
  constexpr uint32_t kMaxObjectBytes = 64 * 1024;  // leaves out stacks and heaps: no names worth a line each
  std::set<uint32_t> addrs;
  unsigned length = 0;
  for (const CodeSection& c : elf.code_sections())
    for (size_t off = 0; insn_at(c, off, length), length != 0; off += length)
      addrs.insert(c.addr + static_cast<uint32_t>(off));
  for (const Symbol& s : elf.symbols())
    if (!s.function && s.size > 0 && s.size <= kMaxObjectBytes && !s.name.empty() && s.name[0] != '$')
      for (uint32_t a = s.addr & ~3u; a < s.addr + s.size; a += 4) addrs.insert(a);
  std::string out = fmt::format("# spinlab: addresses of {} by symbol, for hartN.pc and bus.addr (docs/tracing.md)\n",
                                base_name(elf.path()));
  for (uint32_t a : addrs) {
    if (!elf.containing(a)) continue;
    out += fmt::format("{:08X} {}\n", a, elf.describe(a));
  }
  return out;
}

std::string gtkwave_insn_filter(const ElfImage& elf) {
  std::string out = fmt::format("# spinlab: instructions of {}, for hartN.insn (docs/tracing.md)\n00000000 (trap entry)\n",
                                base_name(elf.path()));
  std::set<uint32_t> seen{0};
  unsigned length = 0;
  // hartN.insn holds a compressed instruction's 16-bit parcel, zero-extended.
  for (const CodeSection& c : elf.code_sections())
    for (size_t off = 0; off < c.data.size(); off += length) {
      const uint32_t bits = insn_at(c, off, length);
      if (length == 0) break;
      if (!seen.insert(bits).second) continue;
      // Keyed by its bits alone: a branch or jump's target relative to its pc.
      out += fmt::format("{:08X} {}\n", bits, insn_text(elf, bits, 0, filter_options(elf)));
    }
  return out;
}

// GTKWave shows a 32-bit signal in hex as eight digits: the filters match that.
std::string gtkwave_context_filter(unsigned plic_sources) {
  std::string out = "# spinlab: hartN.context (docs/tracing.md)\n";
  auto add = [&](uint32_t context, const char* color) {
    out += fmt::format("{:08X} {}{}\n", context, color, context_name(context));
  };
  add(0, "");
  add(static_cast<uint32_t>(isa::Interrupt::software), "?DarkCyan?");
  add(static_cast<uint32_t>(isa::Interrupt::timer), "?DarkOrange?");
  add(static_cast<uint32_t>(isa::Interrupt::external), "?DarkMagenta?");
  for (unsigned s = 1; s <= plic_sources; ++s)
    add(uint32_t{s} << 16 | static_cast<uint32_t>(isa::Interrupt::external), "?DarkMagenta?");
  return out;
}

namespace {

// hartN.mip and hartN.mie: every combination of the three machine
// interrupts' bits, by name ("MTIP MEIP"; "MTIE MEIE").
std::string interrupt_bits_filter(const char* signal, const char* what, char suffix) {
  std::string out = fmt::format("# spinlab: hartN.{}, {} (docs/tracing.md)\n", signal, what);
  for (unsigned bits = 0; bits < 8; ++bits) {
    uint32_t value = 0;
    std::string names;
    auto bit = [&](unsigned b, isa::Interrupt i, char kind) {
      if (!(bits & b)) return;
      value |= 1u << static_cast<unsigned>(i);
      names += fmt::format("{}M{}I{}", names.empty() ? "" : " ", kind, suffix);
    };
    bit(1, isa::Interrupt::software, 'S');
    bit(2, isa::Interrupt::timer, 'T');
    bit(4, isa::Interrupt::external, 'E');
    out += fmt::format("{:08X} {}\n", value, names.empty() ? "none" : names);
  }
  return out;
}

}  // namespace

std::string gtkwave_mip_filter() { return interrupt_bits_filter("mip", "the pending interrupts", 'P'); }
std::string gtkwave_mie_filter() { return interrupt_bits_filter("mie", "the interrupts enabled", 'E'); }

std::string gtkwave_stall_filter() {
  return "# spinlab: hartN.stall, why the hart is not issuing (docs/tracing.md)\n"
         "0 issuing\n"
         "1 multicycle\n"
         "2 ?DarkBlue?bus\n"
         "3 ?DimGray?wfi\n";
}

// hartN.priv in decimal: the spec's encoding (privileged 1.2, table 1.1).
// Words, as the context row above it reads ("process", "timer interrupt").
std::string gtkwave_priv_filter() {
  return "# spinlab: hartN.priv, the privilege mode (docs/tracing.md)\n"
         "0 ?DarkGreen?user\n"
         "3 machine\n";
}

// bus.owner shows as two hex digits, bus.kind as one: one file serves both.
std::string gtkwave_bus_filter(unsigned harts) {
  std::string out = "# spinlab: bus.owner (two digits) and bus.kind (one digit) (docs/tracing.md)\n7F idle\n";
  for (unsigned h = 0; h < harts && h < 0x7f; ++h) out += fmt::format("{:02X} hart{}\n", h, h);
  out += "0 idle\n1 read\n2 write\n3 amo\n";
  return out;
}

std::string gtkwave_thread_filter(const std::vector<std::string>& names) {
  std::string out = "# spinlab: hartN.thread, the thread the monitor sees running (docs/tracing.md)\n0 -\n";
  for (size_t id = 0; id < names.size(); ++id) out += fmt::format("{} {}/{}\n", id + 1, names[id], id);
  return out;
}

// SwitchWhere + 1, in the enum's order; the points are Linux's preemption
// points as docs/monitor.md numbers them.
std::string gtkwave_switch_filter() {
  static_assert(static_cast<int>(SwitchWhere::in_trap) == 4, "the filter's codes follow SwitchWhere");
  return "# spinlab: hartN.switch, where the last thread switched out was (docs/tracing.md)\n"
         "0 -\n"
         "1 kernel: preempt_enable or schedule()\n"
         "2 ?DarkBlue?irq return (point 2)\n"
         "3 ?DarkGreen?from user (point 1)\n"
         "4 ?red?IN HANDLER\n"
         "5 ?red?exception\n";
}

std::string gtkwave_lock_filter(unsigned harts) {
  std::string out = "# spinlab: locks.NAME, who holds the lock (docs/tracing.md)\n0 free\n";
  for (unsigned h = 0; h < harts && h + 1 < VcdTracer::kLockMany; ++h)
    out += fmt::format("{} ?DarkRed?held by hart{}\n", h + 1, h);
  out += fmt::format("{} ?red?held by 2+ harts at once\n", VcdTracer::kLockMany);
  return out;
}

void write_gtkwave(const Config& cfg, const ElfImage& elf, const VcdTracer& vcd, const Monitor* monitor,
                   uint64_t end_cycle) {
  GtkwaveView v;
  v.vcd_path = vcd.path();
  v.harts = cfg.machine.harts;
  v.clock_hz = cfg.machine.clock_hz;
  // The cycles in the trace: trace.window's, within the run.
  v.end_cycle = std::min(end_cycle, vcd.window_to());
  v.start_cycle = std::min(vcd.window_from(), v.end_cycle);
  auto inside = [&](uint64_t c) { return c >= v.start_cycle && c <= v.end_cycle; };
  std::vector<VcdInterrupt> interrupts;
  for (const VcdInterrupt& i : vcd.interrupts())
    if (inside(i.cycle)) interrupts.push_back(i);
  std::set<unsigned> lines;
  for (const IrqSourceSpec& s : cfg.machine.irq_sources) lines.insert(s.line);
  for (const NicSpec& n : cfg.machine.nics) lines.insert(n.line);
  v.plic_lines.assign(lines.begin(), lines.end());
  v.words = vcd_word_names(cfg.trace.words);
  v.lock_holders = monitor != nullptr;
  v.threads = monitor != nullptr;
  v.word_is_lock.assign(v.words.size(), false);
  if (monitor) {
    const std::vector<uint32_t> addrs = traced_words(cfg, elf);
    for (const LockStats& l : monitor->lock_stats())
      if (l.acquisitions > 0)
        for (size_t w = 0; w < addrs.size(); ++w)
          if (addrs[w] == l.lock.addr) v.word_is_lock[w] = true;
    std::vector<Finding> findings;
    for (const Finding& f : monitor->findings())
      if (inside(f.cycle)) findings.push_back(f);
    v.markers = gtkwave_markers(findings, interrupts, &v.primary_marker);
    for (const Finding& f : findings)
      if (v.primary_marker && f.cycle == *v.primary_marker && (!v.story || is_deadlock(f.kind))) v.story = finding_story(f);
  } else {
    v.markers = gtkwave_markers({}, interrupts, &v.primary_marker);
  }

  const GtkwaveFiles files = gtkwave_files(vcd.path());
  write_file(files.addr, gtkwave_addr_filter(elf));
  write_file(files.insn, gtkwave_insn_filter(elf));
  write_file(files.context, gtkwave_context_filter(cfg.machine.plic_sources));
  write_file(files.mip, gtkwave_mip_filter());
  write_file(files.mie, gtkwave_mie_filter());
  write_file(files.stall, gtkwave_stall_filter());
  write_file(files.bus, gtkwave_bus_filter(cfg.machine.harts));
  write_file(files.lock, gtkwave_lock_filter(cfg.machine.harts));
  write_file(files.priv, gtkwave_priv_filter());
  if (monitor) {
    std::vector<std::string> names;
    for (int id = 0; monitor->thread_name(id) != "-"; ++id) names.push_back(monitor->thread_name(id));
    write_file(files.thread, gtkwave_thread_filter(names));
    write_file(files.where, gtkwave_switch_filter());
  }
  write_file(files.gtkw, gtkwave_save_file(v));  // last: a save file that exists has its filters
}

LockHolderTrace::LockHolderTrace(VcdTracer& vcd, std::vector<uint32_t> words)
    : vcd_(vcd), words_(std::move(words)), inside_(words_.size()) {}

void LockHolderTrace::on_event(const Event& e) {
  // The thread running: told at the hart's first event that names one, and
  // at every switch (other events may come late, dated before a switch).
  if (e.hart >= threads_.size()) threads_.resize(e.hart + 1, -1);
  const int running = e.kind == EventKind::thread_switch ? e.to_thread : threads_[e.hart] < 0 ? e.thread : -1;
  if (running >= 0 && running != threads_[e.hart]) {
    threads_[e.hart] = running;
    vcd_.thread(e.cycle, e.hart, static_cast<unsigned>(running) + 1);
  }
  if (e.kind == EventKind::thread_switch) vcd_.switch_where(e.cycle, e.hart, static_cast<unsigned>(e.where) + 1);
  if (e.kind == EventKind::interrupt || e.kind == EventKind::mret) vcd_.irq_depth(e.cycle, e.hart, e.irq_depth);
  if (e.kind != EventKind::acquire && e.kind != EventKind::release) return;
  for (size_t w = 0; w < words_.size(); ++w) {
    if (words_[w] != e.lock) continue;
    std::vector<unsigned>& in = inside_[w];
    auto it = std::find(in.begin(), in.end(), e.hart);
    if (e.kind == EventKind::acquire && it == in.end()) in.push_back(e.hart);
    if (e.kind == EventKind::release && it != in.end()) in.erase(it);
    unsigned holder = in.empty() ? VcdTracer::kLockFree : in.size() == 1 ? in.front() + 1 : VcdTracer::kLockMany;
    vcd_.lock_holder(e.cycle, static_cast<unsigned>(w), holder);
  }
}

}  // namespace spinlab

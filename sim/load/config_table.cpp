// The one table of config keys: each key is one row in rows(), with its
// name, what it accepts (the check), unit, help text and the Config field it
// stores into, declared with the builders of sim/load/config_schema.h
// (sim/load/config_loader.cpp says how files and --set use it).
#include "sim/load/config_table.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <sstream>
#include <type_traits>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "sim/cli/suggest.h"
#include "sim/gdb/connection.h"
#include "sim/out/expect.h"
#include "sim/out/vcd.h"

namespace spinlab::config_table {

namespace {

// A cost or latency beyond a million cycles is a typo, not a model.
constexpr int64_t kMaxCostCycles = 1'000'000;
// The interrupt source block has one register window per source.
constexpr size_t kMaxIrqSources = IRQSRC_SIZE / IRQSRC_STRIDE;
// And the NIC block one per NIC.
constexpr size_t kMaxNics = NIC_SIZE / NIC_STRIDE;
// A NIC's gap is drawn with 32 random bits: its range (2 x jitter + 1) must fit.
constexpr int64_t kMaxJitterCycles = (int64_t{1} << 31) - 1;
// More knobs than this is not a lesson any more.
constexpr size_t kMaxScenarioParams = 16;

// trace.words: an ELF symbol (resolved later, with the ELF) or a word's address.
std::optional<std::string> check_traced_word(const std::string& s) {
  if (s.empty()) return "an empty string";
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  if (std::any_of(s.begin(), s.end(), is_space)) return quote(s) + " (a symbol name has no spaces)";
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::string_view hex = std::string_view(s).substr(2);
    auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    if (hex.empty() || !std::all_of(hex.begin(), hex.end(), is_hex)) return quote(s) + " (not a hex number)";
    size_t digits = hex.size() - std::min(hex.find_first_not_of('0'), hex.size());
    if (digits > 8) return quote(s) + " (more than 32 bits)";
    uint32_t addr = static_cast<uint32_t>(std::stoul(std::string(hex), nullptr, 16));
    if (addr % 4 != 0) return quote(s) + " (not 4-aligned)";
    return std::nullopt;
  }
  if (std::isdigit(static_cast<unsigned char>(s[0]))) return quote(s) + " (write an address in hex, with 0x)";
  return std::nullopt;
}

// run.gdb: "[HOST:]PORT", or "" for no GDB.
std::optional<std::string> check_gdb_address(const std::string& s) {
  std::string why;
  if (s.empty() || gdb::parse_gdb_address(s, &why)) return std::nullopt;
  return why;
}

// run.gdb_stop_on: the words --expect takes for findings ("deadlock",
// "race", a finding kind), stored as the kinds they stand for.
std::optional<std::string> check_stop_on(const std::string& s) {
  if (s != "clean" && !outcome_kinds(s).empty()) return std::nullopt;
  std::vector<std::string> known = expect_outcomes();
  known.erase(std::find(known.begin(), known.end(), "clean"));
  return quote(s) + did_you_mean(nearest_names(s, known));
}

// A list of finding kinds: an array of those words, kept as the kinds, in
// declaration order and once each, so the report and --help show one
// spelling whatever was written.
template <typename Field>
Row finding_kinds_row(std::string key, std::string help, Field field) {
  Row row;
  row.key = std::move(key);
  row.kind = Kind::strings;
  row.help = std::move(help);
  row.item_accepts = "\"deadlock\", \"race\" or a finding kind (\"irq-unsafe-lock\", ...)";
  row.check_item = check_stop_on;
  row.store = [field](Config& c, const Value& v) {
    std::vector<FindingKind>& kinds = field(c);
    kinds.clear();
    for (FindingKind k : finding_kinds())
      for (const std::string& word : v.texts) {
        const std::vector<FindingKind> of = outcome_kinds(word);
        if (std::find(of.begin(), of.end(), k) != of.end()) {
          kinds.push_back(k);
          break;
        }
      }
  };
  row.show = [field](const Config& c) {
    std::string out;
    for (FindingKind k : field(c)) out += (out.empty() ? "" : ", ") + quote(to_string(k));
    return "[" + out + "]";
  };
  return row;
}

// trace.window: "FROM..TO", cycles.
std::optional<std::string> check_trace_window(const std::string& s) {
  if (s.empty() || parse_cycle_window(s)) return std::nullopt;
  return quote(s) + " (cycles FROM..TO with FROM <= TO, e.g. \"9000..11000\")";
}

// scenario.lesson: a Markdown file inside the documentation directory, or
// "" for none.
std::optional<std::string> check_lesson(const std::string& s) {
  if (s.empty()) return std::nullopt;
  if (s.size() < 4 || s.compare(s.size() - 3, 3, ".md") != 0) return quote(s) + " (not a .md file)";
  if (s[0] == '/' || s.find("..") != std::string::npos) return quote(s) + " (outside the documentation directory)";
  return std::nullopt;
}

// scenario.summary: one line of `spinlab list`.
std::optional<std::string> check_summary(const std::string& s) {
  auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20; };
  if (std::any_of(s.begin(), s.end(), control)) return quote(s) + " (more than one line)";
  return std::nullopt;
}

// scenario.param[].name: the name of a [firmware.params] word.
std::optional<std::string> check_param_name(const std::string& s) {
  if (s.empty()) return "an empty string";
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (std::isdigit(static_cast<unsigned char>(s[0])) || !std::all_of(s.begin(), s.end(), ident)) return quote(s);
  return std::nullopt;
}

std::optional<std::string> check_help(const std::string& s) {
  if (s.empty()) return "an empty string";
  return check_summary(s);
}

// irq_source names appear in traces and reports: keep them plain.
std::optional<std::string> check_name(const std::string& s) {
  if (s.empty()) return "an empty string";
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  if (!std::all_of(s.begin(), s.end(), plain)) return quote(s);
  return std::nullopt;
}

// The model raises one event when period_cycles is 0, whatever count says.
std::optional<Complaint> check_irq_source(const Config&, const IrqSourceSpec& s) {
  if (s.period_cycles == 0 && s.count != 1)
    return Complaint{"count", fmt::format("{} needs period_cycles > 0 (period_cycles = 0 raises one event only)",
                                          s.count == 0 ? "count = 0 (without end)"
                                                       : fmt::format("count = {}", s.count))};
  return std::nullopt;
}

// A NIC's keys that bound each other, and its line against the interrupt
// sources' (each NIC's own are unique among the NICs by their rows).
std::optional<Complaint> check_scenario_param(const Config&, const ScenarioParam& p) {
  if (p.min > p.max) return Complaint{"max", fmt::format("{} is less than min ({})", p.max, p.min)};
  return std::nullopt;
}

std::optional<Complaint> check_nic(const Config& c, const NicSpec& n) {
  if (n.gap_jitter_cycles >= n.gap_cycles)
    return Complaint{"gap_jitter_cycles", fmt::format("{} must be less than gap_cycles ({}): a gap is at least 1 cycle",
                                                      n.gap_jitter_cycles, n.gap_cycles)};
  if (n.frame_min_bytes > n.frame_max_bytes)
    return Complaint{"frame_max_bytes", fmt::format("{} is less than frame_min_bytes ({})", n.frame_max_bytes,
                                                    n.frame_min_bytes)};
  for (size_t i = 0; i < c.machine.irq_sources.size(); ++i)
    if (c.machine.irq_sources[i].line == n.line)
      return Complaint{"line", fmt::format("{} is already the line of irq_source[{}]; a NIC needs a line of its own",
                                           n.line, i)};
  return std::nullopt;
}

// The keys. Adding a key is adding one row here (and its field in config.h);
// an array of tables declared in a file of its own (a Row made with
// tables<E>()) is one more line here, calling it.
}  // namespace

const std::vector<Row>& rows() {
  using Src = IrqSourceSpec;
  // One row a key, laid out to be read as a table.
  // clang-format off
  static const std::vector<Row> table = {
      integer("machine.harts", 1, 64, "", "Number of harts (cores); each starts at the ELF entry with a0 = mhartid.",
              [](auto& c) -> auto& { return c.machine.harts; }),
      choice("machine.isa", {"rv32imac", "rv32ima"}, "The harts' instruction set: \"rv32imac\" with the C extension (16-bit instructions, 2-byte aligned jump targets, misa.C), \"rv32ima\" without it (16-bit encodings are illegal instructions).",
             [](auto& c) -> auto& { return c.machine.isa; }),
      integer("machine.clock_hz", 1, 1'000'000'000'000, "Hz", "Machine clock frequency: one cycle is 1/clock_hz seconds of simulated time (at most 1 THz: SystemC counts time in picoseconds).",
              [](auto& c) -> auto& { return c.machine.clock_hz; }),
      integer("machine.ram_bytes", 4096, 1 << 30, "bytes", "RAM size at 0x80000000, from 4 KiB to 1 GiB in whole 4 KiB pages.",
              [](auto& c) -> auto& { return c.machine.ram_bytes; }, 4096),
      choice("machine.misaligned", {"trap", "emulate"}, "A misaligned load or store: \"trap\" raises the misaligned exception, \"emulate\" performs the access.",
             [](auto& c) -> auto& { return c.machine.misaligned; }),
      integer("machine.pmp_granularity_bytes", 4, 1 << 30, "bytes", "The PMP's granularity: the smallest region an entry can protect, a power of two (4: NA4 and every 4-byte boundary; larger values make pmpaddr's low bits read as fixed and turn NA4 into NAPOT).",
              [](auto& c) -> auto& { return c.machine.pmp_granularity_bytes; })
          .power_of_two(),
      choice("machine.start", {"all", "hart0"}, "Which harts run from cycle 0: \"all\", or \"hart0\" alone while the others wait until they receive a software interrupt (msip).",
             [](auto& c) -> auto& { return c.machine.start; }),
      choice("machine.arbitration", {"round_robin", "fixed_priority"}, "Who gets the bus when several harts ask in one cycle: \"round_robin\" takes turns, \"fixed_priority\" always the lowest hart number (it can starve the others).",
             [](auto& c) -> auto& { return c.machine.arbitration; }),
      integer("machine.mtime_divider", 1, kNoMax, "cycles", "mtime advances once every this many cycles (10: 10 MHz at the default 100 MHz clock, as on QEMU virt).",
              [](auto& c) -> auto& { return c.machine.mtime_divider; }),
      integer("machine.plic_sources", 1, 1023, "", "Number of PLIC interrupt sources, with IDs 1 to plic_sources.",
              [](auto& c) -> auto& { return c.machine.plic_sources; }),

      integer("machine.latency.ram", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one RAM access.",
              [](auto& c) -> auto& { return c.machine.latency.ram; }),
      integer("machine.latency.uart", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one UART register access.",
              [](auto& c) -> auto& { return c.machine.latency.uart; }),
      integer("machine.latency.clint", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one CLINT register access.",
              [](auto& c) -> auto& { return c.machine.latency.clint; }),
      integer("machine.latency.plic", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one PLIC register access.",
              [](auto& c) -> auto& { return c.machine.latency.plic; }),
      integer("machine.latency.finisher", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one test-finisher access.",
              [](auto& c) -> auto& { return c.machine.latency.finisher; }),
      integer("machine.latency.irqsrc", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one interrupt-source register access.",
              [](auto& c) -> auto& { return c.machine.latency.irqsrc; }),
      integer("machine.latency.nic", 1, kMaxCostCycles, "cycles", "Cycles the bus is held for one NIC register access.",
              [](auto& c) -> auto& { return c.machine.latency.nic; }),

      integer("machine.cost.alu", 1, kMaxCostCycles, "cycles", "An ALU instruction (and a branch not taken).",
              [](auto& c) -> auto& { return c.machine.cost.alu; }),
      integer("machine.cost.mul", 1, kMaxCostCycles, "cycles", "mul, mulh, mulhsu, mulhu.",
              [](auto& c) -> auto& { return c.machine.cost.mul; }),
      integer("machine.cost.div", 1, kMaxCostCycles, "cycles", "div, divu, rem, remu.",
              [](auto& c) -> auto& { return c.machine.cost.div; }),
      integer("machine.cost.branch_taken", 1, kMaxCostCycles, "cycles", "A taken branch (a branch not taken costs alu).",
              [](auto& c) -> auto& { return c.machine.cost.branch_taken; }),
      integer("machine.cost.jump", 1, kMaxCostCycles, "cycles", "jal and jalr.",
              [](auto& c) -> auto& { return c.machine.cost.jump; }),
      integer("machine.cost.load", 1, kMaxCostCycles, "cycles", "A load, before the bus wait and the target's latency.",
              [](auto& c) -> auto& { return c.machine.cost.load; }),
      integer("machine.cost.store", 1, kMaxCostCycles, "cycles", "A store, before the bus wait and the target's latency.",
              [](auto& c) -> auto& { return c.machine.cost.store; }),
      integer("machine.cost.amo", 1, kMaxCostCycles, "cycles", "An AMO, LR or SC, before the bus wait and the target's latency.",
              [](auto& c) -> auto& { return c.machine.cost.amo; }),
      integer("machine.cost.csr", 1, kMaxCostCycles, "cycles", "A CSR instruction.",
              [](auto& c) -> auto& { return c.machine.cost.csr; }),
      integer("machine.cost.fence", 1, kMaxCostCycles, "cycles", "fence and fence.i.",
              [](auto& c) -> auto& { return c.machine.cost.fence; }),
      integer("machine.cost.system", 1, kMaxCostCycles, "cycles", "ecall and ebreak (the trap entry is charged on top).",
              [](auto& c) -> auto& { return c.machine.cost.system; }),
      integer("machine.cost.trap_entry", 1, kMaxCostCycles, "cycles", "Entering a trap or interrupt handler.",
              [](auto& c) -> auto& { return c.machine.cost.trap_entry; }),
      integer("machine.cost.mret", 1, kMaxCostCycles, "cycles", "mret.",
              [](auto& c) -> auto& { return c.machine.cost.mret; }),
      integer("machine.cost.wfi", 1, kMaxCostCycles, "cycles", "wfi, before the hart sleeps.",
              [](auto& c) -> auto& { return c.machine.cost.wfi; }),

      program("firmware.program", "The ELF to run: a bundled program's name (\"hello\" runs hello.elf from the firmware directory) or a path relative to the config file.",
              [](auto& c) -> auto& { return c.firmware; }),

choice("run.monitor", {"on", "off"}, "The lock monitor: infers locks, interrupt contexts and deadlocks from what the harts do (docs/monitor.md).",
             [](auto& c) -> auto& { return c.run.monitor; }),
      choice("run.on_deadlock", {"stop", "continue"}, "When the monitor finds a deadlock: \"stop\" ends the run (exit code 126), \"continue\" reports it and runs on.",
             [](auto& c) -> auto& { return c.run.on_deadlock; }),
            integer("run.max_cycles", 1, kNoMax, "cycles", "Stop the run (exit code 124) when this many cycles have passed; the last must lie within the 2^63 ps SystemC's time counts (922337203685477 cycles at 100 MHz).",
              [](auto& c) -> auto& { return c.run.max_cycles; }),
      text("run.gdb", "\"[HOST:]PORT\" or PORT as an integer (PORT from 0 to 65535, 0: any free one), or \"\" for none", check_gdb_address,
           "Wait for GDB on this address before the first cycle (docs/debugging.md): \"1234\" (or 1234) listens on 127.0.0.1 only, \"0.0.0.0:1234\" on every interface (\"\": no GDB). spinlab run --gdb sets it.",
           [](auto& c) -> auto& { return c.run.gdb; })
          .or_integer(),
      finding_kinds_row("run.gdb_stop_on", "With GDB attached, the findings that stop every hart (SIGTRAP, on the hart concerned) and print their text in GDB: the words --expect takes.",
                        [](auto& c) -> auto& { return c.run.gdb_stop_on; }),
      integer("run.gdb_checkpoint", 0, kNoMax, "cycles", "With GDB attached, cycles between the checkpoints reverse execution (reverse-stepi, reverse-continue) re-runs from; 0: no reverse execution.",
              [](auto& c) -> auto& { return c.run.gdb_checkpoint; }),

      integer("monitor.deadlock_attempts", 2, kNoMax, "attempts", "A spin is stuck, and a wait-for cycle through it a deadlock, after this many failed attempts in a row...",
              [](auto& c) -> auto& { return c.monitor.deadlock_attempts; }),
      integer("monitor.deadlock_cycles", 1, kNoMax, "cycles", "...or after spinning this many cycles (with at least two attempts).",
              [](auto& c) -> auto& { return c.monitor.deadlock_cycles; }),
      integer("monitor.confirm_attempts", 1, kNoMax, "attempts", "Failed attempts in a row by one hart, on a word someone holds, that make the word a lock.",
              [](auto& c) -> auto& { return c.monitor.confirm_attempts; }),
      integer("monitor.stale_cycles", 1, kNoMax, "cycles", "A spin whose last attempt is older than this (or than 4 of its own intervals between attempts) has been given up.",
              [](auto& c) -> auto& { return c.monitor.stale_cycles; }),

      path("trace.vcd", "The VCD file to write, relative to the config file's directory (\"\": no trace).",
           [](auto& c) -> auto& { return c.trace.vcd; }),
      path("trace.timeline", "The timeline to write, a Chrome trace event JSON file for ui.perfetto.dev (docs/timeline.md), relative to the config file's directory (\"\": none).",
           [](auto& c) -> auto& { return c.trace.timeline; }),
      strings("trace.words", "an ELF symbol name or a 4-aligned hex address (\"0x80001000\")", check_traced_word,
              "RAM words whose 32-bit values go into the trace, by symbol (\"tickslock\") or address.",
              [](auto& c) -> auto& { return c.trace.words; }),
      text("trace.window", "cycles \"FROM..TO\", or \"\" for the whole run", check_trace_window,
           "Only these cycles go into the VCD (\"9000..11000\"), starting from the values at FROM: a long run's trace stays small (\"\": every cycle).",
           [](auto& c) -> auto& { return c.trace.window; }),

      text("scenario.lesson", "a relative path to a .md file, or \"\" for none", check_lesson,
           "The scenario's lesson, relative to spinlab's docs directory (\"lessons/03-irq-deadlock.md\"): spinlab run --explain prints its rule.",
           [](auto& c) -> auto& { return c.scenario.lesson; }),
      text("scenario.summary", "one line of text", check_summary,
           "What the scenario shows, in one line: spinlab list prints it after the scenario's name.",
           [](auto& c) -> auto& { return c.scenario.summary; }),
      tables<ScenarioParam>("scenario.param", kMaxScenarioParams, "The firmware params ([firmware.params]) a student may turn: spinlab list shows each with its default.",
          [](auto& c) -> auto& { return c.scenario.params; },
          {
              text<ScenarioParam>("name", "the name of a symbol of the program (letters, digits, _)", check_param_name, "The param's name, a symbol of the program (as in [firmware.params]).",
                                  [](auto& p) -> auto& { return p.name; }).required().unique(),
              text<ScenarioParam>("help", "one line of text", check_help, "What turning it does, in one sentence.",
                                  [](auto& p) -> auto& { return p.help; }).required(),
              integer<ScenarioParam>("min", 0, 0xffffffff, "", "The least value that makes sense: a smaller one set in [firmware.params] or with --set is refused.",
                                     [](auto& p) -> auto& { return p.min; }),
              integer<ScenarioParam>("max", 0, 0xffffffff, "", "The greatest value that makes sense (1 for a switch); at least min.",
                                     [](auto& p) -> auto& { return p.max; }),
          },
          check_scenario_param),

      tables<Src>("irq_source", kMaxIrqSources, "Interrupt source devices (a NIC, a disk): each raises a PLIC line at the cycles it gives.",
          [](auto& c) -> auto& { return c.machine.irq_sources; },
          {
              text<Src>("name", "a name of letters, digits, _ and -", check_name, "The source's name in traces and reports, unique among the sources.",
                        [](auto& s) -> auto& { return s.name; }).required().unique(),
              integer<Src>("line", 1, 1023, "", "The PLIC source ID it raises; no two sources share one.",
                           [](auto& s) -> auto& { return s.line; }).required().unique().at_most("machine.plic_sources"),
              integer<Src>("first_cycle", 0, kNoMax, "cycles", "The cycle of the first event.",
                           [](auto& s) -> auto& { return s.first_cycle; }),
              integer<Src>("period_cycles", 0, kNoMax, "cycles", "Cycles from one event to the next; 0: one event only.",
                           [](auto& s) -> auto& { return s.period_cycles; }),
              integer<Src>("count", 0, kNoMax, "", "How many events (0: without end); more than one needs period_cycles > 0.",
                           [](auto& s) -> auto& { return s.count; }),
              choice<Src>("ack", {"register", "claim"}, "How the handler acknowledges an event: \"register\" keeps the line high until it writes the source's ACK register, \"claim\" pulses the line so the PLIC claim is enough.",
                          [](auto& s) -> auto& { return s.ack; }),
          },
          check_irq_source),

      tables<NicSpec>("nic", kMaxNics, "Receive-only NICs: frames arrive in bursts drawn from a seed; the device writes a descriptor per frame into the driver's ring in RAM and raises a PLIC line (docs/machine.md has the registers).",
          [](auto& c) -> auto& { return c.machine.nics; },
          {
              text<NicSpec>("name", "a name of letters, digits, _ and -", check_name, "The NIC's name in the summary and reports, unique among the NICs.",
                            [](auto& n) -> auto& { return n.name; }).required().unique(),
              integer<NicSpec>("line", 1, 1023, "", "The PLIC source ID it raises; no two NICs or interrupt sources share one.",
                               [](auto& n) -> auto& { return n.line; }).required().unique().at_most("machine.plic_sources"),
              integer<NicSpec>("first_cycle", 0, kNoMax, "cycles", "The cycle the first frame arrives.",
                               [](auto& n) -> auto& { return n.first_cycle; }),
              integer<NicSpec>("gap_cycles", 1, kNoMax, "cycles", "Cycles from the last frame of a burst to the first of the next, on average.",
                               [](auto& n) -> auto& { return n.gap_cycles; }),
              integer<NicSpec>("gap_jitter_cycles", 0, kMaxJitterCycles, "cycles", "Each gap is drawn uniformly from gap_cycles - gap_jitter_cycles to gap_cycles + gap_jitter_cycles (0: every gap the same); less than gap_cycles.",
                               [](auto& n) -> auto& { return n.gap_jitter_cycles; }),
              integer<NicSpec>("burst_frames", 1, 1 << 16, "frames", "Frames per burst.",
                               [](auto& n) -> auto& { return n.burst_frames; }),
              integer<NicSpec>("burst_gap_cycles", 1, kNoMax, "cycles", "Cycles between two frames of one burst.",
                               [](auto& n) -> auto& { return n.burst_gap_cycles; }),
              integer<NicSpec>("count", 0, kNoMax, "frames", "How many frames arrive in all (0: without end).",
                               [](auto& n) -> auto& { return n.count; }),
              integer<NicSpec>("frame_min_bytes", 1, 65535, "bytes", "The shortest frame; each frame's length is drawn uniformly from frame_min_bytes to frame_max_bytes.",
                               [](auto& n) -> auto& { return n.frame_min_bytes; }),
              integer<NicSpec>("frame_max_bytes", 1, 65535, "bytes", "The longest frame; at least frame_min_bytes.",
                               [](auto& n) -> auto& { return n.frame_max_bytes; }),
              integer<NicSpec>("seed", 0, 0xffffffff, "", "Seeds the std::mt19937 that draws gaps and lengths: the same seed, the same frames.",
                               [](auto& n) -> auto& { return n.seed; }),
          },
          check_nic),
  };
  // clang-format on
  return table;
}

const Row* find_row(std::string_view key) {
  for (const Row& row : rows())
    if (row.key == key) return &row;
  return nullptr;
}

// The tables are the proper prefixes of the keys ("machine", "machine.cost").
const std::vector<std::string>& tables() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Row& row : rows()) {
      for (std::string_view p = parent_of(row.key); !p.empty(); p = parent_of(p))
        if (std::find(out.begin(), out.end(), p) == out.end()) out.emplace_back(p);
    }
    return out;
  }();
  return names;
}

bool is_table(std::string_view name) {
  const auto& t = tables();
  return std::find(t.begin(), t.end(), name) != t.end();
}

// The direct children of a table ("" is the root), keys and tables, in
// declaration order.
std::vector<std::string> children_of(std::string_view table) {
  std::vector<std::string> ordered;
  for (const Row& row : rows()) {
    std::string_view name = row.key;
    while (!name.empty() && parent_of(name) != table) name = parent_of(name);
    if (!name.empty()) {
      std::string leaf(leaf_of(name));
      if (std::find(ordered.begin(), ordered.end(), leaf) == ordered.end()) ordered.push_back(leaf);
    }
  }
  return ordered;
}

}  // namespace spinlab::config_table

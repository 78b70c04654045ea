// Config files, --set overrides and the one table of keys that drives both.
//
// Each key is one row in rows(): its name, what it accepts (the check), unit,
// help text and the Config field it stores into. The default is whatever the
// typed structs in config.h hold, so there is no second list of defaults to
// keep in step. Parsing, --set, error messages, unknown-key suggestions,
// config_keys() (for --help) and the docs/config.md test all read this table.
// An array of tables ([[irq_source]]) is one row holding the rows of one
// element's keys, declared the same way against the element's struct; the
// element's default is that struct's default.
#include "sim/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "firmware/include/memmap.h"
#include "sim/error.h"

#ifndef SPINLAB_FIRMWARE_DIR
#define SPINLAB_FIRMWARE_DIR ""
#endif
#ifndef SPINLAB_CONFIG_DIR
#define SPINLAB_CONFIG_DIR ""
#endif
#ifndef SPINLAB_DOCS_DIR
#define SPINLAB_DOCS_DIR ""
#endif

namespace spinlab {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
// A cost or latency beyond a million cycles is a typo, not a model.
constexpr int64_t kMaxCostCycles = 1'000'000;
// The interrupt source block has one register window per source.
constexpr size_t kMaxIrqSources = IRQSRC_SIZE / IRQSRC_STRIDE;

enum class Kind {
  integer,  // a TOML integer in [min, max], a multiple of multiple_of
  choice,   // a TOML string, one of choices; stored as the enum value of its index
  program,  // a TOML string naming the firmware ELF; stored resolved
  path,     // a TOML string naming a file spinlab writes; stored resolved ("" stays "")
  text,     // a TOML string that passes check_item
  strings,  // a TOML array of strings, each passing check_item
  tables,   // a TOML array of tables ([[name]]), each with the keys in elements->fields
};

// A value that passed its row's check, ready to store.
struct Value {
  int64_t integer = 0;
  size_t choice = 0;
  std::string text;                // program, path: resolved; text: as given
  std::vector<std::string> texts;  // strings
  size_t element = 0;              // a key of an array of tables: which element
};

// Why an element of an array of tables is refused: the key at fault (its
// leaf, "count") and a sentence.
struct Complaint {
  std::string leaf;
  std::string message;
};

struct Elements;

// Everything about a key but where it is stored.
struct Key {
  std::string key;  // "machine.harts"; in an array of tables, the leaf ("line")
  Kind kind = Kind::integer;
  std::string unit;
  std::string help;
  int64_t min = 0;
  int64_t max = 0;
  int64_t multiple_of = 1;
  bool is_power_of_two = false;  // integer: also a power of two
  std::string max_key;  // integer: also at most the final value of this top-level integer key
  std::vector<std::string> choices;
  std::string item_accepts;  // text, strings: what one string must be
  // text, strings: nullopt when `s` is fine, else what the user gave ("an empty string").
  std::function<std::optional<std::string>(const std::string& s)> check_item;
  bool is_required = false;  // must appear in a config file (in an array of tables: in each element)
  bool is_unique = false;    // in an array of tables: no two elements have the same value
  std::shared_ptr<const Elements> elements;  // tables
};

// A key and the field of a Target (the Config, or one element of an array of
// tables) it stores into.
template <typename Target>
struct BasicRow : Key {
  std::function<void(Target&, const Value&)> store;
  std::function<std::string(const Target&)> show;  // the field as TOML text
  std::function<int64_t(const Target&)> number;     // integer: the field's value

  // Modifiers, so a row stays one expression: integer<S>(...).required().unique()
  BasicRow required() && {
    is_required = true;
    return std::move(*this);
  }
  BasicRow unique() && {
    is_unique = true;
    return std::move(*this);
  }
  BasicRow power_of_two() && {
    is_power_of_two = true;
    return std::move(*this);
  }
  BasicRow at_most(std::string key) && {
    max_key = std::move(key);
    return std::move(*this);
  }
};

using Row = BasicRow<Config>;

// The keys of one element of an array of tables, and how the array grows.
struct Elements {
  std::vector<Row> fields;  // store into element Value::element
  size_t max_count = 0;
  std::function<size_t(const Config&)> count;
  std::function<void(Config&)> clear;
  std::function<void(Config&)> append;  // a default element at the end
  // A rule across an element's keys.
  std::function<std::optional<Complaint>(const Config&, size_t index)> check;
};

// The type a field accessor reaches in a Target.
template <typename Target, typename Field>
using FieldOf = std::remove_reference_t<decltype(std::declval<Field>()(std::declval<Target&>()))>;

// `field` is a generic lambda naming the member: [](auto& c) -> auto& { return c.x.y; }
template <typename Target = Config, typename Field>
BasicRow<Target> integer(std::string key, int64_t min, int64_t max, std::string unit, std::string help,
                         Field field, int64_t multiple_of = 1) {
  using T = FieldOf<Target, Field>;
  static_assert(std::is_unsigned_v<T>, "integer keys store into unsigned fields");
  BasicRow<Target> row;
  row.key = std::move(key);
  row.kind = Kind::integer;
  row.unit = std::move(unit);
  row.help = std::move(help);
  row.min = min;
  // The check never admits a value the field cannot hold.
  row.max = int64_t(std::min<uint64_t>(uint64_t(max), std::numeric_limits<T>::max()));
  row.multiple_of = multiple_of;
  row.store = [field](Target& c, const Value& v) { field(c) = static_cast<T>(v.integer); };
  row.show = [field](const Target& c) { return std::to_string(field(c)); };
  row.number = [field](const Target& c) { return static_cast<int64_t>(field(c)); };
  return row;
}

// `names` lists the enum's values in declaration order (index == value).
template <typename Target = Config, typename Field>
BasicRow<Target> choice(std::string key, std::vector<std::string> names, std::string help, Field field) {
  using E = FieldOf<Target, Field>;
  static_assert(std::is_enum_v<E>, "choice keys store into enum fields");
  BasicRow<Target> row;
  row.key = std::move(key);
  row.kind = Kind::choice;
  row.help = std::move(help);
  row.choices = std::move(names);
  row.store = [field](Target& c, const Value& v) { field(c) = static_cast<E>(v.choice); };
  row.show = [field, names = row.choices](const Target& c) {
    return "\"" + names.at(static_cast<size_t>(field(c))) + "\"";
  };
  return row;
}

template <typename Field>
Row program(std::string key, std::string help, Field field) {
  Row row;
  row.key = std::move(key);
  row.kind = Kind::program;
  row.help = std::move(help);
  row.is_required = true;
  row.store = [field](Config& c, const Value& v) { field(c) = v.text; };
  row.show = [](const Config&) { return std::string(); };
  return row;
}

std::string quote(std::string_view text);

// A file spinlab writes: relative to the config file (or, from --set, to the
// current directory); "" for none.
template <typename Field>
Row path(std::string key, std::string help, Field field) {
  Row row;
  row.key = std::move(key);
  row.kind = Kind::path;
  row.help = std::move(help);
  row.store = [field](Config& c, const Value& v) { field(c) = v.text; };
  row.show = [field](const Config& c) { return quote(field(c)); };
  return row;
}

// `check` returns nullopt for a good string, else a description of it for
// "expected <accepts>, got <description>".
template <typename Target = Config, typename Field, typename Check>
BasicRow<Target> text(std::string key, std::string item_accepts, Check check, std::string help, Field field) {
  BasicRow<Target> row;
  row.key = std::move(key);
  row.kind = Kind::text;
  row.help = std::move(help);
  row.item_accepts = std::move(item_accepts);
  row.check_item = check;
  row.store = [field](Target& c, const Value& v) { field(c) = v.text; };
  row.show = [field](const Target& c) { return quote(field(c)); };
  return row;
}

template <typename Field, typename Check>
Row strings(std::string key, std::string item_accepts, Check check, std::string help, Field field) {
  Row row;
  row.key = std::move(key);
  row.kind = Kind::strings;
  row.help = std::move(help);
  row.item_accepts = std::move(item_accepts);
  row.check_item = check;
  row.store = [field](Config& c, const Value& v) { field(c) = v.texts; };
  row.show = [field](const Config& c) {
    std::string out;
    for (const std::string& s : field(c)) out += (out.empty() ? "" : ", ") + quote(s);
    return "[" + out + "]";
  };
  return row;
}

// An array of tables ([[key]] in a file), stored into the vector `records`
// names; each element has the keys `fields` declares for its type E, and
// `check` (optional) is a rule across one element's keys.
template <typename E, typename Records>
Row tables(std::string key, size_t max_count, std::string help, Records records,
           std::vector<BasicRow<E>> fields,
           std::function<std::optional<Complaint>(const E&)> check = nullptr) {
  auto elements = std::make_shared<Elements>();
  for (BasicRow<E>& f : fields) {
    Row row;
    static_cast<Key&>(row) = f;
    row.store = [records, store = f.store](Config& c, const Value& v) { store(records(c).at(v.element), v); };
    row.show = [show = f.show](const Config&) { return show(E{}); };  // an element's default
    elements->fields.push_back(std::move(row));
  }
  elements->max_count = max_count;
  elements->count = [records](const Config& c) { return records(c).size(); };
  elements->clear = [records](Config& c) { records(c).clear(); };
  elements->append = [records](Config& c) { records(c).emplace_back(); };
  if (check)
    elements->check = [records, check](const Config& c, size_t i) { return check(records(c).at(i)); };

  Row row;
  row.key = std::move(key);
  row.kind = Kind::tables;
  row.help = std::move(help);
  row.show = [records, fields](const Config& c) {
    std::string out;
    for (const E& e : records(c)) {
      std::string table;
      for (const BasicRow<E>& f : fields) table += (table.empty() ? "" : ", ") + f.key + " = " + f.show(e);
      out += (out.empty() ? "{ " : ", { ") + table + " }";
    }
    return "[" + out + "]";
  };
  row.elements = std::move(elements);
  return row;
}

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

// scenario.lesson: a Markdown file inside the documentation directory, or
// "" for none.
std::optional<std::string> check_lesson(const std::string& s) {
  if (s.empty()) return std::nullopt;
  if (s.size() < 4 || s.compare(s.size() - 3, 3, ".md") != 0) return quote(s) + " (not a .md file)";
  if (s[0] == '/' || s.find("..") != std::string::npos) return quote(s) + " (outside the documentation directory)";
  return std::nullopt;
}

// irq_source names appear in traces and reports: keep them plain.
std::optional<std::string> check_name(const std::string& s) {
  if (s.empty()) return "an empty string";
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  if (!std::all_of(s.begin(), s.end(), plain)) return quote(s);
  return std::nullopt;
}

// The model raises one event when period_cycles is 0, whatever count says.
std::optional<Complaint> check_irq_source(const IrqSourceSpec& s) {
  if (s.period_cycles == 0 && s.count != 1)
    return Complaint{"count", fmt::format("{} needs period_cycles > 0 (period_cycles = 0 raises one event only)",
                                          s.count == 0 ? "count = 0 (without end)"
                                                       : fmt::format("count = {}", s.count))};
  return std::nullopt;
}

// The keys. Adding a key is adding one row here (and its field in config.h).
const std::vector<Row>& rows() {
  using Src = IrqSourceSpec;
  static const std::vector<Row> table = {
      integer("machine.harts", 1, 64, "", "Number of harts (cores); each starts at the ELF entry with a0 = mhartid.",
              [](auto& c) -> auto& { return c.machine.harts; }),
      choice("machine.isa", {"rv32imac", "rv32ima"}, "The harts' instruction set: \"rv32imac\" with the C extension (16-bit instructions, 2-byte aligned jump targets, misa.C), \"rv32ima\" without it (16-bit encodings are illegal instructions).",
             [](auto& c) -> auto& { return c.machine.isa; }),
      integer("machine.clock_hz", 1, kNoMax, "Hz", "Machine clock frequency: one cycle is 1/clock_hz seconds of simulated time.",
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
            integer("run.max_cycles", 1, kNoMax, "cycles", "Stop the run (exit code 124) when this many cycles have passed.",
              [](auto& c) -> auto& { return c.run.max_cycles; }),

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

      text("scenario.lesson", "a relative path to a .md file, or \"\" for none", check_lesson,
           "The scenario's lesson, relative to spinlab's docs directory (\"lessons/03-irq-deadlock.md\"): spinlab run --explain prints its rule.",
           [](auto& c) -> auto& { return c.scenario.lesson; }),

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
  };
  return table;
}

const Row* find_row(std::string_view key) {
  for (const Row& row : rows())
    if (row.key == key) return &row;
  return nullptr;
}

std::string_view parent_of(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : key.substr(0, dot);
}

std::string_view leaf_of(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
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

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", int(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

// The leaves of an array of tables' keys ("name, line, ...").
std::string element_keys(const Row& row) {
  std::vector<std::string> leaves;
  for (const Row& f : row.elements->fields) leaves.push_back(f.key);
  return join(leaves, ", ");
}

// What a row's check accepts, as the object of "expected ...".
std::string accepts(const Row& row) {
  switch (row.kind) {
    case Kind::integer: {
      if (!row.max_key.empty()) return fmt::format("an integer from {} to {}", row.min, row.max_key);
      if (row.is_power_of_two) return fmt::format("a power of two from {} to {}", row.min, row.max);
      if (row.multiple_of > 1)
        return fmt::format("a multiple of {} from {} to {}", row.multiple_of, row.min, row.max);
      if (row.max == kNoMax) {
        if (row.min == 0) return "a non-negative integer";
        return row.min == 1 ? "a positive integer" : fmt::format("an integer of at least {}", row.min);
      }
      return fmt::format("an integer from {} to {}", row.min, row.max);
    }
    case Kind::choice: {
      std::vector<std::string> quoted;
      for (const auto& c : row.choices) quoted.push_back(quote(c));
      return "one of " + join(quoted, ", ");
    }
    case Kind::program:
      return "a bundled program's name or a path to an ELF file";
    case Kind::path:
      return "a file path, or \"\" for none";
    case Kind::text:
      return row.item_accepts;
    case Kind::strings:
      return "an array of strings, each " + row.item_accepts;
    case Kind::tables:
      return fmt::format("an array of at most {} tables ([[{}]]) with keys {}", row.elements->max_count, row.key,
                         element_keys(row));
  }
  return "";
}

// A node's value as the user wrote it (for scalars).
std::string value_text(const toml::node& node) {
  if (auto v = node.as_string()) return quote(v->get());
  if (auto v = node.as_integer()) return std::to_string(v->get());
  if (auto v = node.as_floating_point()) return fmt::format("{}", v->get());
  if (auto v = node.as_boolean()) return v->get() ? "true" : "false";
  std::ostringstream out;
  node.visit([&](const auto& n) { out << n; });
  return out.str();
}

// "a string ("two")", "a table": what a node is, for a type mismatch.
std::string type_and_value(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string (" + value_text(node) + ")";
    case toml::node_type::integer: return "an integer (" + value_text(node) + ")";
    case toml::node_type::floating_point: return "a float (" + value_text(node) + ")";
    case toml::node_type::boolean: return "a boolean (" + value_text(node) + ")";
    case toml::node_type::date: return "a date (" + value_text(node) + ")";
    case toml::node_type::time: return "a time (" + value_text(node) + ")";
    case toml::node_type::date_time: return "a date-time (" + value_text(node) + ")";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// Edit distance counting an adjacent transposition as one edit ("hrats").
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

namespace {

// The known key or table the user most likely meant by `unknown`, if any is
// close: a small edit of the whole name, the same leaf in another table
// (`harts` at the top level for `machine.harts`), or a truncated leaf
// (`machine.ram` for `machine.ram_bytes`).
struct Candidate {
  std::string name;
  bool is_table = false;  // a table or an array of tables
};

std::optional<std::string> nearest(std::string_view unknown, bool unknown_is_table,
                                   const std::vector<Candidate>& candidates) {
  const std::string u = lower(unknown);
  const std::string_view u_leaf = leaf_of(u), u_parent = parent_of(u);
  std::optional<std::string> best;
  size_t best_score = std::numeric_limits<size_t>::max();
  auto consider = [&](const std::string& candidate, bool candidate_is_table) {
    const std::string c = lower(candidate);
    const std::string_view c_leaf = leaf_of(c), c_parent = parent_of(c);
    size_t d = std::min(edit_distance(u, c),
                        edit_distance(u_leaf, c_leaf) + (u_parent == c_parent ? 0 : 1));
    if (u_parent == c_parent && u_leaf.size() >= 2 &&
        (c_leaf.substr(0, u_leaf.size()) == u_leaf || u_leaf.substr(0, c_leaf.size()) == c_leaf))
      d = std::min<size_t>(d, 1);
    if (d > std::max<size_t>(2, u_leaf.size() / 3)) return;
    // Prefer a candidate of the same kind (table or key) on a tie.
    size_t score = 2 * d + (candidate_is_table == unknown_is_table ? 0 : 1);
    if (score < best_score) {
      best_score = score;
      best = candidate;
    }
  };
  for (const Candidate& c : candidates) consider(c.name, c.is_table);
  return best;
}

// Every key and table of the top level, for suggestions.
const std::vector<Candidate>& top_level_names() {
  static const std::vector<Candidate> names = [] {
    std::vector<Candidate> out;
    for (const Row& row : rows()) out.push_back({row.key, row.kind == Kind::tables});
    for (const std::string& t : tables()) out.push_back({t, true});
    return out;
  }();
  return names;
}

std::string unknown_message(const std::string& key, bool is_table_node) {
  std::string msg = fmt::format("unknown {} `{}`", is_table_node ? "table" : "key", key);
  if (auto guess = nearest(key, is_table_node, top_level_names()))
    return msg + fmt::format("; did you mean `{}`?", *guess);
  // No close match: say what the nearest known enclosing table holds.
  std::string_view table = parent_of(key);
  while (!table.empty() && !is_table(table)) table = parent_of(table);
  if (table.empty()) return msg + "; the tables are " + join(children_of(""), ", ");
  return msg + fmt::format("; [{}] has {}", table, join(children_of(table), ", "));
}

// An unknown key inside element `element` ("irq_source[2]") of `array`.
std::string unknown_element_message(const Row& array, const std::string& element, const std::string& key,
                                    bool is_table_node) {
  std::vector<Candidate> fields;
  for (const Row& f : array.elements->fields) fields.push_back({element + "." + f.key, false});
  std::string msg = fmt::format("unknown {} `{}`", is_table_node ? "table" : "key", key);
  if (auto guess = nearest(key, is_table_node, fields)) return msg + fmt::format("; did you mean `{}`?", *guess);
  return msg + fmt::format("; [[{}]] has {}", array.key, element_keys(array));
}

bool is_bundled_name(std::string_view program) {
  const std::string_view suffix = ".elf";
  bool elf_suffix = program.size() >= suffix.size() &&
                    program.substr(program.size() - suffix.size()) == suffix;
  return program.find('/') == std::string_view::npos && !elf_suffix;
}

std::vector<std::string> bundled_programs() {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(firmware_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".elf") names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Where a value came from: a config file (paths are relative to its
// directory) or a --set on the command line (relative to the current one).
struct Source {
  std::string file;  // for places: the config path, or "--set <text>"
  fs::path base_dir;
  bool from_toml = true;  // places carry line:col
};

// [firmware.params]: the one table whose keys are the user's own names.
const std::string kParams = "firmware.params";

class Loader {
 public:
  explicit Loader(Config& config) : config_(config) {}

  // Applies every entry of a parsed table whose dotted name is `prefix`.
  void apply_table(const toml::table& table, const std::string& prefix, const Source& src) {
    for (const auto& [k, node] : table) {
      std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      apply(name, node, place(src, k.source()), src);
    }
  }

  void apply(const std::string& name, const toml::node& node, const Place& key_place,
             const Source& src) {
    const Place value_place = place(src, node.source(), key_place);
    if (name == kParams || name.compare(0, kParams.size() + 1, kParams + ".") == 0) {
      apply_param(name, node, key_place, value_place, src);
      return;
    }
    if (const Row* row = find_row(name)) {
      if (row->kind == Kind::tables)
        store_elements(*row, node, value_place, src);
      else
        store(*row, name, node, value_place, src, 0);
      return;
    }
    if (is_table(name)) {
      if (const toml::table* t = node.as_table()) {
        apply_table(*t, name, src);
        return;
      }
      throw Error(ExitCode::bad_input, value_place,
                  fmt::format("{}: expected a table with keys {}, got {}", name,
                              join(children_of(name), ", "), type_and_value(node)));
    }
    // Only --set names a key inside an array of tables: in a file, the
    // array's elements are read by store_elements.
    if (const Row* array = array_holding(name))
      throw Error(ExitCode::bad_input, key_place,
                  fmt::format("{}: --set cannot change a key of one [[{}]] table; edit the config file, or "
                              "replace the whole array: --set '{}=[{{ ... }}, ...]'",
                              name, array->key, array->key));
    throw Error(ExitCode::bad_input, key_place,
                unknown_message(name, node.is_table() || node.is_array_of_tables()));
  }

  // After every source: required keys are present (in a config file; an ELF
  // run directly needs none), the files keys name exist, and the checks that
  // involve other keys (irq_source[].line against machine.plic_sources) hold.
  void finish(const Place& file_place, bool in_config_file) {
    for (const Row& row : rows()) {
      auto it = set_.find(row.key);
      if (it == set_.end()) {
        if (row.is_required && in_config_file) {
          std::string example = row.kind == Kind::program
                                    ? fmt::format(", e.g. [{}] {} = \"hello\"", parent_of(row.key), leaf_of(row.key))
                                    : "";
          throw Error(ExitCode::bad_input, file_place,
                      fmt::format("missing key `{}`: {}{}", row.key, accepts(row), example));
        }
        continue;
      }
      check_bound(row, row.key, it->second);
      if (row.kind == Kind::program) check_program(row, it->second);
      if (row.kind == Kind::path) check_output(row, it->second);
      if (row.kind == Kind::tables) check_elements(row);
    }
  }

 private:
  struct Setting {
    Place place;
    std::string shown;     // the value as TOML ("5", "\"nic\""), for messages
    std::string text;      // program, path: the string as written
    std::string resolved;  // program, path: the file it names
    int64_t integer = 0;   // integer: the value
  };

  static Place place(const Source& src, const toml::source_region& region,
                     const Place& fallback = Place{}) {
    if (!src.from_toml) return Place{src.file};
    if (region.begin.line == 0) return fallback.file.empty() ? Place{src.file} : fallback;
    return Place{src.file, region.begin.line, region.begin.column};
  }

  static std::string element_name(const std::string& array, size_t i) { return fmt::format("{}[{}]", array, i); }

  // The array of tables whose elements `name` ("irq_source.line",
  // "irq_source[0].line") reaches into, if any.
  static const Row* array_holding(std::string_view name) {
    for (const Row& row : rows()) {
      if (row.kind != Kind::tables || name.size() <= row.key.size()) continue;
      if (name.substr(0, row.key.size()) == row.key && (name[row.key.size()] == '.' || name[row.key.size()] == '['))
        return &row;
    }
    return nullptr;
  }

  // [firmware.params]: NAME = integer, any NAME (a symbol of the program,
  // checked when the ELF is loaded); the value must fit in 32 bits.
  void apply_param(const std::string& name, const toml::node& node, const Place& key_place,
                   const Place& value_place, const Source& src) {
    if (name == kParams) {
      const toml::table* t = node.as_table();
      if (!t)
        throw Error(ExitCode::bad_input, value_place,
                    fmt::format("{}: expected a table of NAME = integer, got {}", name, type_and_value(node)));
      apply_table(*t, name, src);
      return;
    }
    const std::string leaf = name.substr(kParams.size() + 1);
    bool identifier = !leaf.empty() && !std::isdigit(static_cast<unsigned char>(leaf[0]));
    for (char c : leaf) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!identifier)
      throw Error(ExitCode::bad_input, key_place,
                  fmt::format("{}: expected the name of a symbol of the program (letters, digits, _)", name));
    auto v = node.as_integer();
    if (!v || v->get() < INT32_MIN || v->get() > int64_t(UINT32_MAX))
      throw Error(ExitCode::bad_input, value_place,
                  fmt::format("{}: expected a 32-bit integer, got {}", name, type_and_value(node)));
    config_.firmware_params[leaf] = v->get();
  }

  // Stores `node` as the value of `row`, called `key` in messages and in
  // set_ ("irq_source[2].line" for a key of an element).
  void store(const Row& row, const std::string& key, const toml::node& node, const Place& where,
             const Source& src, size_t element) {
    auto fail = [&](const std::string& got) -> Error {
      return Error(ExitCode::bad_input, where, fmt::format("{}: expected {}, got {}", key, accepts(row), got));
    };
    Value value;
    value.element = element;
    Setting setting{where, value_text(node), {}, {}, 0};
    switch (row.kind) {
      case Kind::integer: {
        auto v = node.as_integer();
        if (!v) throw fail(type_and_value(node));
        int64_t n = v->get();
        if (n < row.min || n > row.max || n % row.multiple_of != 0) throw fail(value_text(node));
        if (row.is_power_of_two && (n & (n - 1)) != 0) throw fail(value_text(node));
        value.integer = n;
        setting.integer = n;
        break;
      }
      case Kind::choice: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        auto it = std::find(row.choices.begin(), row.choices.end(), v->get());
        if (it == row.choices.end()) throw fail(value_text(node));
        value.choice = size_t(it - row.choices.begin());
        break;
      }
      case Kind::program: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        if (v->get().empty()) throw fail("an empty string");
        setting.text = v->get();
        setting.resolved = resolve_program(v->get(), src.base_dir);
        value.text = setting.resolved;
        break;
      }
      case Kind::path: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        setting.text = v->get();
        setting.resolved = v->get().empty() ? std::string() : resolve_path(v->get(), src.base_dir);
        value.text = setting.resolved;
        break;
      }
      case Kind::text: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        if (auto got = row.check_item(v->get())) throw fail(*got);
        value.text = v->get();
        break;
      }
      case Kind::strings: {
        auto array = node.as_array();
        if (!array) throw fail(type_and_value(node));
        for (size_t i = 0; i < array->size(); ++i) {
          const toml::node& item = *array->get(i);
          auto item_fail = [&](const std::string& got) -> Error {
            return Error(ExitCode::bad_input, place(src, item.source(), where),
                         fmt::format("{}[{}]: expected {}, got {}", key, i, row.item_accepts, got));
          };
          auto v = item.as_string();
          if (!v) throw item_fail(type_and_value(item));
          if (auto got = row.check_item(v->get())) throw item_fail(*got);
          value.texts.push_back(v->get());
        }
        break;
      }
      case Kind::tables:
        throw Error(ExitCode::internal, where, key + ": an array of tables inside an array of tables");
    }
    row.store(config_, value);
    set_[key] = std::move(setting);
  }

  // An array of tables replaces what was there: a --set of the whole array
  // after the file wins, as for any other key.
  void store_elements(const Row& row, const toml::node& node, const Place& where, const Source& src) {
    const Elements& elements = *row.elements;
    const toml::array* array = node.as_array();
    if (!array)
      throw Error(ExitCode::bad_input, where,
                  fmt::format("{}: expected {}, got {}", row.key, accepts(row), type_and_value(node)));
    elements.clear(config_);
    const std::string prefix = row.key + "[";
    for (auto it = set_.lower_bound(prefix); it != set_.end() && it->first.compare(0, prefix.size(), prefix) == 0;)
      it = set_.erase(it);
    set_[row.key] = Setting{where, {}, {}, {}, 0};

    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      const std::string name = element_name(row.key, i);
      const Place item_place = place(src, item.source(), where);
      const toml::table* table = item.as_table();
      if (!table)
        throw Error(ExitCode::bad_input, item_place,
                    fmt::format("{}: expected a table with keys {}, got {}", name, element_keys(row),
                                type_and_value(item)));
      if (i >= elements.max_count)
        throw Error(ExitCode::bad_input, item_place,
                    fmt::format("{}: too many [[{}]] tables: {}, at most {}", name, row.key, array->size(),
                                elements.max_count));
      elements.append(config_);
      set_[name] = Setting{item_place, {}, {}, {}, 0};
      for (const auto& [k, value] : *table) {
        const std::string key = name + "." + std::string(k.str());
        const Place key_place = place(src, k.source(), item_place);
        auto field = std::find_if(elements.fields.begin(), elements.fields.end(),
                                  [&](const Row& f) { return f.key == k.str(); });
        if (field == elements.fields.end())
          throw Error(ExitCode::bad_input, key_place,
                      unknown_element_message(row, name, key, value.is_table() || value.is_array_of_tables()));
        store(*field, key, value, place(src, value.source(), key_place), src, i);
      }
    }
  }

  // An integer bounded by another key's final value (after every --set).
  void check_bound(const Row& row, const std::string& key, const Setting& s) const {
    if (row.max_key.empty()) return;
    const Row* bound = find_row(row.max_key);
    if (!bound || !bound->number)
      throw Error(ExitCode::internal, s.place, fmt::format("{}: bounded by {}, not an integer key", key, row.max_key));
    const int64_t max = bound->number(config_);
    if (s.integer > max)
      throw Error(ExitCode::bad_input, s.place,
                  fmt::format("{}: expected {}, got {}; {} is {}", key, accepts(row), s.integer, row.max_key, max));
  }

  void check_elements(const Row& row) const {
    const Elements& elements = *row.elements;
    for (size_t i = 0; i < elements.count(config_); ++i) {
      const std::string name = element_name(row.key, i);
      const Setting& element = set_.at(name);
      for (const Row& field : elements.fields) {
        const std::string key = name + "." + field.key;
        auto it = set_.find(key);
        if (it == set_.end()) {
          if (field.is_required)
            throw Error(ExitCode::bad_input, element.place,
                        fmt::format("missing key `{}`: {}", key, accepts(field)));
          continue;
        }
        check_bound(field, key, it->second);
        if (field.is_unique) check_unique(row, field, i, it->second);
      }
      if (!elements.check) continue;
      if (auto complaint = elements.check(config_, i)) {
        const std::string key = name + "." + complaint->leaf;
        auto it = set_.find(key);
        throw Error(ExitCode::bad_input, it == set_.end() ? element.place : it->second.place,
                    fmt::format("{}: {}", key, complaint->message));
      }
    }
  }

  // Element i's value of `field` is not also an earlier element's.
  void check_unique(const Row& array, const Row& field, size_t i, const Setting& s) const {
    for (size_t j = 0; j < i; ++j) {
      auto other = set_.find(element_name(array.key, j) + "." + field.key);
      if (other == set_.end() || other->second.shown != s.shown) continue;
      std::string at = other->second.place.line ? fmt::format(" (line {})", other->second.place.line) : "";
      throw Error(ExitCode::bad_input, s.place,
                  fmt::format("{}.{}: {} is already the {} of {}{}; each [[{}]] needs its own {}",
                              element_name(array.key, i), field.key, s.shown, field.key,
                              element_name(array.key, j), at, array.key, field.key));
    }
  }

  static std::string resolve_path(const std::string& text, const fs::path& base_dir) {
    fs::path p(text);
    if (p.is_relative()) p = base_dir / p;
    return p.lexically_normal().string();
  }

  static std::string resolve_program(const std::string& text, const fs::path& base_dir) {
    if (is_bundled_name(text)) return (fs::path(firmware_dir()) / (text + ".elf")).string();
    return resolve_path(text, base_dir);
  }

  // A file spinlab will write: its directory must exist, and it must not be one.
  static void check_output(const Row& row, const Setting& s) {
    if (s.resolved.empty()) return;
    std::error_code ec;
    if (fs::is_directory(s.resolved, ec))
      throw Error(ExitCode::bad_input, s.place,
                  fmt::format("{}: {} is a directory; name a file to write", row.key, s.resolved));
    fs::path dir = fs::path(s.resolved).parent_path();
    if (!dir.empty() && !fs::is_directory(dir, ec))
      throw Error(ExitCode::bad_input, s.place,
                  fmt::format("{}: no directory {} to write {} in", row.key, dir.string(),
                              fs::path(s.resolved).filename().string()));
  }

  static void check_program(const Row& row, const Setting& s) {
    std::error_code ec;
    fs::file_status st = fs::status(s.resolved, ec);
    if (fs::is_regular_file(st)) return;
    if (fs::is_directory(st))
      throw Error(ExitCode::bad_input, s.place,
                  fmt::format("{}: {} is a directory, not an ELF file", row.key, s.resolved));
    if (!is_bundled_name(s.text))
      throw Error(ExitCode::no_input, s.place,
                  fmt::format("{}: no file {}", row.key, s.resolved));
    std::string msg = fmt::format("{}: no bundled program {} (no file {})", row.key,
                                  quote(s.text), s.resolved);
    std::vector<std::string> known = bundled_programs();
    std::optional<std::string> guess;
    size_t best = std::max<size_t>(2, s.text.size() / 3) + 1;
    for (const auto& name : known) {
      size_t d = edit_distance(lower(s.text), lower(name));
      if (d < best) {
        best = d;
        guess = name;
      }
    }
    if (guess)
      msg += fmt::format("; did you mean {}?", quote(*guess));
    else if (!known.empty())
      msg += "; bundled programs are " + join(known, ", ");
    else
      msg += "; is the firmware built?";
    throw Error(ExitCode::no_input, s.place, msg);
  }

  Config& config_;
  std::map<std::string, Setting> set_;
};

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

void apply_overrides(Loader& loader, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) {
    Source src{"--set " + o.text, fs::path(), false};
    size_t eq = o.text.find('=');
    std::string key = eq == std::string::npos ? std::string() : trim(o.text.substr(0, eq));
    if (key.empty())
      throw Error(ExitCode::bad_input, Place{src.file},
                  "expected section.key=value, e.g. --set machine.harts=4");
    std::string text = o.text.substr(eq + 1);
    // The value is TOML if it parses as one value (4, "x", [1, 2], {a = 1}),
    // otherwise the text itself as a string, so --set firmware.program=hello works.
    toml::table parsed;
    bool is_toml = false;
    try {
      parsed = toml::parse("v = " + text);
      is_toml = parsed.size() == 1 && parsed.contains("v");
    } catch (const toml::parse_error&) {
    }
    if (is_toml) {
      loader.apply(key, *parsed.get("v"), Place{src.file}, src);
    } else {
      toml::value<std::string> bare(trim(text));
      loader.apply(key, bare, Place{src.file}, src);
    }
  }
}

}  // namespace

namespace {

KeyInfo key_info(const Row& row, const std::string& key, const Config& defaults) {
  KeyInfo info;
  info.key = key;
  switch (row.kind) {
    case Kind::integer: info.type = "integer"; break;
    case Kind::strings: info.type = "array of strings"; break;
    case Kind::tables: info.type = "array of tables"; break;
    default: info.type = "string"; break;
  }
  info.default_value = row.is_required ? std::string() : row.show(defaults);
  info.unit = row.unit;
  info.accepts = accepts(row);
  info.help = row.help;
  info.required = row.is_required;
  return info;
}

}  // namespace

const std::vector<KeyInfo>& config_keys() {
  static const std::vector<KeyInfo> keys = [] {
    const Config defaults;
    std::vector<KeyInfo> out;
    for (const Row& row : rows()) {
      out.push_back(key_info(row, row.key, defaults));
      // An array of tables' keys: "irq_source[].line", defaults of a fresh element.
      if (row.kind == Kind::tables)
        for (const Row& field : row.elements->fields)
          out.push_back(key_info(field, row.key + "[]." + field.key, defaults));
    }
    return out;
  }();
  return keys;
}

Config load_config(const std::string& path, const std::vector<Override>& overrides) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw Error(ExitCode::no_input, Place{path}, "is a directory, not a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::no_input, Place{path}, "cannot read: no such file or no permission");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::no_input, Place{path}, "cannot read");

  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw Error(ExitCode::bad_input, Place{path, at.line, at.column}, std::string(e.description()));
  }

  Config config;
  config.source = path;
  Loader loader(config);
  Source src{path, fs::path(path).parent_path(), true};
  loader.apply_table(root, "", src);
  apply_overrides(loader, overrides);
  loader.finish(Place{path}, true);
  return config;
}

Config config_for_elf(const std::string& elf_path, const std::vector<Override>& overrides) {
  std::error_code ec;
  fs::file_status st = fs::status(elf_path, ec);
  if (!fs::exists(st)) throw Error(ExitCode::no_input, Place{elf_path}, "no such file");
  if (fs::is_directory(st))
    throw Error(ExitCode::no_input, Place{elf_path}, "is a directory, not an ELF file");

  Config config;
  config.source = elf_path;
  config.firmware = elf_path;
  Loader loader(config);
  apply_overrides(loader, overrides);
  loader.finish(Place{elf_path}, false);
  return config;
}

std::string firmware_dir() {
  const char* dir = std::getenv("SPINLAB_FIRMWARE_DIR");
  return dir && *dir ? dir : SPINLAB_FIRMWARE_DIR;
}

std::string config_dir() {
  const char* dir = std::getenv("SPINLAB_CONFIG_DIR");
  return dir && *dir ? dir : SPINLAB_CONFIG_DIR;
}

std::string docs_dir() {
  const char* dir = std::getenv("SPINLAB_DOCS_DIR");
  return dir && *dir ? dir : SPINLAB_DOCS_DIR;
}

}  // namespace spinlab

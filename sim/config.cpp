// Config files, --set overrides and the one table of keys that drives both.
//
// Each key is one row in rows(): its name, what it accepts (the check), unit,
// help text and the Config field it stores into. The default is whatever the
// typed structs in config.h hold, so there is no second list of defaults to
// keep in step. Parsing, --set, error messages, unknown-key suggestions,
// config_keys() (for --help) and the docs/config.md test all read this table.
#include "sim/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/error.h"

#ifndef SPINLAB_FIRMWARE_DIR
#define SPINLAB_FIRMWARE_DIR ""
#endif
#ifndef SPINLAB_CONFIG_DIR
#define SPINLAB_CONFIG_DIR ""
#endif

namespace spinlab {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
// A cost or latency beyond a million cycles is a typo, not a model.
constexpr int64_t kMaxCostCycles = 1'000'000;

enum class Kind {
  integer,  // a TOML integer in [min, max], a multiple of multiple_of
  choice,   // a TOML string, one of choices; stored as the enum value of its index
  program,  // a TOML string naming the firmware ELF; stored resolved
};

// A value that passed its row's check, ready to store.
struct Value {
  int64_t integer = 0;
  size_t choice = 0;
  std::string text;  // for Kind::program: the resolved path
};

struct Row {
  std::string key;
  Kind kind = Kind::integer;
  std::string unit;
  std::string help;
  int64_t min = 0;
  int64_t max = 0;
  int64_t multiple_of = 1;
  std::vector<std::string> choices;
  bool required = false;  // must appear in a config file
  std::function<void(Config&, const Value&)> store;
  std::function<std::string(const Config&)> show;  // the field as TOML text
};

// `field` is a generic lambda naming the member: [](auto& c) -> auto& { return c.x.y; }
template <typename Field>
Row integer(std::string key, int64_t min, int64_t max, std::string unit, std::string help,
            Field field, int64_t multiple_of = 1) {
  using T = std::remove_reference_t<decltype(field(std::declval<Config&>()))>;
  static_assert(std::is_unsigned_v<T>, "integer keys store into unsigned fields");
  Row row;
  row.key = std::move(key);
  row.kind = Kind::integer;
  row.unit = std::move(unit);
  row.help = std::move(help);
  row.min = min;
  // The check never admits a value the field cannot hold.
  row.max = int64_t(std::min<uint64_t>(uint64_t(max), std::numeric_limits<T>::max()));
  row.multiple_of = multiple_of;
  row.store = [field](Config& c, const Value& v) { field(c) = static_cast<T>(v.integer); };
  row.show = [field](const Config& c) { return std::to_string(field(c)); };
  return row;
}

// `names` lists the enum's values in declaration order (index == value).
template <typename Field>
Row choice(std::string key, std::vector<std::string> names, std::string help, Field field) {
  using E = std::remove_reference_t<decltype(field(std::declval<Config&>()))>;
  static_assert(std::is_enum_v<E>, "choice keys store into enum fields");
  Row row;
  row.key = std::move(key);
  row.kind = Kind::choice;
  row.help = std::move(help);
  row.choices = std::move(names);
  row.store = [field](Config& c, const Value& v) { field(c) = static_cast<E>(v.choice); };
  row.show = [field, names = row.choices](const Config& c) {
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
  row.required = true;
  row.store = [field](Config& c, const Value& v) { field(c) = v.text; };
  row.show = [](const Config&) { return std::string(); };
  return row;
}

// The keys. Adding a key is adding one row here (and its field in config.h).
const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      integer("machine.harts", 1, 64, "", "Number of harts (cores); each starts at the ELF entry with a0 = mhartid.",
              [](auto& c) -> auto& { return c.machine.harts; }),
      integer("machine.clock_hz", 1, kNoMax, "Hz", "Machine clock frequency: one cycle is 1/clock_hz seconds of simulated time.",
              [](auto& c) -> auto& { return c.machine.clock_hz; }),
      integer("machine.ram_bytes", 4096, 1 << 30, "bytes", "RAM size at 0x80000000, from 4 KiB to 1 GiB in whole 4 KiB pages.",
              [](auto& c) -> auto& { return c.machine.ram_bytes; }, 4096),
      choice("machine.misaligned", {"trap", "emulate"}, "A misaligned load or store: \"trap\" raises the misaligned exception, \"emulate\" performs the access.",
             [](auto& c) -> auto& { return c.machine.misaligned; }),

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

      integer("run.max_cycles", 1, kNoMax, "cycles", "Stop the run (exit code 124) when this many cycles have passed.",
              [](auto& c) -> auto& { return c.run.max_cycles; }),
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

// What a row's check accepts, as the object of "expected ...".
std::string accepts(const Row& row) {
  switch (row.kind) {
    case Kind::integer:
      if (row.multiple_of > 1)
        return fmt::format("a multiple of {} from {} to {}", row.multiple_of, row.min, row.max);
      if (row.max == kNoMax)
        return row.min == 1 ? "a positive integer" : fmt::format("an integer of at least {}", row.min);
      return fmt::format("an integer from {} to {}", row.min, row.max);
    case Kind::choice: {
      std::vector<std::string> quoted;
      for (const auto& c : row.choices) quoted.push_back(quote(c));
      return "one of " + join(quoted, ", ");
    }
    case Kind::program:
      return "a bundled program's name or a path to an ELF file";
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

// The known key or table the user most likely meant by `unknown`, if any is
// close: a small edit of the whole name, the same leaf in another table
// (`harts` at the top level for `machine.harts`), or a truncated leaf
// (`machine.ram` for `machine.ram_bytes`).
std::optional<std::string> nearest(std::string_view unknown, bool unknown_is_table) {
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
  for (const Row& row : rows()) consider(row.key, false);
  for (const std::string& t : tables()) consider(t, true);
  return best;
}

std::string unknown_message(const std::string& key, bool is_table_node) {
  std::string msg = fmt::format("unknown {} `{}`", is_table_node ? "table" : "key", key);
  if (auto guess = nearest(key, is_table_node)) return msg + fmt::format("; did you mean `{}`?", *guess);
  // No close match: say what the nearest known enclosing table holds.
  std::string_view table = parent_of(key);
  while (!table.empty() && !is_table(table)) table = parent_of(table);
  if (table.empty()) return msg + "; the tables are " + join(children_of(""), ", ");
  return msg + fmt::format("; [{}] has {}", table, join(children_of(table), ", "));
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
    if (const Row* row = find_row(name)) {
      store(*row, node, value_place, src);
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
    throw Error(ExitCode::bad_input, key_place, unknown_message(name, node.is_table()));
  }

  // After every source: required keys are present (in a config file; an ELF
  // run directly needs none), and the files keys name exist.
  void finish(const Place& file_place, bool in_config_file) {
    for (const Row& row : rows()) {
      auto it = set_.find(row.key);
      if (it == set_.end()) {
        if (row.required && in_config_file) {
          std::string example = row.kind == Kind::program
                                    ? fmt::format(", e.g. [{}] {} = \"hello\"", parent_of(row.key), leaf_of(row.key))
                                    : "";
          throw Error(ExitCode::bad_input, file_place,
                      fmt::format("missing key `{}`: {}{}", row.key, accepts(row), example));
        }
        continue;
      }
      if (row.kind == Kind::program) check_program(row, it->second);
    }
  }

 private:
  struct Setting {
    Place place;
    std::string text;      // as written
    std::string resolved;  // Kind::program: the path it names
  };

  static Place place(const Source& src, const toml::source_region& region,
                     const Place& fallback = Place{}) {
    if (!src.from_toml) return Place{src.file};
    if (region.begin.line == 0) return fallback.file.empty() ? Place{src.file} : fallback;
    return Place{src.file, region.begin.line, region.begin.column};
  }

  void store(const Row& row, const toml::node& node, const Place& where, const Source& src) {
    auto fail = [&](const std::string& got) -> Error {
      return Error(ExitCode::bad_input, where,
                   fmt::format("{}: expected {}, got {}", row.key, accepts(row), got));
    };
    Value value;
    Setting setting{where, {}, {}};
    switch (row.kind) {
      case Kind::integer: {
        auto v = node.as_integer();
        if (!v) throw fail(type_and_value(node));
        int64_t n = v->get();
        if (n < row.min || n > row.max || n % row.multiple_of != 0) throw fail(value_text(node));
        value.integer = n;
        setting.text = value_text(node);
        break;
      }
      case Kind::choice: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        auto it = std::find(row.choices.begin(), row.choices.end(), v->get());
        if (it == row.choices.end()) throw fail(value_text(node));
        value.choice = size_t(it - row.choices.begin());
        setting.text = v->get();
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
    }
    row.store(config_, value);
    set_[row.key] = std::move(setting);
  }

  static std::string resolve_program(const std::string& text, const fs::path& base_dir) {
    if (is_bundled_name(text)) return (fs::path(firmware_dir()) / (text + ".elf")).string();
    fs::path p(text);
    if (p.is_relative()) p = base_dir / p;
    return p.lexically_normal().string();
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

const std::vector<KeyInfo>& config_keys() {
  static const std::vector<KeyInfo> keys = [] {
    const Config defaults;
    std::vector<KeyInfo> out;
    for (const Row& row : rows()) {
      KeyInfo info;
      info.key = row.key;
      info.type = row.kind == Kind::integer ? "integer" : "string";
      info.default_value = row.show(defaults);
      info.unit = row.unit;
      info.accepts = accepts(row);
      info.help = row.help;
      info.required = row.required;
      out.push_back(std::move(info));
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

}  // namespace spinlab

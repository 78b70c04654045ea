// The config loader: config files and --set overrides, read against the
// one table of keys (rows(), in sim/load/config_table.cpp) that drives both.
//
// Each key is one row in rows(): its name, what it accepts (the check), unit,
// help text and the Config field it stores into. The default is whatever the
// typed structs in config.h hold, so there is no second list of defaults to
// keep in step. Parsing, --set, error messages, unknown-key suggestions,
// config_keys() (for --help) and the docs/config.md test all read this table.
// An array of tables ([[irq_source]]) is one row holding the rows of one
// element's keys, declared the same way against the element's struct; the
// element's default is that struct's default.
//
// The Loader walks a table; apply() sends each key to what reads it
// ([firmware.params], a row, an array of tables' row, a table); finish()
// runs the checks that need every source read, one per kind of row.
#include "sim/load/config_loader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/cli/suggest.h"
#include "sim/load/config_table.h"
#include "sim/load/devices.h"
#include "sim/load/error.h"
#include "sim/load/files.h"

namespace spinlab {

namespace fs = std::filesystem;

using namespace config_table;  // the key table: sim/load/config_table.h

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
    const size_t limit = max_typo_edits(u_leaf);
    size_t d = std::min(edit_distance_within(u, c, limit),
                        edit_distance_within(u_leaf, c_leaf, limit) + (u_parent == c_parent ? 0 : 1));
    if (u_parent == c_parent && u_leaf.size() >= 2 &&
        (c_leaf.substr(0, u_leaf.size()) == u_leaf || u_leaf.substr(0, c_leaf.size()) == c_leaf))
      d = std::min<size_t>(d, 1);
    if (d > limit) return;
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
    out.push_back({"device", true});  // [[device]], read apart (sim/load/devices.h)
    return out;
  }();
  return names;
}

std::string unknown_message(const std::string& key, bool is_table_node) {
  std::string msg = fmt::format("unknown {} `{}`", is_table_node ? "table" : "key", shown_name(key));
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
  std::string msg = fmt::format("unknown {} `{}`", is_table_node ? "table" : "key", shown_name(key));
  if (auto guess = nearest(key, is_table_node, fields)) return msg + fmt::format("; did you mean `{}`?", *guess);
  return msg + fmt::format("; [[{}]] has {}", array.key, element_keys(array));
}

bool is_bundled_name(std::string_view program) {
  const std::string_view suffix = ".elf";
  bool elf_suffix = program.size() >= suffix.size() && program.substr(program.size() - suffix.size()) == suffix;
  return program.find('/') == std::string_view::npos && !elf_suffix;
}

// [firmware.params]: the one table whose keys are the user's own names.
const std::string kParams = "firmware.params";
// What a param's value may be, worded as an integer key's check (accepts()).
constexpr const char* kParamAccepts = "an integer from 0 to 4294967295 (a 32-bit word)";

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

  void apply(const std::string& name, const toml::node& node, const Place& key_place, const Source& src) {
    const Place value_place = place(src, node.source(), key_place);
    if (name == kParams || name.compare(0, kParams.size() + 1, kParams + ".") == 0) {
      apply_param(name, node, key_place, value_place, src);
      return;
    }
    if (name == "device") {  // [[device]]: open keys, read apart (sim/load/devices.h)
      config_.devices = read_devices(node, value_place, src.file, src.base_dir.string(), src.from_toml);
      return;
    }
    if (name.rfind("device.", 0) == 0) {  // --set device.NAME.KEY (sim/load/devices.h)
      set_device_key(config_.devices, name, node, key_place);
      return;
    }
    if (const Row* row = find_row(name)) {
      if (row->kind == Kind::tables) store_elements(*row, node, value_place, src);
      else store(*row, name, node, value_place, src, 0);
      return;
    }
    if (is_table(name)) {
      if (const toml::table* t = node.as_table()) {
        apply_table(*t, name, src);
        return;
      }
      throw Error(ExitCode::bad_input, value_place,
                  fmt::format("{}: expected a table with keys {}, got {}", name, join(children_of(name), ", "),
                              type_and_value(node)));
    }
    // Only --set names a key inside an array of tables: in a file, the
    // array's elements are read by store_elements.
    if (const Row* array = array_holding(name))
      throw Error(ExitCode::bad_input, key_place,
                  fmt::format("{}: --set cannot change a key of one [[{}]] table; edit the config file, or "
                              "replace the whole array: --set '{}=[{{ ... }}, ...]'",
                              name, array->key, array->key));
    const bool is_table_node = node.is_table() || node.is_array_of_tables();
    // `timer_phase` or `firmware.param.timer_phase` for a param the config
    // declares: when no key is near, the key it meant is that param's.
    std::vector<std::string> params = param_guesses(name);
    if (!params.empty() && !nearest(name, is_table_node, top_level_names()))
      throw Error(ExitCode::bad_input, key_place, fmt::format("unknown key `{}`{}", name, did_you_mean(params)));
    throw Error(ExitCode::bad_input, key_place, unknown_message(name, is_table_node));
  }

  // The keys of the params declared so far ([[scenario.param]], and
  // [firmware.params] set) nearest to the unknown key `name`, whole or by
  // its last part.
  std::vector<std::string> param_guesses(const std::string& name) const {
    std::vector<std::string> keys, leaves;
    for (const ScenarioParam& p : config_.scenario.params) leaves.push_back(p.name);
    for (const auto& entry : config_.firmware_params) leaves.push_back(entry.first);
    for (const std::string& leaf : leaves) keys.push_back(kParams + "." + leaf);
    std::vector<std::string> guesses = nearest_names(name, keys);
    if (!guesses.empty()) return guesses;
    for (const std::string& leaf : nearest_names(leaf_of(name), leaves)) guesses.push_back(kParams + "." + leaf);
    return guesses;
  }

  // A param's value is within the range its [[scenario.param]] declares,
  // checked after every source: the declaration may come after the value.
  void check_param_ranges() const {
    for (const ScenarioParam& p : config_.scenario.params) {
      auto it = config_.firmware_params.find(p.name);
      if (it == config_.firmware_params.end() || (it->second >= p.min && it->second <= p.max)) continue;
      throw Error(ExitCode::bad_input, config_.firmware_param_places.at(p.name),
                  fmt::format("{}.{}: expected an integer from {} to {} (its [[scenario.param]] range), got {}",
                              kParams, p.name, p.min, p.max, it->second));
    }
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
    check_param_ranges();
    check_time_range(file_place);
    check_devices(config_);
  }

  // SystemC counts simulated time in picoseconds, in 63 bits: a run's last
  // cycle must fall inside them (2^63 ps is 106 days; at 1 Hz, 9223372
  // cycles), or the clock cannot reach it and the run never ends.
  void check_time_range(const Place& file_place) const {
    const uint64_t period_ps = cycle_picoseconds(config_.machine.clock_hz);
    const uint64_t most = static_cast<uint64_t>(INT64_MAX) / period_ps;
    if (config_.run.max_cycles <= most) return;
    auto it = set_.find("run.max_cycles");
    if (it == set_.end()) it = set_.find("machine.clock_hz");
    throw Error(ExitCode::bad_input, it == set_.end() ? file_place : it->second.place,
                fmt::format("run.max_cycles: {} cycles of {} ps (machine.clock_hz = {}) pass the 2^63 ps SystemC's "
                            "time can count; at most {} cycles at this clock",
                            config_.run.max_cycles, period_ps, config_.machine.clock_hz, most));
  }

 private:
  struct Setting {
    Place place;
    std::string shown;     // the value as TOML ("5", "\"nic\""), for messages
    std::string text;      // program, path: the string as written
    std::string resolved;  // program, path: the file it names
    int64_t integer = 0;   // integer: the value
  };

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
  // checked when the ELF is loaded); the value is the word's, a uint32 of
  // the firmware (FIRMWARE_PARAM), so a negative one is refused rather than
  // written as its two's complement.
  void apply_param(const std::string& name, const toml::node& node, const Place& key_place, const Place& value_place,
                   const Source& src) {
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
    if (!v)
      throw Error(ExitCode::bad_input, value_place,
                  fmt::format("{}: expected {}, got {}", name, kParamAccepts, type_and_value(node)));
    if (v->get() < 0 || v->get() > int64_t(UINT32_MAX))
      throw Error(ExitCode::bad_input, value_place,
                  fmt::format("{}: expected {}, got {}", name, kParamAccepts, value_text(node)));
    config_.firmware_params[leaf] = v->get();
    config_.firmware_param_places[leaf] = key_place;
  }

  // Stores `node` as the value of `row`, called `key` in messages and in
  // set_ ("irq_source[2].line" for a key of an element).
  void store(const Row& row, const std::string& key, const toml::node& node, const Place& where, const Source& src,
             size_t element) {
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
        if (v->get().find('\0') != std::string::npos) throw fail(value_text(node) + ", a file name holding a NUL");
        setting.text = v->get();
        setting.resolved = resolve_program(v->get(), src.base_dir);
        value.text = setting.resolved;
        break;
      }
      case Kind::path: {
        auto v = node.as_string();
        if (!v) throw fail(type_and_value(node));
        if (v->get().find('\0') != std::string::npos) throw fail(value_text(node) + ", a file name holding a NUL");
        setting.text = v->get();
        setting.resolved = v->get().empty() ? std::string() : resolve_path(v->get(), src.base_dir);
        value.text = setting.resolved;
        break;
      }
      case Kind::text: {
        if (auto v = node.as_string()) {
          value.text = v->get();
        } else if (auto i = node.as_integer(); i && row.integer_text) {
          value.text = std::to_string(i->get());
        } else {
          throw fail(type_and_value(node));
        }
        if (auto got = row.check_item(value.text)) throw fail(*got);
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
      case Kind::tables: throw Error(ExitCode::internal, where, key + ": an array of tables inside an array of tables");
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
        throw Error(
            ExitCode::bad_input, item_place,
            fmt::format("{}: expected a table with keys {}, got {}", name, element_keys(row), type_and_value(item)));
      if (i >= elements.max_count)
        throw Error(ExitCode::bad_input, item_place,
                    fmt::format("{}: too many [[{}]] tables: {}, at most {}", name, row.key, array->size(),
                                elements.max_count));
      elements.append(config_);
      set_[name] = Setting{item_place, {}, {}, {}, 0};
      for (const auto& [k, value] : *table) {
        const std::string key = name + "." + std::string(k.str());
        const Place key_place = place(src, k.source(), item_place);
        const std::string_view leaf = k.str();  // a lambda cannot capture a structured binding (C++17)
        auto field =
            std::find_if(elements.fields.begin(), elements.fields.end(), [&](const Row& f) { return f.key == leaf; });
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
            throw Error(ExitCode::bad_input, element.place, fmt::format("missing key `{}`: {}", key, accepts(field)));
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
      throw Error(
          ExitCode::bad_input, s.place,
          fmt::format("{}.{}: {} is already the {} of {}{}; each [[{}]] needs its own {}", element_name(array.key, i),
                      field.key, s.shown, field.key, element_name(array.key, j), at, array.key, field.key));
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

  // A file spinlab will write: its directory must exist, and it must not be
  // one. An output that cannot be written is 66 wherever it is named.
  static void check_output(const Row& row, const Setting& s) {
    if (s.resolved.empty()) return;
    std::error_code ec;
    if (fs::is_directory(s.resolved, ec))
      throw Error(ExitCode::no_input, s.place,
                  fmt::format("{}: {} is a directory; name a file to write", row.key, s.resolved));
    fs::path dir = fs::path(s.resolved).parent_path();
    if (!dir.empty() && !fs::is_directory(dir, ec))
      throw Error(ExitCode::no_input, s.place,
                  fmt::format("{}: no directory {} to write {} in", row.key, dir.string(),
                              fs::path(s.resolved).filename().string()));
  }

  static void check_program(const Row& row, const Setting& s) {
    std::error_code ec;
    fs::file_status st = fs::status(s.resolved, ec);
    if (fs::is_regular_file(st)) return;
    // Something that is there but no file (a directory, /dev/null, a FIFO,
    // a link loop) is named as what it is, and cannot be read: 66, as for a TARGET.
    if (something_at(s.resolved))
      throw Error(ExitCode::no_input, s.place,
                  fmt::format("{}: {} {}", row.key, s.resolved, not_a_regular_file(s.resolved, "an ELF file")));
    if (!is_bundled_name(s.text))
      throw Error(ExitCode::no_input, s.place, fmt::format("{}: no file {}", row.key, s.resolved));
    std::string msg = fmt::format("{}: no bundled program {} (no file {})", row.key, quote(s.text), s.resolved);
    std::vector<std::string> known = bundled_programs();
    if (std::vector<std::string> guesses = nearest_names(s.text, known); !guesses.empty()) msg += did_you_mean(guesses);
    else if (!known.empty()) msg += "; bundled programs are " + join(known, ", ");
    else msg += "; is the firmware built?";
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
    Source src{o.shown.empty() ? "--set " + o.text : o.shown, fs::path(), false};
    size_t eq = o.text.find('=');
    std::string key = eq == std::string::npos ? std::string() : trim(o.text.substr(0, eq));
    if (key.empty())
      throw Error(ExitCode::bad_input, Place{src.file}, "expected section.key=value, e.g. --set machine.harts=4");
    std::string text = o.text.substr(eq + 1);
    // The value is TOML if it parses as one value (4, "x", [1, 2], {a = 1}),
    // otherwise the text itself as a string, so --set firmware.program=hello works.
    toml::table parsed;
    bool is_toml = false;
    try {
      parsed = toml::parse("v = " + text);
      is_toml = parsed.size() == 1 && parsed.contains("v");
    } catch (const toml::parse_error& e) {
      // A number TOML cannot hold (past 64 bits) is that, not a string.
      const std::string value = trim(text);
      const size_t digits = value.find_first_not_of("+-") == 1 ? 1 : 0;
      if (value.size() > digits && value.find_first_not_of("0123456789_", digits) == std::string::npos)
        throw Error(ExitCode::bad_input, Place{src.file}, fmt::format("{}: {}", key, e.description()));
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

void config_table::load_into(Config& config, const toml::table* root, const Source& file,
                             const std::vector<Override>& overrides) {
  Loader loader(config);
  if (root) loader.apply_table(*root, "", file);
  apply_overrides(loader, overrides);
  loader.finish(Place{file.file}, root != nullptr);
}

}  // namespace spinlab

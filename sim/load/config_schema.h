// The config schema framework: what a key is (its kind, range, unit, help
// and the field it stores into), builders that declare one key as one
// expression, where a value came from (for the place of an error), and the
// words messages use for keys and values. The key table
// (sim/load/config_table.cpp) declares every key with it; the loader
// (sim/load/config_loader.cpp) checks files and --set against it. Private
// to sim/load/config*.cpp and a table of keys declared elsewhere (a
// [[device]] table: a Row built with tables<E>() below).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "sim/load/config.h"
#include "sim/load/error.h"

namespace spinlab::config_table {

// An integer key's max when any non-negative int64 will do.
constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();

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
  std::string max_key;           // integer: also at most the final value of this top-level integer key
  std::vector<std::string> choices;
  std::string item_accepts;  // text, strings: what one string must be
  bool integer_text = false;  // text: a TOML integer is taken as its decimal text (run.gdb = 1234)
  // text, strings: nullopt when `s` is fine, else what the user gave ("an empty string").
  std::function<std::optional<std::string>(const std::string& s)> check_item;
  bool is_required = false;                  // must appear in a config file (in an array of tables: in each element)
  bool is_unique = false;                    // in an array of tables: no two elements have the same value
  std::shared_ptr<const Elements> elements;  // tables
};

// A key and the field of a Target (the Config, or one element of an array of
// tables) it stores into.
template <typename Target>
struct BasicRow : Key {
  std::function<void(Target&, const Value&)> store;
  std::function<std::string(const Target&)> show;  // the field as TOML text
  std::function<int64_t(const Target&)> number;    // integer: the field's value

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
  BasicRow or_integer() && {
    integer_text = true;
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

// Where a value came from: a config file (paths are relative to its
// directory) or a --set on the command line (relative to the current one).
struct Source {
  std::string file;  // for places: the config path, or "--set <text>"
  std::filesystem::path base_dir;
  bool from_toml = true;  // places carry line:col
};

// The place of an error about a node read from `src`: its line and column
// in a file, the --set itself, or `fallback` for a node toml++ made up.
Place place(const Source& src, const toml::source_region& region, const Place& fallback = Place{});

// Names and words for messages.
// "machine.latency.ram" -> "machine.latency" and "ram".
std::string_view parent_of(std::string_view key);
std::string_view leaf_of(std::string_view key);
std::string join(const std::vector<std::string>& items, std::string_view sep);
std::string quote(std::string_view text);
// An array of tables' element keys, and what a row accepts, for messages.
std::string element_keys(const Row& row);
std::string accepts(const Row& row);
// A TOML value as a message shows it: its text, and its type with it.
std::string value_text(const toml::node& node);
std::string type_and_value(const toml::node& node);
std::string lower(std::string_view s);

// Row builders, one per kind.
// The type a field accessor reaches in a Target.
template <typename Target, typename Field>
using FieldOf = std::remove_reference_t<decltype(std::declval<Field>()(std::declval<Target&>()))>;

// `field` is a generic lambda naming the member: [](auto& c) -> auto& { return c.x.y; }
template <typename Target = Config, typename Field>
BasicRow<Target> integer(std::string key, int64_t min, int64_t max, std::string unit, std::string help, Field field,
                         int64_t multiple_of = 1) {
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
  row.show = [field](const Config& c) { return quote(field(c)); };  // the resolved path
  return row;
}

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
// `check` (optional) is a rule across one element's keys (and the rest of
// the config, read after every key is set).
template <typename E, typename Records>
Row tables(std::string key, size_t max_count, std::string help, Records records, std::vector<BasicRow<E>> fields,
           std::function<std::optional<Complaint>(const Config&, const E&)> check = nullptr) {
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
  if (check) elements->check = [records, check](const Config& c, size_t i) { return check(c, records(c).at(i)); };

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

}  // namespace spinlab::config_table

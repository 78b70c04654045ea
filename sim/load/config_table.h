// The table of config keys (private to sim/config*.cpp): what a row is,
// every row (rows()), and the helpers that name keys, tables and values in
// messages. sim/load/config.cpp reads files and --set overrides against it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "sim/load/config.h"

namespace spinlab::config_table {

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


// Every key, in the order docs/config.md lists them.
const std::vector<Row>& rows();
// The row of a top-level key ("machine.harts"), or nullptr.
const Row* find_row(std::string_view key);
// "machine.latency.ram" -> "machine.latency" and "ram".
std::string_view parent_of(std::string_view key);
std::string_view leaf_of(std::string_view key);
// Every table name ("machine", "machine.latency", ...), and what is in one.
const std::vector<std::string>& tables();
bool is_table(std::string_view name);
std::vector<std::string> children_of(std::string_view table);
std::string join(const std::vector<std::string>& items, std::string_view sep);
std::string quote(std::string_view text);
// An array of tables' element keys, and what a row accepts, for messages.
std::string element_keys(const Row& row);
std::string accepts(const Row& row);
// A TOML value as a message shows it: its text, and its type with it.
std::string value_text(const toml::node& node);
std::string type_and_value(const toml::node& node);
std::string lower(std::string_view s);

}  // namespace spinlab::config_table

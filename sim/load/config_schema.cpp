// The config schema framework's words for messages and places of errors
// (sim/load/config_schema.h).
#include "sim/load/config_schema.h"

#include <sstream>

#include <fmt/format.h>

namespace spinlab::config_table {

Place place(const Source& src, const toml::source_region& region, const Place& fallback) {
  if (!src.from_toml) return Place{src.file};
  if (region.begin.line == 0) return fallback.file.empty() ? Place{src.file} : fallback;
  return Place{src.file, region.begin.line, region.begin.column};
}

std::string_view parent_of(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : key.substr(0, dot);
}

std::string_view leaf_of(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
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
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", int(c));
        else out += c;
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
      if (row.multiple_of > 1) return fmt::format("a multiple of {} from {} to {}", row.multiple_of, row.min, row.max);
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
    case Kind::program: return "a bundled program's name or a path to an ELF file";
    case Kind::path: return "a file path, or \"\" for none";
    case Kind::text: return row.item_accepts;
    case Kind::strings: return "an array of strings, each " + row.item_accepts;
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

}  // namespace spinlab::config_table

// A config's public face (sim/load/config.h): reading a config file or
// making the default one for an ELF, and the list of keys --help prints.
// The schema framework is sim/load/config_schema.*, the key table
// sim/load/config_table.*, the loader sim/load/config_loader.*.
#include "sim/load/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/load/config_loader.h"
#include "sim/load/config_table.h"
#include "sim/load/error.h"
#include "sim/load/files.h"

namespace spinlab {

namespace fs = std::filesystem;

using namespace config_table;  // the key table: sim/load/config_table.h

namespace {

// toml++ parses a dotted key (a.b.c, or a [table] header's) by recursion, a
// level a part: tens of thousands of parts overflow the stack. No key of a
// config has more than four, so a run of more than kMaxKeyDots dots joined
// by bare or quoted keys is refused before the parse. Returns the first dot
// of such a run, or nothing. Strings and comments are skipped as TOML reads
// them; a float (1.5) or a date is a run of one dot at most.
constexpr size_t kMaxKeyDots = 1000;

std::optional<toml::source_position> overlong_dotted_key(std::string_view text) {
  toml::source_position at{1, 1}, first{1, 1};
  size_t dots = 0;
  size_t i = 0;
  auto advance = [&] {
    if (text[i] == '\n') at.line++, at.column = 1;
    else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) at.column++;  // UTF-8: a column a code point
    ++i;
  };
  auto opens = [&](std::string_view q) { return text.substr(i, q.size()) == q; };
  // Skips a string that starts at i, with `quote` its opening and closing.
  auto skip_string = [&](std::string_view quote, bool escapes, bool multiline) {
    for (size_t k = 0; k < quote.size(); ++k) advance();
    while (i < text.size() && !opens(quote) && (multiline || text[i] != '\n')) {
      if (escapes && text[i] == '\\' && i + 1 < text.size()) advance();
      advance();
    }
    for (size_t k = 0; k < quote.size() && i < text.size(); ++k) advance();
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      skip_string(opens("\"\"\"") ? "\"\"\"" : "\"", true, opens("\"\"\""));
    } else if (c == '\'') {
      skip_string(opens("'''") ? "'''" : "'", false, opens("'''"));
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') advance();
    } else if (c == '.') {
      if (dots++ == 0) first = at;
      if (dots > kMaxKeyDots) return first;
      advance();
    } else {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ' ' || c == '\t')) dots = 0;
      advance();
    }
  }
  return std::nullopt;
}

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
  require_regular_file(path, "a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::no_input, Place{path}, "cannot read: no such file or no permission");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::no_input, Place{path}, "cannot read");

  if (auto at = overlong_dotted_key(text.str()))
    throw Error(ExitCode::bad_input, Place{path, at->line, at->column},
                fmt::format("a dotted key of more than {} parts (a config's keys have at most four)", kMaxKeyDots + 1));
  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw Error(ExitCode::bad_input, Place{path, at.line, at.column}, std::string(e.description()));
  }

  Config config;
  config.source = path;
  load_into(config, &root, Source{path, fs::path(path).parent_path(), true}, overrides);
  return config;
}

Config config_for_elf(const std::string& elf_path, const std::vector<Override>& overrides) {
  require_regular_file(elf_path, "an ELF file");

  Config config;
  config.source = elf_path;
  config.firmware = elf_path;
  load_into(config, nullptr, Source{elf_path, fs::path(), false}, overrides);
  return config;
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

}  // namespace spinlab
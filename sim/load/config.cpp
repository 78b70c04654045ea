// A config's public face (sim/load/config.h): reading a config file or
// making the default one for an ELF, and the list of keys --help prints.
// The schema framework is sim/load/config_schema.*, the key table
// sim/load/config_table.*, the loader sim/load/config_loader.*.
#include "sim/load/config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <toml++/toml.h>

#include "sim/load/config_loader.h"
#include "sim/load/config_table.h"
#include "sim/load/error.h"
#include "sim/load/files.h"

namespace spinlab {

namespace fs = std::filesystem;

using namespace config_table;  // the key table: sim/load/config_table.h

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
  require_regular_file(path, "a config file");
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
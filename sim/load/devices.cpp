// [[device]] tables (devices.h): read one by one, checked as the key table's
// rows are (one line naming the key's place, exit code 65; 66 for a
// missing plugin file), with the params kept as text for the plugin.
#include "sim/load/devices.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "sim/load/config.h"
#include "sim/load/config_table.h"
#include "sim/load/files.h"
#include "sim/cli/suggest.h"

namespace spinlab {

namespace fs = std::filesystem;
using config_table::join;
using config_table::type_and_value;
using config_table::value_text;

namespace {

// The table's own keys; every other key is a param.
constexpr std::string_view kOwnKeys[] = {"name", "plugin", "base", "size", "irq"};

bool own_key(std::string_view leaf) {
  return std::find(std::begin(kOwnKeys), std::end(kOwnKeys), leaf) != std::end(kOwnKeys);
}

struct Reader {
  const std::string& file;
  const fs::path base_dir;
  bool has_lines;

  Place place(const toml::node& node, const Place& fallback) const {
    const auto& at = node.source().begin;
    if (!has_lines || at.line == 0) return fallback;
    return Place{file, at.line, at.column};
  }

  // An integer in [min, max], a multiple of `align`.
  uint64_t integer(const std::string& key, const toml::node& node, const Place& at, int64_t min, int64_t max,
                   int64_t align, const std::string& accepts) const {
    auto v = node.as_integer();
    if (!v)
      throw Error(ExitCode::bad_input, at, fmt::format("{}: expected {}, got {}", key, accepts, type_and_value(node)));
    const int64_t n = v->get();
    if (n < min || n > max || n % align != 0)
      throw Error(ExitCode::bad_input, at, fmt::format("{}: expected {}, got {}", key, accepts, value_text(node)));
    return static_cast<uint64_t>(n);
  }

  std::string text(const std::string& key, const toml::node& node, const Place& at, const std::string& accepts) const {
    auto v = node.as_string();
    if (!v || v->get().empty())
      throw Error(ExitCode::bad_input, at,
                  fmt::format("{}: expected {}, got {}", key, accepts, v ? "an empty string" : type_and_value(node)));
    return v->get();
  }

  // Key `leaf` of device d (`key` as messages name it: "device[0].base",
  // "device.timer0.base") set to `node`. A param replaces the one of that
  // name, or is added in key order.
  void set(DeviceConfig& d, const std::string& leaf, const std::string& key, const toml::node& node,
           const Place& at) const {
    if (leaf == "name") {
      d.name = text(key, node, at, "a name of letters, digits, _ and -");
      for (char c : d.name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
          throw Error(ExitCode::bad_input, at,
                      fmt::format("{}: expected a name of letters, digits, _ and -, got {}", key, value_text(node)));
    } else if (leaf == "plugin") {
      fs::path p(text(key, node, at, "a path to a shared library (the plugin)"));
      if (p.is_relative()) p = base_dir / p;
      d.plugin = p.lexically_normal().string();
      d.plugin_place = at;
      std::error_code ec;
      const fs::file_status st = fs::status(d.plugin, ec);
      if (!fs::exists(st)) throw Error(ExitCode::no_input, at, fmt::format("{}: no file {}", key, d.plugin));
      // A directory, a FIFO (dlopen would block on it), a device: named as
      // what it is, and cannot be read (66, as any input that is no file).
      if (std::string why = not_a_regular_file(d.plugin, "a shared library"); !why.empty())
        throw Error(ExitCode::no_input, at, fmt::format("{}: {} {}", key, d.plugin, why));
    } else if (leaf == "base") {
      d.base = static_cast<uint32_t>(
          integer(key, node, at, 0, UINT32_MAX, 4, "a 4-aligned bus address from 0 to 0xfffffffc"));
      d.base_place = at;
    } else if (leaf == "size") {
      d.size = static_cast<uint32_t>(
          integer(key, node, at, 4, UINT32_MAX, 4, "a positive multiple of 4 (bytes of address space)"));
    } else if (leaf == "irq") {
      d.irq = static_cast<unsigned>(integer(key, node, at, 1, 1023, 1, "an integer from 1 to machine.plic_sources"));
      d.irq_place = at;
    } else {
      std::string value = param(key, node, at);
      auto it = std::lower_bound(d.params.begin(), d.params.end(), leaf,
                                 [](const auto& p, const std::string& k) { return p.first < k; });
      if (it != d.params.end() && it->first == leaf) it->second = std::move(value);
      else d.params.emplace(it, leaf, std::move(value));
    }
  }

  DeviceConfig device(const toml::table& table, const std::string& element, const Place& where) const {
    DeviceConfig d;
    d.place = where;
    for (const auto& [k, node] : table) {
      const std::string leaf(k.str());
      set(d, leaf, element + "." + leaf, node, place(node, where));
    }
    auto has = [&](const char* leaf) { return table.contains(leaf); };
    auto missing = [&](const char* leaf, const char* accepts) {
      return Error(ExitCode::bad_input, where, fmt::format("missing key `{}.{}`: {}", element, leaf, accepts));
    };
    if (!has("name")) throw missing("name", "a name of letters, digits, _ and -");
    if (!has("plugin")) throw missing("plugin", "a path to a shared library (the plugin), relative to the config file");
    if (!has("base")) throw missing("base", "a 4-aligned bus address");
    if (!has("size")) throw missing("size", "a positive multiple of 4 (bytes of address space)");
    return d;
  }

  // A param's value as the plugin gets it: text.
  static std::string param(const std::string& key, const toml::node& node, const Place& at) {
    if (auto v = node.as_string()) return v->get();
    if (node.is_integer() || node.is_floating_point() || node.is_boolean()) return value_text(node);
    throw Error(ExitCode::bad_input, at,
                fmt::format("{}: a param for the plugin is a string, an integer, a float or a boolean, got {}", key,
                            type_and_value(node)));
  }
};

std::string element_name(size_t i) { return fmt::format("device[{}]", i); }

}  // namespace

std::vector<DeviceConfig> read_devices(const toml::node& node, const Place& where, const std::string& file,
                                       const std::string& base_dir, bool has_lines) {
  const Reader reader{file, fs::path(base_dir), has_lines};
  const toml::array* array = node.as_array();
  if (!array)
    throw Error(ExitCode::bad_input, where,
                fmt::format("device: expected an array of tables ([[device]]) with keys name, plugin, base, size, "
                            "irq and the plugin's params, got {}",
                            type_and_value(node)));
  std::vector<DeviceConfig> devices;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const Place at = reader.place(item, where);
    const toml::table* table = item.as_table();
    if (!table)
      throw Error(ExitCode::bad_input, at,
                  fmt::format("{}: expected a table with keys name, plugin, base, size, irq and the plugin's "
                              "params, got {}",
                              element_name(i), type_and_value(item)));
    if (i >= kMaxDevices)
      throw Error(ExitCode::bad_input, at,
                  fmt::format("{}: too many [[device]] tables: {}, at most {}", element_name(i), array->size(),
                              kMaxDevices));
    devices.push_back(reader.device(*table, element_name(i), at));
    for (size_t j = 0; j < i; ++j)
      if (devices[j].name == devices[i].name)
        throw Error(ExitCode::bad_input, devices[i].place,
                    fmt::format("{}.name: \"{}\" is already the name of {}; each [[device]] needs its own name",
                                element_name(i), devices[i].name, element_name(j)));
  }
  return devices;
}

void set_device_key(std::vector<DeviceConfig>& devices, const std::string& key, const toml::node& node,
                    const Place& at) {
  // "device.NAME.KEY": a name holds no dot (read_devices' check), a key may.
  const std::string rest = key.substr(std::string_view("device.").size());
  const size_t dot = rest.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == rest.size())
    throw Error(ExitCode::bad_input, at,
                fmt::format("{}: --set device.NAME.KEY=VALUE sets a key of the [[device]] named NAME, e.g. "
                            "device.timer0.base=0x10030000",
                            key));
  const std::string name = rest.substr(0, dot), leaf = rest.substr(dot + 1);
  std::vector<std::string> names;
  for (const DeviceConfig& d : devices) names.push_back(d.name);
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string msg = fmt::format("unknown device `{}` in `{}`", name, key);
    if (names.empty()) msg += "; the config has no [[device]] table";
    else if (std::vector<std::string> guesses = nearest_names(name, names); !guesses.empty())
      msg += did_you_mean(guesses);
    else msg += fmt::format("; the devices are {}", join(names, ", "));
    throw Error(ExitCode::bad_input, at, msg);
  }
  DeviceConfig& d = devices[static_cast<size_t>(it - names.begin())];
  const std::vector<std::string> keys = device_keys(d);
  if (leaf == "name")
    throw Error(ExitCode::bad_input, at,
                fmt::format("{}: --set finds a device by its name and cannot change it; edit the config file, or "
                            "replace the whole array: --set 'device=[{{ ... }}, ...]'",
                            key));
  // A param the plugin was not given is more likely a typo than a new one.
  if (std::find(keys.begin(), keys.end(), leaf) == keys.end() && leaf != "irq") {
    std::string msg = fmt::format("unknown key `{}`: the [[device]] {} has no key `{}`", key, name, leaf);
    // A key cut short or run on ("tick" for "tick_ns") is as near as a typo,
    // as the config loader's guesses have it.
    std::vector<std::string> guesses;
    for (const std::string& k : keys)
      if (leaf.size() >= 2 && (k.rfind(leaf, 0) == 0 || leaf.rfind(k, 0) == 0)) guesses.push_back(k);
    if (guesses.empty()) guesses = nearest_names(leaf, keys);
    for (std::string& g : guesses) g = "device." + name + "." + g;
    if (!guesses.empty()) msg += did_you_mean(guesses);
    else msg += fmt::format("; it has {}", join(keys, ", "));
    throw Error(ExitCode::bad_input, at, msg);
  }
  const Reader reader{at.file, fs::path(), false};  // a --set: a relative plugin is the working directory's
  reader.set(d, leaf, key, node, at);
  if (leaf == "base") d.base_place = at;
}

std::vector<std::string> device_keys(const DeviceConfig& d) {
  std::vector<std::string> keys = {"plugin", "base", "size"};
  if (d.irq) keys.push_back("irq");
  for (const auto& [k, v] : d.params) keys.push_back(k);
  return keys;
}

std::string device_key_listing(const std::vector<DeviceConfig>& devices) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const DeviceConfig& d : devices)
    for (const std::string& k : device_keys(d)) {
      const std::string key = "device." + d.name + "." + k;
      std::string value = *device_setting(devices, key);
      if (k == "base" || k == "size") value = fmt::format("{:#x}", k == "base" ? d.base : d.size);
      if (!own_key(k)) value += "  (the plugin's param)";
      rows.emplace_back(key, value);
    }
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& [key, value] : rows) out += fmt::format("  {:<{}}  {}\n", key, width, value);
  return out;
}

std::optional<std::string> device_setting(const std::vector<DeviceConfig>& devices, const std::string& key) {
  for (const DeviceConfig& d : devices) {
    const std::string prefix = "device." + d.name + ".";
    if (key.rfind(prefix, 0) != 0) continue;
    const std::string leaf = key.substr(prefix.size());
    if (leaf == "plugin") return config_table::quote(d.plugin);
    if (leaf == "base") return std::to_string(d.base);
    if (leaf == "size") return std::to_string(d.size);
    if (leaf == "irq") return std::to_string(d.irq);
    for (const auto& [k, v] : d.params)
      if (k == leaf) return v;
  }
  return std::nullopt;
}

void check_devices(const Config& cfg) {
  const std::vector<DeviceConfig>& devices = cfg.devices;
  for (size_t i = 0; i < devices.size(); ++i) {
    const DeviceConfig& d = devices[i];
    const std::string element = element_name(i);
    if (uint64_t{d.base} + d.size > (uint64_t{1} << 32))
      throw Error(ExitCode::bad_input, d.base_place,
                  fmt::format("{}.size: {:#x} bytes from {:#010x} run past the end of the 32-bit address space",
                              element, d.size, d.base));
    if (d.irq) {
      if (d.irq > cfg.machine.plic_sources)
        throw Error(ExitCode::bad_input, d.irq_place,
                    fmt::format("{}.irq: expected an integer from 1 to machine.plic_sources, got {}; "
                                "machine.plic_sources is {}",
                                element, d.irq, cfg.machine.plic_sources));
      std::optional<std::string> owner;
      for (size_t s = 0; s < cfg.machine.irq_sources.size() && !owner; ++s)
        if (cfg.machine.irq_sources[s].line == d.irq) owner = fmt::format("irq_source[{}]", s);
      for (size_t n = 0; n < cfg.machine.nics.size() && !owner; ++n)
        if (cfg.machine.nics[n].line == d.irq) owner = fmt::format("nic[{}]", n);
      for (size_t j = 0; j < i && !owner; ++j)
        if (devices[j].irq == d.irq) owner = element_name(j);
      if (owner)
        throw Error(ExitCode::bad_input, d.irq_place,
                    fmt::format("{}.irq: {} is already the line of {}; a device needs a line of its own", element,
                                d.irq, *owner));
    }
    for (size_t j = 0; j < i; ++j) {
      const DeviceConfig& o = devices[j];
      if (uint64_t{d.base} < uint64_t{o.base} + o.size && uint64_t{o.base} < uint64_t{d.base} + d.size)
        throw Error(ExitCode::bad_input, d.base_place,
                    fmt::format("{}.base: {:#010x}..{:#010x} overlaps {} ({}, {:#010x}..{:#010x})", element, d.base,
                                uint64_t{d.base} + d.size - 1, element_name(j), o.name, o.base,
                                uint64_t{o.base} + o.size - 1));
    }
  }
}

}  // namespace spinlab

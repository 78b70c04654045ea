// The settings a run's report lists: the keys that differ from their
// defaults, and every key a --set named (sim/load/config.h, docs/report.md).
// Read against the same table of keys as config files (sim/load/config_table.h).
#include <algorithm>
#include <cctype>
#include <optional>

#include "sim/load/config.h"
#include "sim/load/config_table.h"

namespace spinlab {

using namespace config_table;

namespace {

// `set_key` (a --set's key) names `key` itself or a table holding it.
bool names(const std::string& set_key, const std::string& key) {
  return key == set_key || (key.size() > set_key.size() && key.compare(0, set_key.size(), set_key) == 0 &&
                            key[set_key.size()] == '.');
}

}  // namespace

std::string override_key(const Override& o) {
  std::string key = o.text.substr(0, o.text.find('='));
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  key.erase(key.begin(), std::find_if_not(key.begin(), key.end(), space));
  key.erase(std::find_if_not(key.rbegin(), key.rend(), space).base(), key.end());
  return key;
}

std::vector<Setting> changed_settings(const Config& cfg, const std::vector<Override>& overrides,
                                      const std::map<std::string, uint32_t>& param_defaults) {
  std::vector<std::string> set_keys;
  for (const Override& o : overrides) set_keys.push_back(override_key(o));
  auto was_set = [&set_keys](const std::string& key) {
    return std::any_of(set_keys.begin(), set_keys.end(), [&key](const std::string& s) { return names(s, key); });
  };
  const Config defaults;
  std::vector<Setting> out;
  for (const Row& row : rows()) {
    const std::string value = row.show(cfg);
    const bool scenario = names("scenario", row.key);
    if (was_set(row.key) || (!scenario && value != row.show(defaults))) out.push_back({row.key, value});
  }
  for (const auto& [name, value] : cfg.firmware_params) {
    const std::string key = "firmware.params." + name;
    auto d = param_defaults.find(name);
    if (was_set(key) || d == param_defaults.end() || d->second != static_cast<uint32_t>(value))
      out.push_back({key, std::to_string(value)});
  }
  // A --set of one device's key (device.NAME.KEY), with the value it left.
  for (const std::string& key : set_keys)
    if (std::optional<std::string> value = device_setting(cfg.devices, key))
      if (std::none_of(out.begin(), out.end(), [&key](const Setting& s) { return s.key == key; }))
        out.push_back({key, *value});
  return out;
}

}  // namespace spinlab

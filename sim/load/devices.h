// [[device]] tables: devices someone else wrote, each loaded from a plugin
// (a shared library, sim/load/plugin.h) and mapped into the machine
// (docs/devices.md). Read apart from the key table (config_table.cpp)
// because a [[device]] table's keys are open: besides its five own keys,
// any key is a param handed to the plugin as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "sim/load/error.h"

namespace spinlab {

struct Config;

struct DeviceConfig {
  std::string name;    // unique among the devices: letters, digits, _ and -
  std::string plugin;  // the shared library, resolved against the config's directory
  uint32_t base = 0;   // bus address of its first byte, 4-aligned
  uint32_t size = 0;   // bytes of address space, a positive multiple of 4
  unsigned irq = 0;    // PLIC source its interrupt drives; 0: none
  std::vector<std::pair<std::string, std::string>> params;  // the other keys, as text, sorted by key
  Place place;         // the table's, for errors about the whole device
  Place plugin_place, base_place, irq_place;
};

// The most [[device]] tables a config may hold.
constexpr size_t kMaxDevices = 16;

// The `device` key's value (an array of tables, from a file or a --set)
// as devices; `file` names the place (the config, or "--set ..."), relative
// plugin paths resolve against `base_dir`, and `has_lines` says whether the
// nodes' source regions are places (false for a --set). Throws
// spinlab::Error naming the key at fault, "device[1].base".
std::vector<DeviceConfig> read_devices(const toml::node& node, const Place& where, const std::string& file,
                                       const std::string& base_dir, bool has_lines);

// A --set of one key of one device: `key` is "device.NAME.KEY" (KEY: plugin,
// base, size, irq or a param the table has), `at` the --set's place. Checked
// as in a file; an unknown NAME or KEY is an Error with a did-you-mean.
void set_device_key(std::vector<DeviceConfig>& devices, const std::string& key, const toml::node& node,
                    const Place& at);

// The keys of device d a --set may change, as its table has them: plugin,
// base, size, irq (when wired), then its params by name.
std::vector<std::string> device_keys(const DeviceConfig& d);

// The keys of every device a --set may change, one a line with its value
// ("  device.timer0.base        0x10030000"), params marked as the plugin's;
// "" without devices. What `spinlab run CONFIG --help` lists.
std::string device_key_listing(const std::vector<DeviceConfig>& devices);

// The value of "device.NAME.KEY" as TOML (a param as its text: 10, fast),
// or nullopt when `key` names no device's key.
std::optional<std::string> device_setting(const std::vector<DeviceConfig>& devices, const std::string& key);

// The checks that need the whole config (after every --set): each irq is a
// PLIC source the machine has and nobody else's line, and no two devices'
// ranges overlap. (Overlaps with the machine's own devices are found when
// the machine maps them: Machine::attach.)
void check_devices(const Config& cfg);

}  // namespace spinlab

// Devices from plugins: the shared libraries [[device]] tables name
// (sim/load/devices.h), loaded with dlopen and asked for their device through
// the C entry points of <spinlab/plugin.h>, then mapped into the machine
// (Machine::attach). docs/devices.md has the ABI.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/device.h"
#include "sim/load/devices.h"

namespace spinlab::models {
class Machine;
}

namespace spinlab {

// A device made by a plugin. The module is the plugin's; spinlab deletes it.
struct PluginModule {
  std::unique_ptr<sc_core::sc_module> module;
  models::DevicePorts ports;
};

// Loads device `index` of the config's (d: its [[device]] table) from its
// plugin and creates it, during elaboration. The library is opened with
// RTLD_NOW | RTLD_LOCAL and stays loaded for the life of the process (its code
// backs a module SystemC knows). Throws spinlab::Error, at the table's
// place, when the file is not a shared library, lacks an entry point, was
// built for another ABI version, or the plugin refuses (its own message).
PluginModule create_plugin_device(const DeviceConfig& d, size_t index);

// The devices of one run, alive until it is over: their modules are deleted
// (last made first) when this is.
class AttachedDevices {
 public:
  AttachedDevices() = default;
  AttachedDevices(AttachedDevices&&) = default;
  AttachedDevices& operator=(AttachedDevices&&) = default;
  ~AttachedDevices();
  size_t size() const { return modules_.size(); }
  void add(std::unique_ptr<sc_core::sc_module> m) { modules_.push_back(std::move(m)); }

 private:
  std::vector<std::unique_ptr<sc_core::sc_module>> modules_;
};

// Creates every [[device]] of `cfg` and maps it into `machine`, before the
// run, during elaboration (a user's own devices are mapped by libspinlab's
// Platform). A mapping the machine refuses (an overlap, a taken line) is an
// Error naming the device.
AttachedDevices attach_devices(const Config& cfg, models::Machine& machine);

}  // namespace spinlab

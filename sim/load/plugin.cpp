#include "sim/load/plugin.h"

#include <dlfcn.h>

#include <array>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <spinlab/plugin.h>

#include "models/machine.h"
#include "sim/load/config.h"

namespace spinlab {

namespace {

std::string element_name(size_t i) { return fmt::format("device[{}]", i); }

// dlerror()'s text without the path it repeats: "invalid ELF header".
std::string dl_reason(const std::string& path) {
  const char* e = dlerror();
  std::string why = e ? e : "unknown reason";
  if (why.compare(0, path.size() + 2, path + ": ") == 0) why.erase(0, path.size() + 2);
  return why;
}

}  // namespace

PluginModule create_plugin_device(const DeviceConfig& d, size_t index) {
  const std::string element = element_name(index);
  const Place& at = d.plugin_place.file.empty() ? d.place : d.plugin_place;
  // RTLD_LOCAL: a plugin's symbols stay its own, so two plugins may define
  // the same names; RTLD_NOW: an unresolved symbol is an error here, not a
  // crash in the middle of the run. SystemC itself is the process's one
  // libsystemc.so, which the plugin links as spinlab does.
  // A name without a '/' would be looked up on the library path: a plugin
  // beside a config in the working directory is "./NAME".
  const std::string file = d.plugin.find('/') == std::string::npos ? "./" + d.plugin : d.plugin;
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    throw Error(ExitCode::bad_input, at,
                fmt::format("{}.plugin: cannot load {} as a shared library: {}", element, d.plugin, dl_reason(file)));
  auto version = reinterpret_cast<spinlab_plugin_abi_version_fn>(dlsym(lib, "spinlab_plugin_abi_version"));
  auto create = reinterpret_cast<spinlab_device_create_fn>(dlsym(lib, "spinlab_device_create"));
  for (auto [fn, symbol] : {std::pair<bool, const char*>{version != nullptr, "spinlab_plugin_abi_version"},
                            {create != nullptr, "spinlab_device_create"}})
    if (!fn)
      throw Error(ExitCode::bad_input, at,
                  fmt::format("{}.plugin: {} exports no `{}`: not a spinlab plugin (docs/devices.md has the "
                              "entry points)",
                              element, d.plugin, symbol));
  if (const int v = version(); v != SPINLAB_PLUGIN_ABI_VERSION)
    throw Error(ExitCode::bad_input, at,
                fmt::format("{}.plugin: {} is built for plugin ABI version {}, this spinlab loads version {}; "
                            "rebuild it against this spinlab's <spinlab/plugin.h>",
                            element, d.plugin, v, SPINLAB_PLUGIN_ABI_VERSION));

  std::vector<PluginParam> items;
  for (const auto& [key, value] : d.params) items.push_back({key.c_str(), value.c_str()});
  const PluginParams params{items.data(), items.size(), d.base, d.size, d.irq};
  PluginDevice out{nullptr, nullptr, nullptr};
  std::array<char, 512> err{};
  const std::string who = fmt::format("{} ({}): the plugin {}", element, d.name,
                                      std::filesystem::path(d.plugin).filename().string());
  int rc = 0;
  try {
    rc = create(d.name.c_str(), &params, &out, err.data(), err.size());
  } catch (const std::exception& e) {  // SystemC reports its errors as exceptions (sc_report)
    throw Error(ExitCode::bad_input, d.place, fmt::format("{} failed: {}", who, e.what()));
  }
  err.back() = '\0';
  if (rc != 0)
    throw Error(ExitCode::bad_input, d.place,
                fmt::format("{} refused it: {}", who, err[0] ? err.data() : "(it gave no reason)"));
  PluginModule made{std::unique_ptr<sc_core::sc_module>(out.module), {out.socket, out.irq}};
  if (!out.module || !out.socket)
    throw Error(ExitCode::bad_input, d.place, fmt::format("{} returned no {}", who, out.module ? "socket" : "module"));
  if (d.irq && !out.irq)
    throw Error(ExitCode::bad_input, d.irq_place,
                fmt::format("{}.irq: the device {} has no interrupt output; drop irq", element, d.name));
  return made;
}

AttachedDevices::~AttachedDevices() {
  while (!modules_.empty()) modules_.pop_back();
}

AttachedDevices attach_devices(const Config& cfg, models::Machine& machine) {
  AttachedDevices devices;
  for (size_t i = 0; i < cfg.devices.size(); ++i) {
    const DeviceConfig& d = cfg.devices[i];
    PluginModule made = create_plugin_device(d, i);
    devices.add(std::move(made.module));
    try {
      machine.attach(models::DeviceMapping{d.name, d.base, d.size, d.irq}, made.ports);
    } catch (const std::invalid_argument& e) {
      throw Error(ExitCode::bad_input, d.base_place.file.empty() ? d.place : d.base_place,
                  fmt::format("{} ({}): {}", element_name(i), d.name, e.what()));
    }
  }
  return devices;
}

}  // namespace spinlab

// The plugin ABI: how spinlab loads a device model someone else wrote from a
// shared library named by a config's [[device]] table (docs/devices.md).
//
// A plugin is a shared library linked against the same shared libsystemc as
// spinlab (one SystemC kernel, one simulation context in the process). It
// exports two C functions, found by name with dlsym:
//
//   int spinlab_plugin_abi_version(void);
//       returns SPINLAB_PLUGIN_ABI_VERSION as the plugin was compiled with it;
//       spinlab refuses a plugin whose version is not its own.
//
//   int spinlab_device_create(const char* name, const spinlab::PluginParams* params,
//                             spinlab::PluginDevice* out, char* err, size_t err_len);
//       builds one device during elaboration, named `name` (the [[device]]
//       table's name: use it as the sc_module's name). `params` holds the
//       table's other keys as text. On success fills `out` and returns 0; on
//       failure writes one line (no newline, NUL-terminated, at most err_len
//       bytes) into `err` and returns nonzero; spinlab prints it naming the
//       config file and the [[device]] entry. Called once per [[device]]
//       table naming the library, so a plugin may make several devices.
//
// spinlab owns what `out` points to from then on: it deletes `out->module`
// (through sc_module's virtual destructor) after the run, so allocate it with
// new. The library stays loaded until the process ends.
#ifndef SPINLAB_PLUGIN_H
#define SPINLAB_PLUGIN_H

#include <cstddef>
#include <cstring>

#include <systemc>
#include <tlm>

// Bumped on any change to the structs or functions below.
#define SPINLAB_PLUGIN_ABI_VERSION 1

namespace spinlab {

// One free-form key of a [[device]] table: `key = value`, the value as text
// (a string as written, an integer in decimal, a float, "true"/"false").
struct PluginParam {
  const char* key;
  const char* value;
};

// Every key of the [[device]] table other than name, plugin, base, size and
// irq, sorted by key; and where the device sits, for a model that wants it.
struct PluginParams {
  const PluginParam* items;
  size_t count;
  unsigned long long base;  // bus address of its first byte
  unsigned long long size;  // bytes of address space
  unsigned irq_line;        // PLIC source its interrupt drives; 0: none

  // The value of `key`, or nullptr when the table has no such key.
  const char* get(const char* key) const {
    for (size_t i = 0; i < count; ++i)
      if (std::strcmp(items[i].key, key) == 0) return items[i].value;
    return nullptr;
  }
};

// What the plugin hands back: the module, its target socket (32-bit bus;
// required) and its interrupt output (nullptr: none).
struct PluginDevice {
  sc_core::sc_module* module;
  tlm::tlm_target_socket<32>* socket;
  sc_core::sc_out<bool>* irq;
};

}  // namespace spinlab

extern "C" {
typedef int (*spinlab_plugin_abi_version_fn)(void);
typedef int (*spinlab_device_create_fn)(const char* name, const spinlab::PluginParams* params,
                                        spinlab::PluginDevice* out, char* err, size_t err_len);
}

// In the plugin: SPINLAB_PLUGIN_EXPORT int spinlab_device_create(...) { ... }
#define SPINLAB_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

#endif

// The timer as a spinlab plugin: the two C entry points of
// <spinlab/plugin.h>, around the same model (timer.h) the example's own
// sc_main uses. Built as a shared library (libtimer_plugin.so) that a config
// names:
//
//   [[device]]
//   name = "timer0"
//   plugin = "libtimer_plugin.so"   # relative to the config file
//   base = 0x10030000
//   size = 0x1000
//   irq = 5
//   tick_ns = 10                     # params: the table's other keys
//   latency_ns = 20
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <spinlab/plugin.h>

#include "timer.h"

namespace {

// A param as a positive whole number of nanoseconds; false with a message
// naming it when it is not one.
bool nanoseconds(const spinlab::PluginParams& params, const char* key, unsigned long fallback, sc_core::sc_time& out,
                 char* err, size_t err_len) {
  unsigned long ns = fallback;
  if (const char* text = params.get(key)) {
    char* end = nullptr;
    errno = 0;
    ns = std::strtoul(text, &end, 10);
    if (errno || end == text || *end || ns == 0 || text[0] == '-') {
      std::snprintf(err, err_len, "%s: expected a positive whole number of nanoseconds, got \"%s\"", key, text);
      return false;
    }
  }
  out = sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS);
  return true;
}

}  // namespace

SPINLAB_PLUGIN_EXPORT int spinlab_plugin_abi_version(void) { return SPINLAB_PLUGIN_ABI_VERSION; }

SPINLAB_PLUGIN_EXPORT int spinlab_device_create(const char* name, const spinlab::PluginParams* params,
                                                spinlab::PluginDevice* out, char* err, size_t err_len) {
  // Every key it is given must be one it knows: a typo is an error, not a default.
  for (size_t i = 0; i < params->count; ++i) {
    const std::string key = params->items[i].key;
    if (key != "tick_ns" && key != "latency_ns") {
      std::snprintf(err, err_len, "unknown param `%s`; the timer takes tick_ns and latency_ns", key.c_str());
      return 1;
    }
  }
  if (params->size < example::Timer::kExpiries + 4) {
    std::snprintf(err, err_len, "size %#llx is too small for the timer's registers (at least 0x14 bytes)",
                  params->size);
    return 1;
  }
  sc_core::sc_time tick, latency;
  if (!nanoseconds(*params, "tick_ns", 10, tick, err, err_len)) return 1;
  if (!nanoseconds(*params, "latency_ns", 20, latency, err, err_len)) return 1;
  auto* timer = new example::Timer(name, tick, latency);
  *out = spinlab::PluginDevice{timer, &timer->socket, &timer->irq};
  return 0;
}

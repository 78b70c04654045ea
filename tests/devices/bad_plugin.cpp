// Plugins that go wrong in one way each, for the loader's errors
// (plugin_test.cpp). Built once per way, chosen by a macro:
//   NO_CREATE    exports the version and no spinlab_device_create
//   OLD_VERSION  says it is built for ABI version 0
//   REFUSE       refuses every device with its own message
//   NO_SOCKET    returns a module and no socket
#include <cstdio>

#include <spinlab/plugin.h>

SPINLAB_PLUGIN_EXPORT int spinlab_plugin_abi_version(void) {
#ifdef OLD_VERSION
  return 0;
#else
  return SPINLAB_PLUGIN_ABI_VERSION;
#endif
}

#ifndef NO_CREATE
namespace {
struct Empty : sc_core::sc_module {
  explicit Empty(sc_core::sc_module_name n) : sc_module(n) {}
};
}  // namespace

SPINLAB_PLUGIN_EXPORT int spinlab_device_create(const char* name, const spinlab::PluginParams* params,
                                                spinlab::PluginDevice* out, char* err, size_t err_len) {
#ifdef NO_SOCKET
  *out = spinlab::PluginDevice{new Empty(name), nullptr, nullptr};
  return 0;
#else
  const char* color = params->get("color");
  std::snprintf(err, err_len, "no device of color %s here", color ? color : "(none)");
  return 1;
#endif
}
#endif

// libspinlab's Platform (include/spinlab/platform.h): a thin layer over what
// `spinlab run` does, calling the same functions: resolve_target for the
// config, load_firmware for the ELF, run_machine for the run (which builds
// the machine and maps the [[device]]s and the caller's devices,
// sim/load/plugin.h), print_summary and exit_status.
#include <spinlab/platform.h>

#include <fmt/format.h>

#include "sim/cli/run.h"
#include "sim/cli/target.h"

namespace spinlab {

struct Platform::Impl {
  Config cfg;
  std::unique_ptr<ElfImage> elf;
  RunExtras extras;
  RunOutcome outcome;
  bool ran = false;
};

namespace {

// spinlab's own errors, as the library's.
template <typename F>
auto translated(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    throw PlatformError(static_cast<int>(e.code()), e.what());
  }
}

}  // namespace

Platform::Platform(const std::string& target, const std::string& elf, const std::vector<std::string>& sets)
    : impl_(std::make_unique<Impl>()) {
  translated([&] {
    std::vector<Override> overrides;
    for (const std::string& s : sets) overrides.push_back({s});
    if (!elf.empty()) overrides.push_back({"firmware.program=" + elf});
    impl_->cfg = resolve_target(target, overrides);
    impl_->elf = std::make_unique<ElfImage>(load_firmware(impl_->cfg));
    return 0;
  });
}

Platform::~Platform() = default;

void Platform::attach(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket,
                      sc_core::sc_out<bool>* irq, unsigned irq_line) {
  impl_->extras.devices.push_back({models::DeviceMapping{name, base, size, irq ? irq_line : 0u},
                                   models::DevicePorts{&socket, irq}});
}

int Platform::run(std::FILE* console, std::FILE* summary) {
  if (impl_->ran)
    throw PlatformError(static_cast<int>(ExitCode::usage), "Platform::run: SystemC runs once per process");
  impl_->ran = true;
  return translated([&] {
    impl_->cfg.run.quiet = summary == nullptr;
    impl_->outcome = run_machine(impl_->cfg, *impl_->elf, console, impl_->extras);
    if (summary) print_summary(summary, impl_->cfg, *impl_->elf, impl_->outcome);
    return exit_status(impl_->outcome);
  });
}

uint64_t Platform::cycles() const { return impl_->outcome.cycles; }
std::string Platform::stop_reason() const { return models::to_string(impl_->outcome.reason); }
int Platform::firmware_exit_code() const { return impl_->outcome.exit_code; }
const std::string& Platform::firmware() const { return impl_->cfg.firmware; }

}  // namespace spinlab

// libspinlab's Platform (include/spinlab/platform.h): an sc_module over the
// steps `spinlab run` takes (sim/cli/run.h's StagedRun): resolve_target for
// the config, load_firmware for the ELF, the machine built as a child during
// elaboration, reset once everything is bound, and the outcome, summary and
// report collected when the machine's thread has stopped the simulation.
#include <spinlab/platform.h>

#include <optional>

#include <fmt/format.h>

#include "models/sanitizer_stack.h"
#include "sim/cli/run.h"
#include "sim/cli/target.h"
#include "sim/out/report.h"

namespace spinlab {

struct Platform::Impl {
  PlatformOptions options;
  std::vector<Override> overrides;
  Config cfg;
  std::unique_ptr<ElfImage> elf;
  std::unique_ptr<StagedRun> run;
  RunOutcome outcome;
  bool ended = false;
  std::optional<PlatformError> error;  // from finishing the run: outputs that could not be written
};

namespace {

// spinlab's own errors, as the library's.
template <typename F>
auto translated(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    throw PlatformError(static_cast<int>(e.code()), e.what());
  } catch (const std::invalid_argument& e) {  // the machine refuses a mapping (Machine::attach)
    throw PlatformError(static_cast<int>(ExitCode::bad_input), e.what());
  }
}

// The options of the constructor that takes only --set overrides.
PlatformOptions with_sets(const std::vector<std::string>& sets) {
  PlatformOptions o;
  o.sets = sets;
  return o;
}

}  // namespace

Platform::Platform(sc_core::sc_module_name name, const std::string& target, const std::vector<std::string>& sets)
    : Platform(name, target, with_sets(sets)) {}

Platform::Platform(sc_core::sc_module_name name, const std::string& target, const PlatformOptions& options)
    : sc_core::sc_module(name), impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = options;
  translated([&] {
    for (const std::string& s : options.sets) m.overrides.push_back({s});
    m.cfg = resolve_target(target, m.overrides);
    m.cfg.run.quiet = options.summary == nullptr;
    m.elf = std::make_unique<ElfImage>(load_firmware(m.cfg));
    if (!options.report.empty()) require_writable(options.report, "report");
    RunExtras extras;
    extras.keep_uart = !options.report.empty();
    m.run = std::make_unique<StagedRun>(m.cfg, *m.elf, options.console, extras);
    return 0;
  });
}

Platform::~Platform() = default;

void Platform::map(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket) {
  translated([&] {
    impl_->run->machine().attach(models::DeviceMapping{name, base, size, 0}, models::DevicePorts{&socket, nullptr});
    return 0;
  });
}

sc_core::sc_signal<bool>& Platform::irq(unsigned line, const std::string& driver) {
  return translated([&]() -> sc_core::sc_signal<bool>& { return impl_->run->machine().claim_line(line, driver); });
}

void Platform::attach(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket,
                      sc_core::sc_out<bool>* irq_out, unsigned irq_line) {
  map(name, base, size, socket);
  if (irq_out) irq_out->bind(irq(irq_line, name));
}

// Every port is bound now: the harts start at the ELF's entry.
void Platform::end_of_elaboration() { impl_->run->reset(); }

// The machine's thread called sc_stop(): the run is over. What spinlab run
// prints and writes after it, here; an error is kept for exit_status() (an
// exception would leave SystemC's kernel halfway through its callbacks).
void Platform::end_of_simulation() {
  models::resync_sanitizer_stack();  // on main again, after the machine's thread ended
  Impl& m = *impl_;
  try {
    translated([&] {
      m.outcome = m.run->finish();
      m.ended = true;
      if (m.options.summary) print_summary(m.options.summary, m.cfg, *m.elf, m.outcome);
      if (!m.options.report.empty())
        if (std::optional<Error> e = write_report(m.options.report, make_report(m.cfg, *m.elf, m.outcome, m.overrides));
            e && !m.outcome.output_error)
          m.outcome.output_error = e;
      if (m.outcome.output_error) throw *m.outcome.output_error;  // after the report, as spinlab run does
      return 0;
    });
  } catch (const PlatformError& e) {
    m.error = e;
  }
}

int Platform::run() {
  if (impl_->ended || sc_core::sc_end_of_simulation_invoked())
    throw PlatformError(static_cast<int>(ExitCode::usage), "Platform::run: SystemC runs once per process");
  sc_core::sc_start();
  models::resync_sanitizer_stack();
  return exit_status();
}

bool Platform::ended() const { return impl_->ended; }
uint64_t Platform::cycles() const { return impl_->outcome.cycles; }
std::string Platform::stop_reason() const { return models::to_string(impl_->outcome.reason); }
int Platform::firmware_exit_code() const { return impl_->outcome.exit_code; }
const std::string& Platform::firmware() const { return impl_->cfg.firmware; }

int Platform::exit_status() const {
  if (impl_->error) throw *impl_->error;
  if (!impl_->ended)
    throw PlatformError(static_cast<int>(ExitCode::usage),
                        "Platform::exit_status: the run has not ended (call sc_start() until it does)");
  return spinlab::exit_status(impl_->outcome);
}

}  // namespace spinlab

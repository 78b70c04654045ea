// libspinlab: the spinlab platform as an sc_module in a program of your own
// (docs/devices.md).
//
//   int sc_main(int, char**) {
//     spinlab::Platform platform("platform", "machine.toml");  // the config's machine
//     example::Timer timer("timer", ...);                      // your TLM-2.0 module
//     platform.map("timer", 0x10030000, 0x1000, timer.socket); // its socket, at an address
//     timer.irq(platform.irq(5, "timer"));                     // its interrupt, PLIC source 5
//     sc_core::sc_start();                                     // until the firmware ends the run
//     return platform.exit_status();
//   }
//
// The platform is what `spinlab run` builds from the same config: the same
// machine (harts, bus, RAM, CLINT, PLIC, UART, finisher, the config's
// [[device]] plugins), the same lock monitor and traces, the same summary and
// exit status (docs/exit-codes.md), so a run here and a `spinlab run` of the
// config with the device as a plugin give the same cycles.
//
// Time: the machine is a child module with a thread of its own; it runs when
// sc_start() does and ends the run with sc_stop() (the firmware wrote the
// finisher, the cycle limit, a deadlock). Your modules run beside it in the
// same kernel. The results are read after sc_start() returns.
//
// Link: find_package(spinlab) and target_link_libraries(... spinlab::spinlab),
// or `pkg-config --cflags --libs spinlab`. SystemC comes as the shared
// libsystemc, the one your modules use too: one simulation context.
#ifndef SPINLAB_PLATFORM_H
#define SPINLAB_PLATFORM_H

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

namespace spinlab {

// A config, ELF or device spinlab cannot use: what() is the one line spinlab
// prints ("machine.toml:12:8: machine.harts: expected ..."), exit_code() the
// process exit code it would use (65 a bad input, 66 a missing file).
class PlatformError : public std::runtime_error {
 public:
  PlatformError(int exit_code, const std::string& line) : std::runtime_error(line), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Where a platform's output goes, and what it writes after the run.
struct PlatformOptions {
  // --set overrides, as on the command line: "machine.harts=2",
  // "firmware.program=prog.elf" (a path relative to the working directory),
  // "device.timer0.tick_ns=20", "device=[]" (none of the config's plugins).
  std::vector<std::string> sets;
  std::FILE* console = stdout;  // the firmware's output (UART, HTIF)
  std::FILE* summary = stdout;  // the lock monitor's findings and the summary; nullptr: none
  std::string report;           // FILE.json: the report `spinlab run --report` writes (docs/report.md); "": none
};

class Platform : public sc_core::sc_module {
 public:
  // `target` as `spinlab run` takes it: a config file (.toml), an ELF, or a
  // bundled name. Reads and checks the config and the ELF and builds the
  // machine, now, during elaboration; throws PlatformError. One per process:
  // SystemC elaborates once.
  Platform(sc_core::sc_module_name name, const std::string& target, const PlatformOptions& options);
  Platform(sc_core::sc_module_name name, const std::string& target, const std::vector<std::string>& sets = {});
  ~Platform() override;

  // Maps your module's target socket at [base, base + size) on the
  // platform's bus: binds an initiator socket of the bus to it, as a bus
  // takes a device in riscv-vp or VCML (a socket bound, an address range
  // given). Accesses reach its b_transport with the offset from `base`; the
  // delay it annotates holds the bus. `name` is for messages and the
  // address map. Throws PlatformError for an overlap with another device.
  void map(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket);

  // PLIC source `line`'s input (1..machine.plic_sources): the signal the
  // PLIC reads, for your module's interrupt output to drive
  // (`timer.irq(platform.irq(5, "timer"))`); level-sensitive, high = pending.
  // `driver` names the module for messages. Throws PlatformError when the
  // line does not exist or a device of the config already drives it.
  sc_core::sc_signal<bool>& irq(unsigned line, const std::string& driver);

  // Both at once: map() the socket and bind `irq`, when given, to irq(irq_line).
  void attach(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket,
              sc_core::sc_out<bool>* irq = nullptr, unsigned irq_line = 0);

  // sc_start() and the exit status: for a program with nothing else to do.
  int run();

  // After sc_start() returned at the end of the run (ended()): the cycle
  // the run stopped at, why ("the firmware wrote the test finisher", ...),
  // the firmware's own exit code, and the exit status `spinlab run` would
  // exit with (docs/exit-codes.md). exit_status() throws PlatformError when
  // writing the run's outputs (traces, report) failed.
  bool ended() const;
  uint64_t cycles() const;
  std::string stop_reason() const;
  int firmware_exit_code() const;
  int exit_status() const;
  // The ELF that runs, resolved.
  const std::string& firmware() const;

 private:
  void end_of_elaboration() override;
  void end_of_simulation() override;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinlab

#endif

// libspinlab: the spinlab platform in a program of your own (docs/devices.md).
//
//   int sc_main(int, char**) {
//     spinlab::Platform platform("machine.toml", "prog.elf");  // the config's machine, that program
//     example::Timer timer("timer", ...);                      // your TLM-2.0 module
//     platform.attach("timer", 0x10030000, 0x1000, timer.socket, &timer.irq, 5);
//     return platform.run();                                   // sc_start until the firmware ends
//   }
//
// The platform is what `spinlab run` builds from the same config: the same
// machine (harts, bus, RAM, CLINT, PLIC, UART, finisher, the config's
// [[device]] plugins), the same lock monitor and traces, the same summary and
// exit status (docs/exit-codes.md), so a run here and a `spinlab run` of the
// config with the device as a plugin give the same cycles.
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

class Platform {
 public:
  // `target` as `spinlab run` takes it: a config file (.toml), an ELF, or a
  // bundled name. `elf`, when not empty, replaces the config's
  // firmware.program (a path relative to the working directory). `sets` are
  // --set overrides ("machine.harts=2"). Reads and checks all of it, and the
  // ELF, now; throws PlatformError.
  explicit Platform(const std::string& target, const std::string& elf = "", const std::vector<std::string>& sets = {});
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Maps your device's target socket at [base, base + size) and, when `irq`
  // is given, wires it to PLIC source `irq_line` (1..machine.plic_sources).
  // Accesses reach the socket's b_transport; the delay it annotates holds
  // the bus. Call before run(). Mapped when run() builds the machine, which
  // throws PlatformError for an overlap or a taken line.
  void attach(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& socket,
              sc_core::sc_out<bool>* irq = nullptr, unsigned irq_line = 0);

  // Builds the machine (an sc_module, "machine"), maps the devices, and runs
  // the SystemC kernel (sc_start) until the firmware ends the run, the
  // cycle limit or a deadlock stops it. The firmware's output goes to
  // `console`, the lock monitor's and the summary to `summary` (nullptr:
  // none). Returns the exit status spinlab would exit with. Once per process:
  // SystemC runs once.
  int run(std::FILE* console = stdout, std::FILE* summary = stdout);

  // After run(): the cycle the run stopped at, why ("the firmware wrote the
  // test finisher", ...), and the firmware's own exit code.
  uint64_t cycles() const;
  std::string stop_reason() const;
  int firmware_exit_code() const;
  // The ELF that runs, resolved.
  const std::string& firmware() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinlab

#endif

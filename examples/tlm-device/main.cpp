// The timer in a program of your own: spinlab as a library (libspinlab,
// <spinlab/platform.h>) with your own sc_main, instead of a plugin. The
// platform is an sc_module like the timer: elaborate both, bind the timer's
// socket and interrupt to the platform, and run the kernel with sc_start().
//
//   tlm_device CONFIG [ELF]
//
// Builds the machine CONFIG describes, with the timer mapped where the
// config's [[device]] would have put the plugin (its [[device]] tables are
// dropped: the timer here is this program's), runs ELF (else the config's
// firmware.program), and exits with spinlab's exit status.
#include <cstdio>
#include <string>
#include <vector>

#include <spinlab/platform.h>
#include <systemc>

#include "timer.h"

int sc_main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s CONFIG [ELF]\n", argv[0]);
    return 64;
  }
  try {
    // The config's machine; "device=[]" as a --set would: no plugins.
    std::vector<std::string> sets = {"device=[]"};
    if (argc > 2) sets.push_back(std::string("firmware.program=\"") + argv[2] + "\"");
    spinlab::Platform platform("platform", argv[1], sets);

    // One tick per 10 ns (a cycle at 100 MHz), 20 ns (2 cycles) per access.
    example::Timer timer("timer0", sc_core::sc_time(10, sc_core::SC_NS), sc_core::sc_time(20, sc_core::SC_NS));
    platform.map("timer0", 0x10030000, 0x1000, timer.socket);  // the bus's initiator socket to the timer's
    timer.irq(platform.irq(5, "timer0"));                      // its interrupt output drives PLIC source 5

    sc_core::sc_start();  // returns when the firmware ends the run (the platform calls sc_stop)

    const unsigned expiries = timer.peek(example::Timer::kExpiries, sc_core::sc_time_stamp());
    std::printf("tlm_device: %s at cycle %llu; the timer expired %u times\n", platform.stop_reason().c_str(),
                static_cast<unsigned long long>(platform.cycles()), expiries);
    // The firmware checks the timer and says so with its exit code.
    if (platform.firmware_exit_code() != 0)
      std::fprintf(stderr, "tlm_device: the firmware failed (exit code %d)\n", platform.firmware_exit_code());
    return platform.exit_status();
  } catch (const spinlab::PlatformError& e) {
    std::fprintf(stderr, "tlm_device: %s\n", e.what());
    return e.exit_code();
  }
}

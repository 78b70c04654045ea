// The timer in a program of your own: spinlab as a library (libspinlab,
// <spinlab/platform.h>) with your own sc_main, instead of a plugin.
//
//   tlm_device CONFIG [ELF]
//
// Builds the machine CONFIG describes, with the timer mapped where the
// config's [[device]] would have put the plugin (its [[device]] tables are
// dropped: the timer here is this program's), runs ELF (else the config's
// firmware.program), and exits with spinlab's exit status.
#include <cstdio>

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
    spinlab::Platform platform(argv[1], argc > 2 ? argv[2] : "", {"device=[]"});
    // One tick per 10 ns (a cycle at 100 MHz), 20 ns (2 cycles) per access.
    example::Timer timer("timer0", sc_core::sc_time(10, sc_core::SC_NS), sc_core::sc_time(20, sc_core::SC_NS));
    platform.attach("timer0", 0x10030000, 0x1000, timer.socket, &timer.irq, 5);
    const int status = platform.run();
    std::printf("tlm_device: %s at cycle %llu; the timer expired %u times\n", platform.stop_reason().c_str(),
                static_cast<unsigned long long>(platform.cycles()), timer.peek(example::Timer::kExpiries,
                                                                               sc_core::sc_time_stamp()));
    return status;
  } catch (const spinlab::PlatformError& e) {
    std::fprintf(stderr, "tlm_device: %s\n", e.what());
    return e.exit_code();
  }
}

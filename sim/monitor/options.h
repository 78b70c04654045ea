// The lock monitor's thresholds (sim/monitor/monitor.h), apart so that the config
// (sim/load/config.h) can carry them without knowing the monitor.
#pragma once

#include <cstdint>

namespace spinlab {

// The knobs of the heuristics (docs/monitor.md, "Thresholds"); config keys
// monitor.* (docs/config.md).
struct MonitorOptions {
  // A spin is stuck, and a wait-for cycle through it a deadlock, after this
  // many failed attempts in a row...
  uint32_t deadlock_attempts = 8;
  // ...or after spinning this many cycles (with at least two attempts).
  uint64_t deadlock_cycles = 20'000;
  // Failed attempts in a row by one hart, on a word someone holds, that
  // make it a lock ("it is being spun on").
  uint32_t confirm_attempts = 2;
  // A spin whose last attempt is older than this (or than 4 of its own
  // intervals between attempts, if more) has been given up: the hart no
  // longer waits.
  uint64_t stale_cycles = 1'000;
};

}  // namespace spinlab

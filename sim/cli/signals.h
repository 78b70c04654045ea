// Ctrl-C (SIGINT) and SIGTERM end a run cleanly: the handler only notes the
// signal, the run stops at its next progress check (a cycle boundary, at
// most 2^16 cycles on) with StopReason::interrupted, and the summary, the
// report, the timeline and a VCD ending on a whole timestamp are written as
// for any other end. Exit 128 + the signal (130, 143; docs/exit-codes.md).
// A second signal while the first is being handled ends the process at once,
// as if no handler were there.
#pragma once

#include <cstdint>

namespace spinlab {

// Installs the handlers (SA_RESTART: a blocked read is not cut short).
void catch_stop_signals();
// The signal that asked the run to stop, or 0.
int stop_signal();
// Asks the run to stop as if `sig` had arrived, unless a signal already
// did: a closed standard output (sim/cli/standard_output.h) is SIGPIPE,
// ending the run as SIGTERM would, with exit 141.
void stop_for_signal(int sig);

// How often, in cycles, a run checks stop_signal(): rarely enough to cost
// nothing, often enough to answer at once (2^16 cycles is under 1 ms).
constexpr uint64_t kSignalCheckCycles = uint64_t{1} << 16;

}  // namespace spinlab

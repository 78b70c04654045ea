#include "sim/out/run_result.h"

#include "sim/load/error.h"

namespace spinlab {

int exit_status(const RunOutcome& outcome) {
  switch (outcome.reason) {
    case models::StopReason::finisher:
    case models::StopReason::tohost: return outcome.exit_code & 0xff;
    case models::StopReason::cycle_limit: return static_cast<int>(ExitCode::cycle_limit);
    case models::StopReason::asleep: return static_cast<int>(ExitCode::asleep);
    case models::StopReason::deadlock: return static_cast<int>(ExitCode::deadlock);
    case models::StopReason::killed: return static_cast<int>(ExitCode::killed);
    // As a shell reports a process a signal ended: 130 for SIGINT, 143 for SIGTERM.
    case models::StopReason::interrupted: return 128 + (outcome.signal ? outcome.signal : 2);
    case models::StopReason::running: break;
  }
  return static_cast<int>(ExitCode::internal);
}

}  // namespace spinlab

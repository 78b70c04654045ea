// SystemC housekeeping: a quiet kernel (no banner, no info reports) and a
// fresh one for each simulation when a process runs several (tests).
#pragma once

namespace spinlab::models {

// Silences the banner and informational reports. Call before creating modules.
void quiet_systemc();
// Replaces the simulation context with a new one, so a new machine can be
// elaborated and run after an earlier one has finished.
void fresh_systemc_kernel();

}  // namespace spinlab::models

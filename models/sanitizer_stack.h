// AddressSanitizer told where the stack is once SystemC's coroutines ran
// (docs/testing.md, "The sanitizer build").
#pragma once

namespace spinlab::models {

// Tells AddressSanitizer that the code now runs on its thread's own stack
// again, and clears the stale marks below the caller's frame. Call on the
// main stack after sc_start returns or throws, and first thing in an
// end_of_simulation callback, before anything there can throw. Without it an
// exception thrown after the simulation ends in a false stack-buffer-overflow.
// Does nothing in other builds, or on a coroutine's stack.
void resync_sanitizer_stack();

}  // namespace spinlab::models

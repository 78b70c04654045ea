// A libFuzzer binary for one target (SPINLAB_FUZZ_TARGET, its function in
// targets.h): libFuzzer's main drives it (the clang build, SPINLAB_FUZZ=ON).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spinlab::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  spinlab::fuzz::SPINLAB_FUZZ_TARGET(data, size);
  return 0;
}

// libsystemc refers to sc_main (its own main calls it); libFuzzer's main is
// the one that runs, so this one never does.
extern "C" int sc_main(int, char**) { return 0; }

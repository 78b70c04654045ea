// The main of every GoogleTest binary that links SystemC. GoogleTest runs
// from sc_main, inside SystemC's own start-up, so that each test can
// elaborate and run machines.
#include <gtest/gtest.h>
#include <systemc>

#include "models/kernel.h"

int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

// Our own main (instead of libsystemc's) so the kernel is quiet before it
// prints anything.
int main(int argc, char** argv) {
  spinlab::models::quiet_systemc();
  return sc_core::sc_elab_and_sim(argc, argv);
}

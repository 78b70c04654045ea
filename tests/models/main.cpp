// libsystemc provides main(); GoogleTest runs from sc_main.
#include <gtest/gtest.h>

#include "models/kernel.h"

int sc_main(int argc, char** argv) {
  spinlab::models::quiet_systemc();
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

// libspinlab's Platform (include/spinlab/platform.h), linked as a user's
// program links it: the same run as `spinlab run`, errors as one line with
// spinlab's exit code. SystemC runs once per process, and ctest runs each
// test in a process of its own.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <spinlab/platform.h>

namespace {

const std::string kHello = std::string(DEVICES_FIRMWARE_DIR) + "/hello.elf";

TEST(Platform, RunsAProgramAsSpinlabRunDoes) {
  spinlab::Platform p(kHello);
  EXPECT_EQ(p.firmware(), kHello);
  std::FILE* null = std::fopen("/dev/null", "w");
  ASSERT_NE(null, nullptr);
  EXPECT_EQ(p.run(null, null), 0);
  std::fclose(null);
  EXPECT_EQ(p.cycles(), 370281u);  // hello's cycle count, as everywhere
  EXPECT_EQ(p.stop_reason(), "the firmware wrote the test finisher");
  EXPECT_EQ(p.firmware_exit_code(), 0);
  EXPECT_THROW(p.run(), spinlab::PlatformError);  // SystemC runs once
}

TEST(Platform, SetsApplyAsOnTheCommandLine) {
  spinlab::Platform p(kHello, "", {"run.max_cycles=1000"});
  std::FILE* null = std::fopen("/dev/null", "w");
  EXPECT_EQ(p.run(null, nullptr), 124);  // the cycle limit's exit status
  std::fclose(null);
  EXPECT_EQ(p.cycles(), 1000u);
}

TEST(Platform, ErrorsAreSpinlabsOneLineAndExitCode) {
  try {
    spinlab::Platform p(kHello, "", {"machine.harts=0"});
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 65);
    EXPECT_EQ(std::string(e.what()), "--set machine.harts=0: machine.harts: expected an integer from 1 to 64, got 0");
  }
  try {
    spinlab::Platform p("no-such-dir/m.toml");
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 66);
  }
}

}  // namespace

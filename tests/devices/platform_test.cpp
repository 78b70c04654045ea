// libspinlab's Platform (include/spinlab/platform.h), linked as a user's
// program links it: an sc_module the test elaborates, runs with its own
// sc_start(), and reads afterwards; the same run as `spinlab run`, errors as
// one line with spinlab's exit code. SystemC elaborates and runs once per
// process, and ctest runs each test in a process of its own.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spinlab/platform.h>
#include <tlm_utils/simple_target_socket.h>

namespace {

const std::string kHello = std::string(DEVICES_FIRMWARE_DIR) + "/hello.elf";

// Output nobody reads.
struct Null {
  std::FILE* f = std::fopen("/dev/null", "w");
  ~Null() { std::fclose(f); }
};

spinlab::PlatformOptions quiet(const Null& null, std::vector<std::string> sets = {}) {
  spinlab::PlatformOptions o;
  o.sets = std::move(sets);
  o.console = null.f;
  o.summary = nullptr;
  return o;
}

// A target that answers every access with 0 and drives an interrupt line
// it never raises: enough to be mapped and bound.
struct Quiet : sc_core::sc_module {
  tlm_utils::simple_target_socket<Quiet, 32> socket{"socket"};
  sc_core::sc_out<bool> irq{"irq"};
  explicit Quiet(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport(this, &Quiet::b_transport);
  }
  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time&) { tx.set_response_status(tlm::TLM_OK_RESPONSE); }
};

TEST(Platform, IsAModuleTheUsersScStartRuns) {
  Null null;
  spinlab::Platform p("platform", kHello, quiet(null));
  EXPECT_STREQ(p.name(), "platform");
  EXPECT_EQ(p.firmware(), kHello);
  EXPECT_FALSE(p.ended());
  sc_core::sc_start();  // returns when the firmware has written the finisher
  ASSERT_TRUE(p.ended());
  EXPECT_EQ(p.cycles(), 370281u);  // hello's cycle count, as everywhere
  EXPECT_EQ(p.stop_reason(), "the firmware wrote the test finisher");
  EXPECT_EQ(p.firmware_exit_code(), 0);
  EXPECT_EQ(p.exit_status(), 0);
  // SystemC time went as far as the run did: 10 ns a cycle at 100 MHz.
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(3702810, sc_core::SC_NS));
}

TEST(Platform, RunIsScStartAndTheExitStatus) {
  Null null;
  spinlab::Platform p("platform", kHello, quiet(null, {"run.max_cycles=1000"}));
  EXPECT_EQ(p.run(), 124);  // the cycle limit's exit status
  EXPECT_EQ(p.cycles(), 1000u);
  EXPECT_THROW(p.run(), spinlab::PlatformError);  // SystemC runs once
}

TEST(Platform, WritesTheSummaryAndTheReport) {
  Null null;
  const std::string report = ::testing::TempDir() + "platform_report.json";
  std::remove(report.c_str());
  std::FILE* summary = std::tmpfile();
  spinlab::PlatformOptions o = quiet(null);
  o.summary = summary;
  o.report = report;
  spinlab::Platform p("platform", kHello, o);
  sc_core::sc_start();
  EXPECT_EQ(p.exit_status(), 0);
  std::rewind(summary);
  char line[256] = {};
  std::string text;
  while (std::fgets(line, sizeof line, summary)) text += line;
  std::fclose(summary);
  EXPECT_NE(text.find("spinlab: stopped at cycle 370281"), std::string::npos) << text;
  std::ifstream in(report);
  std::stringstream json;
  json << in.rdbuf();
  EXPECT_NE(json.str().find("\"cycles\": 370281"), std::string::npos) << json.str();
}

// A report that fails as it is written (a full disk) is spinlab's 66, thrown
// by run() after sc_start: in the sanitizer build, also the test that
// AddressSanitizer follows that throw (docs/testing.md).
TEST(Platform, AReportThatCannotBeWrittenIs66AfterTheRun) {
  Null null;
  spinlab::PlatformOptions o = quiet(null, {"run.max_cycles=1000"});
  o.report = "/dev/full";
  spinlab::Platform p("platform", kHello, o);
  try {
    p.run();
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 66);
    EXPECT_STREQ(e.what(), "/dev/full: writing the report failed: No space left on device");
  }
  EXPECT_EQ(p.cycles(), 1000u);
}

TEST(Platform, MapsAUsersSocketAndLine) {
  Null null;
  spinlab::Platform p("platform", kHello, quiet(null));
  Quiet q("quiet");
  p.map("quiet", 0x10030000, 0x1000, q.socket);
  q.irq(p.irq(5, "quiet"));
  // Over the UART: refused with one line naming the device.
  Quiet other("other");
  try {
    p.map("other", 0x10000000, 0x100, other.socket);
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 65);
    EXPECT_NE(std::string(e.what()).find("other"), std::string::npos) << e.what();
  }
  // A line someone drives already, and one the PLIC does not have.
  EXPECT_THROW(p.irq(5, "other"), spinlab::PlatformError);
  try {
    p.irq(0, "other");
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("other: interrupt line 0 is not a PLIC source (1..", 0), 0u) << e.what();
  }
  p.map("other", 0x10040000, 0x100, other.socket);
  other.irq(p.irq(6, "other"));
  sc_core::sc_start();
  EXPECT_EQ(p.cycles(), 370281u);  // devices nobody touches change nothing
  EXPECT_EQ(p.exit_status(), 0);
}

TEST(Platform, ErrorsAreSpinlabsOneLineAndExitCode) {
  try {
    spinlab::Platform p("p1", kHello, {"machine.harts=0"});
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 65);
    EXPECT_EQ(std::string(e.what()), "--set machine.harts=0: machine.harts: expected an integer from 1 to 64, got 0");
  }
  try {
    spinlab::Platform p("p2", "no-such-dir/m.toml");
    FAIL() << "no error";
  } catch (const spinlab::PlatformError& e) {
    EXPECT_EQ(e.exit_code(), 66);
  }
}

}  // namespace

// The narrative's order (sim/out/narrate.h): lines held until nothing earlier
// can come, the firmware's lines whole at the cycle they completed, the
// horizon that bounds memory; and the filters' option values.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "sim/load/error.h"
#include "sim/monitor/monitor.h"
#include "sim/out/narrate.h"

namespace spinlab {
namespace {

// A Narrator writing into a string, with the machine's cycle and the
// monitor's earliest untold cycle set by the test.
struct Rig {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  uint64_t now = 0;
  uint64_t untold = UINT64_MAX;
  Narrator n{out, out, [this] { return now; }, [this] { return untold; }, 10};
  ~Rig() {
    std::fclose(out);
    std::free(buf);
  }
  std::string text() {
    std::fflush(out);
    return std::string(buf, size);
  }
};

TEST(Narrator, HoldsLinesUntilNothingEarlierCanCome) {
  Rig r;
  r.now = 100;
  r.untold = 50;  // the monitor may still tell of cycle 50
  r.n.add(60, "b");
  r.n.add(55, "a");
  EXPECT_EQ(r.text(), "");
  r.n.add(50, "first");  // told late, at the cycle it was holding back
  EXPECT_EQ(r.text(), "");
  r.untold = UINT64_MAX;
  r.now = 1000;
  r.n.add(995, "c");  // within the lookahead of 10: held
  EXPECT_EQ(r.text(), "first\na\nb\n");
  r.n.finish();
  EXPECT_EQ(r.text(), "first\na\nb\nc\n");
  EXPECT_EQ(r.n.late(), 0u);
}

TEST(Narrator, SameCycleKeepsTheOrderTold) {
  Rig r;
  r.now = 25;  // with the lookahead of 10, nothing after 15 is printed yet
  r.n.add(20, "one");
  r.n.add(20, "two");
  r.n.add(19, "zero");
  r.n.add(20, "three");
  r.n.finish();
  EXPECT_EQ(r.text(), "zero\none\ntwo\nthree\n");
}

TEST(Narrator, FirmwareLinesWholeAtTheCycleTheyCompleted) {
  Rig r;
  r.now = 100;
  std::fputs("hel", r.n.uart_file());
  r.n.add(105, "an event in the middle of the line");
  r.now = 110;
  std::fputs("lo\nunfinished", r.n.uart_file());
  r.n.add(101, "an earlier event");
  r.n.finish();
  EXPECT_EQ(r.text(), "an earlier event\nan event in the middle of the line\nhello\nunfinished");
}

TEST(Narrator, PrintsPastTheHorizonAndCountsWhatComesLate) {
  Rig r;
  r.untold = 0;  // something the monitor never tells
  r.now = 100;
  r.n.add(100, "early");
  EXPECT_EQ(r.text(), "");
  r.now = 100 + kNarrateHorizon + 1;
  r.n.add(r.now, "later");
  EXPECT_EQ(r.text(), "early\n");
  r.n.add(50, "learnt too late");
  EXPECT_EQ(r.n.late(), 1u);
  r.n.finish();
  EXPECT_EQ(r.text(), "early\nlearnt too late\nlater\n");
}

TEST(NarrateFilter, HartsAndCycles) {
  NarrateFilter f;
  parse_narrate_harts("0,2", 3, f);
  EXPECT_TRUE(f.hart(0));
  EXPECT_FALSE(f.hart(1));
  EXPECT_TRUE(f.hart(2));
  parse_narrate_cycles("100..200", f);
  EXPECT_FALSE(f.cycle(99));
  EXPECT_TRUE(f.cycle(100));
  EXPECT_TRUE(f.cycle(200));
  EXPECT_FALSE(f.cycle(201));
  parse_narrate_cycles("300..", f);
  EXPECT_TRUE(f.cycle(UINT64_MAX));
  EXPECT_FALSE(f.cycle(299));
  parse_narrate_cycles("..7", f);
  EXPECT_TRUE(f.cycle(0));
  EXPECT_FALSE(f.cycle(8));
  Event e;
  e.kind = EventKind::acquire;
  e.hart = 2;
  e.cycle = 5;
  e.lock = 0x80001000;
  EXPECT_TRUE(f.event(e));
  f.locks = {0x80002000};
  EXPECT_FALSE(f.event(e));
  e.lock = 0x80002000;
  EXPECT_TRUE(f.event(e));
  e.kind = EventKind::interrupt;  // not about a lock
  EXPECT_FALSE(f.event(e));
}

TEST(NarrateFilter, BadValuesAreUsageErrors) {
  NarrateFilter f;
  for (const char* bad : {"", "1,", "a", "3", "0,-1"}) {
    try {
      parse_narrate_harts(bad, 3, f);
      ADD_FAILURE() << "--harts " << bad << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::usage) << bad;
    }
  }
  for (const char* bad : {"", "..", "5", "9..2", "x..3", "1...4"}) {
    try {
      parse_narrate_cycles(bad, f);
      ADD_FAILURE() << "--cycles " << bad << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::usage) << bad;
    }
  }
}

}  // namespace
}  // namespace spinlab

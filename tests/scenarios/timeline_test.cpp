// The timeline (--timeline) of teaching scenarios, run the way a student
// runs them: the file must open in Perfetto (valid JSON, one track per hart,
// spans that nest on every track) and show what the lesson is about.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../trace_event_check.h"

namespace {

using nlohmann::json;
using spinlab::test::check_trace;
using spinlab::test::TraceCheck;
using spinlab::test::TraceSlice;
using spinlab::test::TraceTrack;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TimelineRun {
  int exit_code = -1;
  std::string output;
  std::string text;  // the timeline file
  json timeline;
  json report;
  TraceCheck check;
};

TimelineRun run(const std::string& name, const std::string& args = "", const std::string& tag = "") {
  // The process id keeps runs of two build trees at once apart; a program's
  // path becomes one file name.
  std::string file = name;
  for (char& c : file)
    if (c == '/') c = '_';
  const std::string base = ::testing::TempDir() + "/" + std::to_string(getpid()) + "-timeline-" + file + tag;
  std::string cmd = std::string(SPINLAB_BINARY) + " run " + name + " -q --timeline " + base + ".tl.json --report " +
                    base + ".report.json " + args + " >" + base + ".out 2>&1";
  int status = std::system(cmd.c_str());
  TimelineRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.output = read(base + ".out");
  r.text = read(base + ".tl.json");
  r.timeline = json::parse(r.text, nullptr, false);
  r.report = json::parse(read(base + ".report.json"), nullptr, false);
  if (r.timeline.is_object()) r.check = check_trace(r.timeline);
  for (const char* suffix : {".tl.json", ".report.json", ".out"}) std::remove((base + suffix).c_str());
  return r;
}

// What every timeline must be: JSON, one named track per hart, nested spans.
void expect_well_formed(const TimelineRun& r) {
  ASSERT_FALSE(r.timeline.is_discarded()) << "not JSON:\n" << r.text.substr(0, 2000) << r.output;
  ASSERT_FALSE(r.report.is_discarded()) << r.output;
  for (const std::string& p : r.check.problems) ADD_FAILURE() << p;
  EXPECT_EQ(r.timeline["displayTimeUnit"], "ns");
  size_t harts = r.report["harts"].size();
  ASSERT_GT(harts, 0u);
  size_t named = 0;
  for (const auto& [key, track] : r.check.tracks) {
    EXPECT_EQ(key.first, 1);
    EXPECT_LT(key.second, static_cast<int>(harts)) << "a track for a hart that does not exist";
    if (track.thread_name == "hart" + std::to_string(key.second)) ++named;
  }
  EXPECT_EQ(named, harts);
  // Every span ends by the cycle the run stopped at.
  double last = r.report["cycles"].get<double>() / r.timeline["otherData"]["clock_hz"].get<double>() * 1e6;
  for (const auto& [key, track] : r.check.tracks)
    for (const TraceSlice& s : track.slices) EXPECT_LE(s.end, last * (1 + 1e-12)) << s.name;
}

std::vector<TraceSlice> named(const TraceTrack& t, const std::string& name) {
  std::vector<TraceSlice> out;
  for (const TraceSlice& s : t.slices)
    if (s.name == name) out.push_back(s);
  return out;
}

// The lesson's picture: hart0 holds tickslock; a timer interrupt comes; its
// handler spins on tickslock, to the end of the run; the deadlock is marked
// at the cycle the report gives.
TEST(Timeline, IrqDeadlockShowsTheHandlerSpinningInsideTheHold) {
  TimelineRun r = run("irq-deadlock");
  EXPECT_EQ(r.exit_code, 126) << r.output;
  expect_well_formed(r);
  const TraceTrack& t = r.check.tracks.at({1, 0});
  int chains = 0;
  for (size_t i = 0; i < t.slices.size(); ++i) {
    const TraceSlice& s = t.slices[i];
    if (s.name != "wait tickslock") continue;
    std::vector<std::string> up = r.check.ancestors(t, static_cast<int>(i));
    if (up.size() >= 2 && up[0] == "timer interrupt" && up[1] == "hold tickslock") {
      ++chains;
      EXPECT_EQ(s.args["unfinished"], true);
      EXPECT_EQ(s.args["context"], "timer interrupt");
      EXPECT_EQ(s.args["mie"], false);
      EXPECT_EQ(s.args["at"].get<std::string>().rfind("spin_lock", 0), 0u) << s.args.dump();
    }
  }
  EXPECT_EQ(chains, 1) << "hold tickslock > timer interrupt > wait tickslock on hart0";

  ASSERT_EQ(r.report["findings"].size(), 1u);
  const json& f = r.report["findings"][0];
  ASSERT_EQ(t.instants.size(), 1u);
  const json& i = t.instants[0];
  EXPECT_EQ(i["args"]["kind"], "irq-deadlock");
  EXPECT_EQ(i["args"]["cycle"], f["cycle"]);
  EXPECT_DOUBLE_EQ(i["ts"].get<double>(), f["cycle"].get<double>() / 100.0);  // 100 MHz: 10 ns a cycle
  EXPECT_EQ(i["args"]["rule"], f["rule"]);
  EXPECT_EQ(i["args"]["lock"], "tickslock");
}

// firmware/tests/user_mode.c drops to U mode with mret and comes back by
// ecalls, faults and an interrupt: each stretch in U is a user span on
// hart0's track, the handlers follow them (none inside one), and it all
// nests. The first drop, an mret with no trap to return from, begins the
// first span too. Cycles against the VCD and the narrative:
// tests/trace/user_mode.sh.
TEST(Timeline, UserModeCodeIsAUserSpanBetweenHandlers) {
  TimelineRun r = run(std::string(SPINLAB_FIRMWARE_DIR) + "/user_mode.elf");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  expect_well_formed(r);
  const TraceTrack& t = r.check.tracks.at({1, 0});
  std::vector<TraceSlice> user = named(t, "user");
  ASSERT_GE(user.size(), 20u) << r.text.substr(0, 2000);
  EXPECT_EQ(user[0].args["at"].get<std::string>().rfind("u_", 0), 0u) << user[0].args.dump();
  EXPECT_EQ(user[0].args["ended"], "exception:ecall-u");
  EXPECT_EQ(user[1].args["at"].get<std::string>().rfind("u_syscalls", 0), 0u) << user[1].args.dump();
  std::set<std::string> ended;
  for (const TraceSlice& s : user) {
    EXPECT_EQ(s.cat, "user");
    EXPECT_FALSE(s.args.contains("unfinished")) << "the run ends in M mode";
    if (s.args.contains("ended")) ended.insert(s.args["ended"].get<std::string>());
  }
  EXPECT_TRUE(ended.count("exception:ecall-u"));
  EXPECT_TRUE(ended.count("exception:load-fault"));
  EXPECT_TRUE(ended.count("software interrupt"));
  size_t handlers = 0;
  for (size_t i = 0; i < t.slices.size(); ++i) {
    if (t.slices[i].cat != "handler" && t.slices[i].name != "user") continue;
    ++handlers;
    std::vector<std::string> up = r.check.ancestors(t, static_cast<int>(i));
    EXPECT_EQ(std::count(up.begin(), up.end(), "user"), 0)
        << t.slices[i].name << " at cycle " << t.slices[i].args["cycle"] << " is inside a user span";
  }
  EXPECT_GT(handlers, user.size());
}

// Same run, same bytes.
TEST(Timeline, IsTheSameEveryRun) {
  TimelineRun a = run("irq-deadlock", "", "-a");
  TimelineRun b = run("irq-deadlock", "", "-b");
  ASSERT_FALSE(a.text.empty());
  EXPECT_TRUE(a.text == b.text) << "two runs of irq-deadlock wrote different timelines";
}

// xv6: nested holds, and a timer handler that takes tickslock inside pop_off.
TEST(Timeline, Xv6NestsItsHoldsAndHandlers) {
  TimelineRun r = run("xv6");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  expect_well_formed(r);
  EXPECT_TRUE(r.check.tracks.at({1, 0}).instants.empty());
  int in_handler = 0;
  for (const auto& [key, t] : r.check.tracks)
    for (size_t i = 0; i < t.slices.size(); ++i)
      if (t.slices[i].name == "hold tickslock") {
        std::vector<std::string> up = r.check.ancestors(t, static_cast<int>(i));
        EXPECT_FALSE(t.slices[i].args.contains("unfinished"));
        if (!up.empty() && up[0] == "timer interrupt") ++in_handler;
      }
  EXPECT_GT(in_handler, 0);
}

// Two harts; the unsafe variant warns, and the warning is an instant.
TEST(Timeline, OtherCpuWarningIsAnInstant) {
  TimelineRun r = run("other-cpu", "--set firmware.params.use_irqsave=0");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  expect_well_formed(r);
  EXPECT_EQ(r.check.tracks.size(), 2u);
  std::vector<json> warnings;
  for (const auto& [key, t] : r.check.tracks)
    for (const json& i : t.instants) warnings.push_back(i);
  ASSERT_EQ(warnings.size(), 1u);
  ASSERT_EQ(r.report["findings"].size(), 1u);
  EXPECT_EQ(warnings[0]["args"]["kind"], "irq-unsafe-lock");
  EXPECT_EQ(warnings[0]["args"]["cycle"], r.report["findings"][0]["cycle"]);
  EXPECT_EQ(warnings[0]["tid"], r.report["findings"][0]["hart"]);
  EXPECT_FALSE(warnings[0]["args"]["rule"].get<std::string>().empty());
}

// Four harts contending: one hold span per acquisition in the lock table
// (continued pieces aside), and spins that end in the lock.
TEST(Timeline, TestAndSetHasAHoldPerAcquisition) {
  TimelineRun r = run("test-and-set");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  expect_well_formed(r);
  EXPECT_EQ(r.check.tracks.size(), 4u);
  ASSERT_EQ(r.report["locks"].size(), 1u);
  const json& lock = r.report["locks"][0];
  int holds = 0, spins = 0;
  for (const auto& [key, t] : r.check.tracks) {
    for (const TraceSlice& s : named(t, "hold countlock")) holds += s.args.contains("continued") ? 0 : 1;
    for (const TraceSlice& s : named(t, "wait countlock")) {
      ++spins;
      EXPECT_EQ(s.args["ended"], "acquired");
    }
  }
  EXPECT_EQ(holds, lock["acquisitions"].get<int>());
  // The monitor tells of a spin only once the word is known as a lock; the
  // lock table also counts those before (at most one per waiting hart, while
  // the first hold was on).
  EXPECT_LE(spins, lock["waits"].get<int>());
  EXPECT_GE(spins, lock["waits"].get<int>() - 3);
  EXPECT_GT(spins, 1000);
}

TEST(Timeline, NeedsTheMonitor) {
  TimelineRun r = run("hello", "--set run.monitor=off");
  EXPECT_EQ(r.exit_code, 65) << r.output;
  EXPECT_NE(r.output.find("run.monitor"), std::string::npos) << r.output;
  EXPECT_TRUE(r.text.empty());
}

// 21-nested-irq: the device's handler inside the timer handler on hart0's
// track (the timer handler works with interrupts on), never a timer handler
// inside a timer handler; with nest = 0 every handler stands alone.
TEST(Timeline, NestedIrqShowsTheDeviceHandlerInsideTheTimerHandler) {
  for (int nest : {1, 0}) {
    TimelineRun r = run("nested-irq", "--set firmware.params.nest=" + std::to_string(nest), std::to_string(nest));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    expect_well_formed(r);
    const TraceTrack& t = r.check.tracks.at({1, 0});
    int timers = 0, timer_in_timer = 0, dev = 0, dev_in_timer = 0;
    for (size_t i = 0; i < t.slices.size(); ++i) {
      const std::string& name = t.slices[i].name;
      std::vector<std::string> up = r.check.ancestors(t, static_cast<int>(i));
      bool in_timer = std::find(up.begin(), up.end(), "timer interrupt") != up.end();
      if (name == "timer interrupt") {
        ++timers;
        timer_in_timer += in_timer;
      } else if (name == "external interrupt") {
        ++dev;
        dev_in_timer += in_timer;
        // Directly inside the timer handler, or in nothing at all.
        EXPECT_TRUE(up.empty() || up[0] == "timer interrupt") << (up.empty() ? "" : up[0]);
      }
    }
    EXPECT_EQ(timers, 6);
    EXPECT_EQ(timer_in_timer, 0) << "the timer nested with itself";
    if (nest) {
      EXPECT_EQ(dev, 40);
      EXPECT_GE(dev_in_timer, 10);
    } else {
      EXPECT_GT(dev, 0);
      EXPECT_EQ(dev_in_timer, 0);
    }
  }
}

}  // namespace

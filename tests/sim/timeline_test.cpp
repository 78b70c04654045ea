// The timeline writer on synthetic monitor events: the spans it makes, how it
// keeps them nested when holds and handlers do not (docs/timeline.md,
// "Nesting"), spans left open at the end, findings as instants, units.
#include "sim/out/timeline.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../trace_event_check.h"
#include "testutil.h"

namespace spinlab {
namespace {

using nlohmann::json;
using test::check_trace;
using test::TraceCheck;
using test::TraceSlice;
using test::TraceTrack;

constexpr uint32_t kLockA = 0x80002000;  // named "0x80002000": no ELF
constexpr uint32_t kLockB = 0x80002010;
constexpr uint32_t kTimer = 0x80000007;
constexpr uint32_t kEcall = 11;
const std::string kHoldA = "hold 0x80002000";
const std::string kHoldB = "hold 0x80002010";
const std::string kSpinA = "wait 0x80002000";

Event event(EventKind kind, uint64_t cycle, unsigned hart = 0, uint32_t lock = 0) {
  Event e;
  e.kind = kind;
  e.cycle = cycle;
  e.hart = hart;
  e.pc = 0x80000100;
  e.lock = lock;
  if (kind == EventKind::interrupt) e.mcause = kTimer;
  return e;
}

class TimelineTest : public ::testing::Test {
 protected:
  TimelineTest() : monitor_(nullptr, 2), timeline_(monitor_, {"unused.json", "spinlab test", 2, 100'000'000}) {}

  void add(EventKind kind, uint64_t cycle, unsigned hart = 0, uint32_t lock = 0) {
    timeline_.add(event(kind, cycle, hart, lock));
  }
  void add_irq(uint64_t cycle, unsigned hart = 0) {
    Event e = event(EventKind::interrupt, cycle, hart);
    e.context = Context::timer_irq;
    timeline_.add(e);
  }

  std::string text(uint64_t final_cycle, const std::vector<Finding>& findings = {}) const {
    std::ostringstream s;
    timeline_.write(s, final_cycle, findings);
    return s.str();
  }
  // The written trace, checked: every test's spans must nest.
  TraceCheck check(uint64_t final_cycle, const std::vector<Finding>& findings = {}) {
    json j = json::parse(text(final_cycle, findings));
    EXPECT_EQ(j["displayTimeUnit"], "ns");
    TraceCheck c = check_trace(j);
    for (const std::string& p : c.problems) ADD_FAILURE() << p;
    return c;
  }
  static const TraceTrack& hart(const TraceCheck& c, int h) { return c.tracks.at({1, h}); }
  static std::vector<TraceSlice> named(const TraceTrack& t, const std::string& name) {
    std::vector<TraceSlice> out;
    for (const TraceSlice& s : t.slices)
      if (s.name == name) out.push_back(s);
    return out;
  }
  // ts of a cycle at 100 MHz: 10 ns a cycle.
  static double us(uint64_t cycle) { return static_cast<double>(cycle) / 100.0; }

  Monitor monitor_;
  Timeline timeline_;
};

TEST_F(TimelineTest, OneTrackPerHartNamedAndSorted) {
  json j = json::parse(text(10));
  int names = 0, sorts = 0;
  for (const json& e : j["traceEvents"]) {
    if (e["ph"] != "M") continue;
    if (e["name"] == "process_name") {
      EXPECT_EQ(e["args"]["name"], "spinlab test");
    }
    if (e["name"] == "thread_name") {
      EXPECT_EQ(e["args"]["name"], "hart" + std::to_string(e["tid"].get<int>()));
      ++names;
    }
    if (e["name"] == "thread_sort_index") {
      EXPECT_EQ(e["args"]["sort_index"], e["tid"]);
      ++sorts;
    }
  }
  EXPECT_EQ(names, 2);  // hart1 has no events and still gets its track
  EXPECT_EQ(sorts, 2);
}

TEST_F(TimelineTest, HoldIsASpanInSimulatedMicroseconds) {
  add(EventKind::acquire, 12345, 1, kLockA);
  add(EventKind::release, 12500, 1, kLockA);
  TraceCheck c = check(20'000);
  std::vector<TraceSlice> h = named(hart(c, 1), kHoldA);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_DOUBLE_EQ(h[0].ts, 123.45);
  EXPECT_DOUBLE_EQ(h[0].end, 125.0);
  EXPECT_EQ(h[0].cat, "hold");
  EXPECT_EQ(h[0].args["cycle"], 12345);
  EXPECT_EQ(h[0].args["end_cycle"], 12500);
  EXPECT_EQ(h[0].args["cycles"], 155);
  EXPECT_EQ(h[0].args["lock"], "0x80002000");
  EXPECT_EQ(h[0].args["at"], "0x80000100");
  EXPECT_FALSE(h[0].args.contains("unfinished"));
  EXPECT_TRUE(hart(c, 0).slices.empty());
}

// acquire A, acquire B, release A, release B: B is cut where A ends and
// goes on as a second piece.
TEST_F(TimelineTest, OutOfOrderReleaseSplitsTheInnerHold) {
  add(EventKind::acquire, 10, 0, kLockA);
  add(EventKind::acquire, 20, 0, kLockB);
  add(EventKind::release, 30, 0, kLockA);
  add(EventKind::release, 40, 0, kLockB);
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  std::vector<TraceSlice> a = named(t, kHoldA), b = named(t, kHoldB);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_DOUBLE_EQ(a[0].ts, us(10));
  EXPECT_DOUBLE_EQ(a[0].end, us(30));
  EXPECT_DOUBLE_EQ(b[0].ts, us(20));
  EXPECT_DOUBLE_EQ(b[0].end, us(30));
  EXPECT_EQ(b[0].depth, 1);
  EXPECT_EQ(b[0].args["continues"], true);
  EXPECT_DOUBLE_EQ(b[1].ts, us(30));
  EXPECT_DOUBLE_EQ(b[1].end, us(40));
  EXPECT_EQ(b[1].depth, 0);
  EXPECT_EQ(b[1].args["continued"], true);
  EXPECT_EQ(b[1].args["cycle"], 20);   // the hold's own start...
  EXPECT_EQ(b[1].args["cycles"], 20);  // ...and its whole length
  EXPECT_EQ(a[0].args["cycles"], 20);
}

// A handler inside a hold; in the handler, a lock taken and released only
// after mret: that hold is cut at mret and goes on outside the handler.
TEST_F(TimelineTest, HandlerNestsInAHoldAndAHoldOutlivesItsHandler) {
  add(EventKind::acquire, 10, 0, kLockA);
  add_irq(20);
  add(EventKind::acquire, 25, 0, kLockB);
  add(EventKind::mret, 30);
  add(EventKind::release, 40, 0, kLockB);
  add(EventKind::release, 50, 0, kLockA);
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  std::vector<TraceSlice> irq = named(t, "timer interrupt"), b = named(t, kHoldB);
  ASSERT_EQ(irq.size(), 1u);
  EXPECT_DOUBLE_EQ(irq[0].ts, us(20));
  EXPECT_DOUBLE_EQ(irq[0].end, us(30));
  EXPECT_EQ(irq[0].cat, "handler");
  EXPECT_EQ(irq[0].args["mcause"], "0x80000007");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(c.ancestors(t, 2), (std::vector<std::string>{"timer interrupt", kHoldA}));
  EXPECT_DOUBLE_EQ(b[0].end, us(30));
  EXPECT_DOUBLE_EQ(b[1].ts, us(30));
  EXPECT_DOUBLE_EQ(b[1].end, us(40));
  EXPECT_EQ(b[1].depth, 1);  // now directly in hold A
  EXPECT_DOUBLE_EQ(named(t, kHoldA)[0].end, us(50));
}

// A bottom half is a span inside its handler's, up to the handler's mret;
// an interrupt nested in it is a handler span inside the bottom half's,
// with its depth and the context it came in.
TEST_F(TimelineTest, ABottomHalfAndAnInterruptNestedInItLieInsideTheirHandler) {
  add_irq(10);
  Event bh = event(EventKind::bottom_half, 20);
  bh.mcause = kTimer;
  bh.context = Context::softirq;
  bh.irq_depth = 1;
  timeline_.add(bh);
  add(EventKind::acquire, 25, 0, kLockA);
  Event nested = event(EventKind::interrupt, 30);
  nested.mcause = 0x80000003;
  nested.context = Context::software_irq;
  nested.irq_depth = 2;
  nested.interrupted = Context::softirq;
  timeline_.add(nested);
  add(EventKind::mret, 40);
  add(EventKind::release, 45, 0, kLockA);
  add(EventKind::mret, 50);
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  std::vector<TraceSlice> soft = named(t, "bottom half (softirq)"), inner = named(t, "software interrupt");
  ASSERT_EQ(soft.size(), 1u);
  EXPECT_EQ(soft[0].cat, "softirq");
  EXPECT_DOUBLE_EQ(soft[0].ts, us(20));
  EXPECT_DOUBLE_EQ(soft[0].end, us(50));
  EXPECT_EQ(soft[0].args["context"], "bottom half (softirq)");
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0].args["irq_depth"], 2);
  EXPECT_EQ(inner[0].args["nested_in"], "bottom half (softirq)");
  EXPECT_DOUBLE_EQ(inner[0].end, us(40));
  for (size_t i = 0; i < t.slices.size(); ++i) {
    if (t.slices[i].name == "software interrupt") {
      EXPECT_EQ(c.ancestors(t, static_cast<int>(i)),
                (std::vector<std::string>{kHoldA, "bottom half (softirq)", "timer interrupt"}));
    }
  }
}

// The irq deadlock: hold A, a timer interrupt, the handler spins on A and
// never gets it. Everything ends at the final cycle, unfinished.
TEST_F(TimelineTest, SpansOpenAtTheEndAreUnfinished) {
  add(EventKind::acquire, 10, 0, kLockA);
  add_irq(20);
  add(EventKind::spin, 24, 0, kLockA);
  Finding f;
  f.kind = FindingKind::irq_deadlock;
  f.cycle = 60;
  f.hart = 0;
  f.lock = {kLockA, "0x80002000"};
  f.rule = "a rule";
  f.lesson = "docs/lessons/03-irq-deadlock.md";
  TraceCheck c = check(80, {f});
  const TraceTrack& t = hart(c, 0);
  ASSERT_EQ(t.slices.size(), 3u);
  EXPECT_EQ(t.slices[2].name, kSpinA);
  EXPECT_EQ(c.ancestors(t, 2), (std::vector<std::string>{"timer interrupt", kHoldA}));
  for (const TraceSlice& s : t.slices) {
    EXPECT_DOUBLE_EQ(s.end, us(80)) << s.name;
    EXPECT_EQ(s.args["unfinished"], true) << s.name;
    EXPECT_EQ(s.args["end_cycle"], 80) << s.name;
  }
  ASSERT_EQ(t.instants.size(), 1u);
  const json& i = t.instants[0];
  EXPECT_EQ(i["name"], "irq-deadlock: 0x80002000");
  EXPECT_EQ(i["s"], "t");
  EXPECT_DOUBLE_EQ(i["ts"].get<double>(), us(60));
  EXPECT_EQ(i["args"]["cycle"], 60);
  EXPECT_EQ(i["args"]["rule"], "a rule");
  EXPECT_EQ(i["args"]["deadlock"], true);
}

// The monitor tells of a hold late, when it learns the word is a lock: the
// acquire comes after events that followed it.
TEST_F(TimelineTest, EventsToldLateTakeTheirPlace) {
  add_irq(20);
  add(EventKind::mret, 30);
  add(EventKind::acquire, 10, 0, kLockA);  // told at confirmation
  add(EventKind::release, 40, 0, kLockA);
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  ASSERT_EQ(t.slices.size(), 2u);
  EXPECT_EQ(t.slices[0].name, kHoldA);
  EXPECT_EQ(t.slices[1].name, "timer interrupt");
  EXPECT_EQ(t.slices[1].parent, 0);
}

// A spin ends when its context takes the lock; an interrupt meanwhile
// nests inside it; a spin in a handler ends when the handler returns.
TEST_F(TimelineTest, SpinsEndAsTheMonitorsDo) {
  add(EventKind::spin, 5, 0, kLockB);
  add(EventKind::spin, 10, 0, kLockA);  // gave up B
  add_irq(15);
  add(EventKind::spin, 17, 0, kLockB);
  add(EventKind::mret, 19);
  add(EventKind::acquire, 25, 0, kLockA);
  add(EventKind::release, 30, 0, kLockA);
  add(EventKind::spin, 32, 0, kLockB);
  add(EventKind::acquire, 35, 0, kLockA);  // another lock: B given up
  add(EventKind::release, 36, 0, kLockA);
  Event ecall = event(EventKind::exception, 40);
  ecall.mcause = kEcall;
  timeline_.add(ecall);
  add(EventKind::mret, 45);
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  std::vector<TraceSlice> spin_a = named(t, kSpinA), spin_b = named(t, "wait 0x80002010");
  ASSERT_EQ(spin_a.size(), 1u);
  EXPECT_DOUBLE_EQ(spin_a[0].end, us(25));
  EXPECT_EQ(spin_a[0].args["ended"], "acquired");
  ASSERT_EQ(spin_b.size(), 3u);
  EXPECT_DOUBLE_EQ(spin_b[2].end, us(35));
  EXPECT_EQ(spin_b[2].args["ended"], "gave up");
  EXPECT_DOUBLE_EQ(spin_b[0].end, us(10));
  EXPECT_EQ(spin_b[0].args["ended"], "gave up");
  EXPECT_DOUBLE_EQ(spin_b[1].end, us(19));
  EXPECT_EQ(spin_b[1].args["ended"], "handler returned");
  EXPECT_EQ(named(t, "timer interrupt")[0].parent, 1);  // inside spin A
  EXPECT_EQ(named(t, kHoldA).size(), 2u);
  EXPECT_EQ(named(t, kHoldA)[0].depth, 0);
  ASSERT_EQ(named(t, "exception:ecall").size(), 1u);
}

// A release by a hart that does not hold the lock: the monitor ended the
// holder's hold there, and no release of it comes.
TEST_F(TimelineTest, ReleaseNotHeldEndsTheHoldersSpan) {
  add(EventKind::acquire, 10, 0, kLockA);
  Finding f;
  f.kind = FindingKind::release_not_held;
  f.cycle = 30;
  f.hart = 1;
  f.lock = {kLockA, "0x80002000"};
  Hold h;
  h.hart = 0;
  f.holds.push_back(h);
  TraceCheck c = check(100, {f});
  std::vector<TraceSlice> a = named(hart(c, 0), kHoldA);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_DOUBLE_EQ(a[0].end, us(30));
  EXPECT_FALSE(a[0].args.contains("unfinished"));
  EXPECT_EQ(hart(c, 1).instants.size(), 1u);  // shown where it happened
  EXPECT_TRUE(hart(c, 0).instants.empty());
}

// User code (docs/timeline.md): a user span from the mret to U to the trap
// from it. The first drop to U (an mret with no trap to return from: no
// event) is told by the first trap from U, whose since is that mret's cycle.
// A hold taken in U and kept across a trap is cut there and goes on.
TEST_F(TimelineTest, UserCodeIsASpanFromItsMretToItsTrap) {
  auto user = [&](EventKind kind, uint64_t cycle, uint32_t mcause = 0, uint64_t since = 0, uint32_t lock = 0) {
    Event e = event(kind, cycle, 0, lock);
    if (mcause) e.mcause = mcause;
    e.since = since;
    e.user = true;
    timeline_.add(e);
  };
  Event first = event(EventKind::mret, 10, 0, 0);  // the first entry to user code: it returns from no trap
  first.user = first.no_trap = true;
  timeline_.add(first);
  user(EventKind::exception, 40, 8);  // ecall from U
  user(EventKind::mret, 50, 8, 40);       // back to U
  user(EventKind::acquire, 60, 0, 0, kLockA);
  user(EventKind::interrupt, 70, kTimer, 50);
  user(EventKind::mret, 80, kTimer, 70);
  user(EventKind::release, 90, 0, 60, kLockA);
  add(EventKind::acquire, 95, 1, kLockB);  // M code on hart1: no user span
  TraceCheck c = check(100);
  const TraceTrack& t = hart(c, 0);
  std::vector<TraceSlice> u = named(t, "user");
  ASSERT_EQ(u.size(), 4u);
  std::vector<std::pair<double, double>> spans;
  for (const TraceSlice& s : u) spans.emplace_back(s.ts, s.end);
  EXPECT_EQ(spans, (std::vector<std::pair<double, double>>{
                       {us(10), us(40)}, {us(50), us(70)}, {us(80), us(90)}, {us(90), us(100)}}));
  EXPECT_EQ(u[0].cat, "user");
  EXPECT_EQ(u[0].depth, 0);
  EXPECT_EQ(u[0].args["ended"], "exception:ecall-u");
  EXPECT_EQ(u[0].args["at"], "0x80000100");  // the first entry's mret says where, as the others do
  EXPECT_EQ(u[1].args["at"], "0x80000100");
  EXPECT_EQ(u[1].args["ended"], "timer interrupt");
  EXPECT_EQ(u[2].depth, 1);  // inside the hold's second piece
  EXPECT_EQ(u[2].args["continues"], true);
  EXPECT_EQ(u[3].args["continued"], true);
  EXPECT_EQ(u[3].args["unfinished"], true);
  EXPECT_EQ(u[3].args["cycle"], 80);
  // The handlers follow the user spans, not inside them.
  std::vector<TraceSlice> ecall = named(t, "exception:ecall-u"), irq = named(t, "timer interrupt");
  ASSERT_EQ(ecall.size(), 1u);
  ASSERT_EQ(irq.size(), 1u);
  EXPECT_EQ(ecall[0].depth, 0);
  EXPECT_DOUBLE_EQ(ecall[0].ts, us(40));
  EXPECT_DOUBLE_EQ(ecall[0].end, us(50));
  EXPECT_EQ(irq[0].depth, 1);  // in the hold kept across it, not in user code
  std::vector<TraceSlice> hold = named(t, kHoldA);
  ASSERT_EQ(hold.size(), 2u);
  EXPECT_DOUBLE_EQ(hold[0].end, us(70));
  EXPECT_EQ(hold[0].depth, 1);  // in user code
  EXPECT_DOUBLE_EQ(hold[1].ts, us(70));
  EXPECT_DOUBLE_EQ(hold[1].end, us(90));
  EXPECT_EQ(hold[1].depth, 0);
  EXPECT_TRUE(named(hart(c, 1), "user").empty());
}

TEST_F(TimelineTest, SameEventsSameBytes) {
  add(EventKind::acquire, 10, 0, kLockA);
  add_irq(20, 1);
  add(EventKind::acquire, 20, 1, kLockB);
  EXPECT_EQ(text(100), text(100));
  Timeline again(monitor_, {"unused.json", "spinlab test", 2, 100'000'000});
  again.add(event(EventKind::acquire, 10, 0, kLockA));
  Event irq = event(EventKind::interrupt, 20, 1);
  irq.context = Context::timer_irq;
  again.add(irq);
  again.add(event(EventKind::acquire, 20, 1, kLockB));
  std::ostringstream s;
  again.write(s, 100, {});
  EXPECT_EQ(s.str(), text(100));
}

TEST_F(TimelineTest, HandlerNames) {
  EXPECT_EQ(handler_span_name(0x80000007), "timer interrupt");
  EXPECT_EQ(handler_span_name(0x8000000b), "external interrupt");
  EXPECT_EQ(handler_span_name(0x80000003), "software interrupt");
  EXPECT_EQ(handler_span_name(0x80000010), "interrupt 16");
  EXPECT_EQ(handler_span_name(11), "exception:ecall");
  EXPECT_EQ(handler_span_name(2), "exception:illegal-instruction");
}

TEST(TimelineFile, UnwritablePathIsAnErrorNamingIt) {
  Monitor m(nullptr, 1);
  test::TempDir dir;
  std::string path = dir / "missing/t.json";
  Timeline t(m, {path, "x", 1, 100'000'000});
  Error e = test::catch_error([&] { t.write_file(10, {}); });
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.place().file, path);
}

// The checker the scenario tests rely on must catch what Perfetto rejects.
TEST(TraceCheck, CatchesOverlapsAndUnendedSpans) {
  json overlap = json::parse(R"([
    {"name":"a","ph":"B","ts":1,"pid":1,"tid":0},
    {"name":"b","ph":"B","ts":2,"pid":1,"tid":0},
    {"name":"a","ph":"E","ts":3,"pid":1,"tid":0},
    {"name":"b","ph":"E","ts":4,"pid":1,"tid":0}])");
  EXPECT_FALSE(check_trace(overlap).problems.empty());
  json x = json::parse(R"([
    {"name":"a","ph":"X","ts":1,"dur":5,"pid":1,"tid":0},
    {"name":"b","ph":"X","ts":2,"dur":5,"pid":1,"tid":0}])");
  EXPECT_FALSE(check_trace(x).problems.empty());
  json open = json::parse(R"([{"name":"a","ph":"B","ts":1,"pid":1,"tid":0}])");
  EXPECT_FALSE(check_trace(open).problems.empty());
  json fine = json::parse(R"([
    {"name":"a","ph":"B","ts":1,"pid":1,"tid":0},
    {"name":"b","ph":"X","ts":2,"dur":1,"pid":1,"tid":0},
    {"name":"b","ph":"B","ts":1,"pid":1,"tid":1},
    {"name":"a","ph":"E","ts":3,"pid":1,"tid":0},
    {"name":"b","ph":"E","ts":4,"pid":1,"tid":1}])");
  EXPECT_TRUE(check_trace(fine).problems.empty()) << check_trace(fine).problems.front();
}

}  // namespace
}  // namespace spinlab

// The GTKWave save file's pieces (sim/out/gtkwave.h): context names, which
// markers a run gets, the file names, and the save file's marker, zoom and
// group lines.
#include "sim/out/gtkwave.h"

#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "sim/monitor/monitor.h"
#include "sim/out/vcd.h"

namespace spinlab {
namespace {

TEST(Gtkwave, ContextNames) {
  EXPECT_EQ(context_name(0), "process");
  EXPECT_EQ(context_name(3), "software interrupt");
  EXPECT_EQ(context_name(7), "timer interrupt");
  EXPECT_EQ(context_name(11), "external interrupt");
  EXPECT_EQ(context_name(3u << 16 | 11), "external interrupt 3");
  EXPECT_EQ(context_name(16), "interrupt 16");
}

TEST(Gtkwave, FilesSitNextToTheTrace) {
  GtkwaveFiles f = gtkwave_files("out/irq.vcd");
  EXPECT_EQ(f.gtkw, "out/irq.gtkw");
  EXPECT_EQ(f.addr, "out/irq.addr.filter");
  EXPECT_EQ(f.lock, "out/irq.lock.filter");
  EXPECT_EQ(f.priv, "out/irq.priv.filter");
  EXPECT_EQ(gtkwave_files("trace").gtkw, "trace.gtkw");  // no .vcd ending: added to
}

Finding finding(FindingKind k, uint64_t cycle, unsigned hart) {
  Finding f;
  f.kind = k;
  f.cycle = cycle;
  f.hart = hart;
  return f;
}

// The primary marker at the first deadlock; findings before interrupts;
// at most 26, lettered in time order.
TEST(Gtkwave, MarkersFindingsFirstThenInterruptsInTimeOrder) {
  std::vector<Finding> findings = {finding(FindingKind::irq_unsafe_lock, 500, 1),
                                   finding(FindingKind::irq_deadlock, 900, 0)};
  std::vector<VcdInterrupt> irqs;
  for (uint64_t c = 100; c <= 4000; c += 100) irqs.push_back({c, 0, 7});
  std::optional<uint64_t> primary;
  std::vector<GtkwaveMarker> m = gtkwave_markers(findings, irqs, &primary);
  ASSERT_TRUE(primary);
  EXPECT_EQ(*primary, 900u);
  ASSERT_EQ(m.size(), kMaxMarkers);
  for (size_t i = 1; i < m.size(); ++i) EXPECT_LE(m[i - 1].cycle, m[i].cycle);
  // Both findings made it; 24 interrupts, the earliest: up to cycle 2400.
  int found = 0;
  for (const GtkwaveMarker& g : m) found += g.name == "irq-deadlock hart0" || g.name == "irq-unsafe-lock hart1";
  EXPECT_EQ(found, 2);
  EXPECT_EQ(m.back().cycle, 2400u);
  EXPECT_EQ(m.front().name, "hart0 timer interrupt");

  // No deadlock: the first finding; nothing at all: no primary marker.
  gtkwave_markers({finding(FindingKind::wfi_holding_lock, 70, 0)}, {}, &primary);
  EXPECT_EQ(primary, std::optional<uint64_t>(70));
  EXPECT_TRUE(gtkwave_markers({}, {}, &primary).empty());
  EXPECT_FALSE(primary);
}

TEST(Gtkwave, SaveFileMarkersZoomAndGroups) {
  GtkwaveView v;
  v.vcd_path = "some/dir/run.vcd";
  v.harts = 2;
  v.end_cycle = 100000;
  v.words = {"tickslock", "ticks"};
  v.word_is_lock = {true, false};
  v.lock_holders = true;
  v.primary_marker = 900;
  v.markers = {{800, "hart0 timer interrupt"}, {900, "irq-deadlock hart0", true}};
  v.story = CycleSpan{800, 900};
  std::string text = gtkwave_save_file(v);
  EXPECT_NE(text.find("[dumpfile] \"run.vcd\"\n[savefile] \"run.gtkw\"\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("some/dir"), std::string::npos) << "paths are names alone";
  EXPECT_NE(text.find("[markername] Ahart0 timer interrupt\n[markername] Birq-deadlock hart0\n"), std::string::npos);
  // "*zoom primary A B -1 ...": ns at 100 MHz; the story, 800..900 with
  // its margins, fills the wave area from [timestart] on.
  EXPECT_NE(text.find("[timestart] 7840\n"), std::string::npos) << text;
  std::istringstream line(text.substr(text.find("\n*") + 2));
  double zoom = 0;
  long long primary = 0, a = 0, b = 0, c = 0;
  line >> zoom >> primary >> a >> b >> c;
  EXPECT_EQ(primary, 9000);
  EXPECT_EQ(a, 8000);
  EXPECT_EQ(b, 9000);
  EXPECT_EQ(c, -1);
  double pixels = 200.0 * (9160 - 7840) / std::pow(2.0, -zoom);
  EXPECT_NEAR(pixels, kWaveWidth, 1);
  for (const char* want : {"@800200\n-locks\n", "@2024\n^6 run.lock.filter\n[color] 1\nlocks.tickslock[7:0]\n",
                           "@800200\n-hart1\n", "@2022\n^1 run.addr.filter\nhart1.pc[31:0]\n",
                           "[color] 2\nhart1.context[31:0]\n@2024\n^8 run.priv.filter\nhart1.priv[1:0]\n",
                           "@28\n[color] 2\nhart1.in_irq\n@28\n[color] 3\nhart1.mstatus_mie\n@2022\n^11 run.mie.filter\n"
                           "hart1.mie[31:0]\n@2022\n^3 run.mip.filter\nhart1.mip[31:0]\n",
                           "@1000200\n-locks\n@800200\n-words\n@22\nwords.ticks[31:0]\n@1000200\n-words\n@800200\n-hart0\n"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\nin\n" << text;
  EXPECT_EQ(text.find("thread"), std::string::npos);
  v.threads = true;  // the monitor's threads: rows under each hart's priv, the thread, where it switched, the irq depth
  EXPECT_NE(gtkwave_save_file(v).find("hart1.priv[1:0]\n@2024\n^9 run.thread.filter\n[color] 2\nhart1.thread[15:0]\n"
                                      "@2024\n^10 run.switch.filter\n[color] 2\nhart1.switch[2:0]\n"
                                      "@24\n[color] 2\nhart1.irq_depth[7:0]\n"),
            std::string::npos)
      << gtkwave_save_file(v);
  v.lock_holders = false;  // the monitor off: the lock's value, no holder
  EXPECT_EQ(gtkwave_save_file(v).find("locks.tickslock"), std::string::npos);
}

// The story of an interrupt deadlock: from the hold the handler waits for.
TEST(Gtkwave, TheStoryStartsAtTheHoldItWaitsFor) {
  Finding f = finding(FindingKind::irq_deadlock, 10527, 0);
  f.holds.push_back({});
  f.holds[0].since = 9003;
  f.waits.push_back({});
  f.waits[0].since = 10486;
  f.has_interrupt = true;
  f.interrupt.cycle = 10210;
  CycleSpan story = finding_story(f);
  EXPECT_EQ(story.from, 9003u);
  EXPECT_EQ(story.to, 10527u);
  Finding race = finding(FindingKind::mutual_exclusion, 135, 2);
  race.holds.resize(2);
  race.holds[0].since = 134;
  race.holds[0].tested = 116;
  race.holds[1].since = 135;
  EXPECT_EQ(finding_story(race).from, 116u);
}

// The opening view: the story and its margins; a story that ends at the
// trace's end ends there (GTKWave refuses a page past the end); no story:
// the whole trace, from its first cycle.
TEST(Gtkwave, TheZoomOpensOnTheStory) {
  GtkwaveView v;
  v.end_cycle = 50000;
  v.story = CycleSpan{9000, 10600};
  GtkwaveZoom z = gtkwave_zoom(v);
  EXPECT_EQ(z.start_cycle, 9000u - 200);
  EXPECT_NEAR(z.cycles_per_pixel * kWaveWidth, 2000, 1);
  v.end_cycle = 10600;  // stopped at the finding
  z = gtkwave_zoom(v);
  EXPECT_EQ(z.start_cycle, 9000u - 200);
  EXPECT_LT(z.start_cycle + z.cycles_per_pixel * kWaveWidth, 10600.0);
  EXPECT_GT(z.start_cycle + z.cycles_per_pixel * (kWaveWidth + 8), 10600.0);
  v.story = CycleSpan{116, 135};  // short: at least kMinStoryCycles
  v.end_cycle = 50000;
  z = gtkwave_zoom(v);
  EXPECT_EQ(z.start_cycle, 100u);
  EXPECT_NEAR(z.cycles_per_pixel * kWaveWidth, kMinStoryCycles, 1);
  v.story.reset();
  v.start_cycle = 2000;  // trace.window
  z = gtkwave_zoom(v);
  EXPECT_EQ(z.start_cycle, 2000u);
  EXPECT_GT(z.cycles_per_pixel * kWaveWidth, 48000);
}

// Labels that would overlap: the finding's first; then the letter alone,
// or no marker when even that would overlap.
TEST(Gtkwave, MarkerLabelsDoNotOverlap) {
  GtkwaveZoom z{1000, 1.0};  // a cycle per pixel
  std::vector<GtkwaveMarker> m = {{1100, "hart0 irq:timer"}, {1110, "irq-deadlock hart0", true},
                                  {1112, "hart1 irq:timer"}, {1200, "hart0 irq:timer"},
                                  {1250, "hart1 irq:timer"}, {5000, "far away"}};
  std::vector<GtkwaveMarker> p = gtkwave_place_labels(m, z);
  ASSERT_EQ(p.size(), 4u);  // 1100 and 1112: under the finding's label, even their letters
  EXPECT_EQ(p[0].cycle, 1110u);
  EXPECT_EQ(p[0].name, "irq-deadlock hart0");
  EXPECT_EQ(p[1].name, "hart0 irq:timer");
  EXPECT_EQ(p[2].cycle, 1250u);
  EXPECT_EQ(p[2].name, "");  // its label would run into 1200's; its letter fits
  EXPECT_EQ(p[3].name, "far away");  // outside the view: named
}

TEST(Gtkwave, FiltersMatchWhatGtkwavePrints) {
  std::string context = gtkwave_context_filter(3);
  EXPECT_NE(context.find("\n00000007 ?DarkOrange?timer interrupt\n"), std::string::npos);
  EXPECT_NE(context.find("\n0003000B ?DarkMagenta?external interrupt 3\n"), std::string::npos);
  EXPECT_EQ(context.find("0004000B"), std::string::npos);
  EXPECT_NE(gtkwave_bus_filter(2).find("\n7F idle\n00 hart0\n01 hart1\n"), std::string::npos);
  EXPECT_NE(gtkwave_lock_filter(2).find("\n0 free\n1 ?DarkRed?held by hart0\n2 ?DarkRed?held by hart1\n255 "),
            std::string::npos);
  EXPECT_NE(gtkwave_mip_filter().find("\n00000880 MTIP MEIP\n"), std::string::npos);
  EXPECT_NE(gtkwave_mie_filter().find("\n00000888 MSIE MTIE MEIE\n"), std::string::npos);
  EXPECT_NE(gtkwave_priv_filter().find("\n0 ?DarkGreen?user\n3 machine\n"), std::string::npos);
  EXPECT_EQ(gtkwave_thread_filter({"main", "worker"}),
            "# spinlab: hartN.thread, the thread the monitor sees running (docs/tracing.md)\n0 -\n1 main/0\n"
            "2 worker/1\n");
  // hartN.switch: SwitchWhere + 1, in the enum's order.
  const std::string where = gtkwave_switch_filter();
  EXPECT_NE(where.find("\n0 -\n1 kernel: preempt_enable or schedule()\n2 ?DarkBlue?irq return (point 2)\n"
                       "3 ?DarkGreen?from user (point 1)\n4 ?red?IN HANDLER\n5 ?red?exception\n"),
            std::string::npos)
      << where;
  EXPECT_EQ(static_cast<int>(SwitchWhere::irq_return) + 1, 2);
  EXPECT_EQ(static_cast<int>(SwitchWhere::from_user) + 1, 3);
}

}  // namespace
}  // namespace spinlab

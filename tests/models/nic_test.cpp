// The NIC through its registers and its frame schedule, as a driver sees it,
// and its register table in docs/machine.md against the model.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "firmware/include/memmap.h"
#include "models/kernel.h"
#include "models/nic.h"
#include "models/ram.h"

namespace spinlab::models {
namespace {

constexpr unsigned kLine = 3;
constexpr uint32_t kRing = RAM_BASE + 0x100;

class NicTest : public ::testing::Test {
 protected:
  // A NIC whose frames arrive `gap` cycles apart, one per burst, from cycle 0.
  Nic& make(NicSpec s = spec()) {
    nics_.push_back(std::make_unique<Nic>(s.name.c_str(), s, NIC_BASE, ram_));
    return *nics_.back();
  }
  static NicSpec spec() {
    NicSpec s;
    s.name = "eth0";
    s.line = kLine;
    s.gap_cycles = 100;
    return s;
  }
  uint32_t rd(Nic& n, uint32_t reg) {
    uint32_t v = 0xdeadbeef;
    EXPECT_TRUE(n.read(NIC_BASE + reg, 4, v));
    return v;
  }
  void wr(Nic& n, uint32_t reg, uint32_t v) { EXPECT_TRUE(n.write(NIC_BASE + reg, 4, v)); }
  uint32_t ram_word(uint32_t addr) {
    uint32_t v = 0;
    EXPECT_TRUE(ram_.read(addr, 4, v));
    return v;
  }
  // Delivers the next frame, at the cycle it is due.
  void next_frame(Nic& n) { n.fire(n.next_event()); }

  struct FreshKernel {
    FreshKernel() { fresh_systemc_kernel(); }
  } fresh_;  // first: the modules below go into a kernel that has not run
  Ram ram_{RAM_BASE, 1u << 16};
  std::vector<std::unique_ptr<Nic>> nics_;
};

// --- docs/machine.md's register table -------------------------------------------

struct DocRow {
  uint32_t offset;
  std::string access;
  uint32_t reset;
};

// The rows of the table under "## The NIC": name -> offset, access, reset.
std::map<std::string, DocRow> doc_registers() {
  std::ifstream in(MODELS_MACHINE_DOC);
  std::stringstream all;
  all << in.rdbuf();
  std::string doc = all.str();
  size_t at = doc.find("## The NIC");
  std::map<std::string, DocRow> rows;
  if (at == std::string::npos) return rows;
  std::istringstream section(doc.substr(at, doc.find("\n## ", at + 1) - at));
  const std::regex row(R"(^\| `(0x[0-9A-Fa-f]+)` \| `([A-Z_]+)` \| 32 \| ([^|]+) \| (\d+) \|)");
  for (std::string line; std::getline(section, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row))
      rows[m[2]] = {static_cast<uint32_t>(std::stoul(m[1], nullptr, 16)), m[3].str(),
                    static_cast<uint32_t>(std::stoul(m[4]))};
  }
  return rows;
}

TEST_F(NicTest, TheDocumentedOffsetsAreTheHeadersAndTheModelsRegisters) {
  const std::map<std::string, DocRow> doc = doc_registers();
  ASSERT_FALSE(doc.empty()) << "no register table under ## The NIC in " << MODELS_MACHINE_DOC;
  const std::map<std::string, uint32_t> header = {
      {"RING_BASE", NIC_RING_BASE}, {"RING_SIZE", NIC_RING_SIZE},   {"HEAD", NIC_HEAD},
      {"TAIL", NIC_TAIL},           {"IRQ_STATUS", NIC_IRQ_STATUS}, {"IRQ_ENABLE", NIC_IRQ_ENABLE},
      {"RX_FRAMES", NIC_RX_FRAMES}, {"OVERRUNS", NIC_OVERRUNS}};
  ASSERT_EQ(doc.size(), header.size()) << "docs/machine.md and memmap.h list different registers";
  for (const auto& [name, off] : header) {
    ASSERT_TRUE(doc.count(name)) << "docs/machine.md lacks " << name;
    EXPECT_EQ(doc.at(name).offset, off) << name;
  }

  // Each register at its documented offset behaves as its row says: the
  // reset value, then a write that sticks (rw) or does nothing (r).
  Nic& n = make();
  const std::map<std::string, std::pair<uint32_t, uint32_t>> rw = {  // written, then read back
      {"RING_BASE", {kRing + 7, kRing}},  // bits 2:0 read 0
      {"RING_SIZE", {16, 16}},
      {"TAIL", {5 + 16, 5}},              // modulo RING_SIZE
      {"IRQ_ENABLE", {0xff, NIC_IRQ_RX | NIC_IRQ_OVERRUN}}};
  for (const char* name : {"RING_BASE", "RING_SIZE", "TAIL", "IRQ_ENABLE", "HEAD", "RX_FRAMES", "OVERRUNS"}) {
    const DocRow& r = doc.at(name);
    EXPECT_EQ(rd(n, r.offset), r.reset) << name;
    if (r.access == "rw") {
      ASSERT_TRUE(rw.count(name)) << name << " is documented rw";
      wr(n, r.offset, rw.at(name).first);
      EXPECT_EQ(rd(n, r.offset), rw.at(name).second) << name;
    } else {
      EXPECT_EQ(r.access, "r") << name;
      wr(n, r.offset, 0x55);
      EXPECT_EQ(rd(n, r.offset), r.reset) << name << " is documented read-only";
    }
  }
  // IRQ_STATUS: read, write 1 to clear.
  const DocRow& status = doc.at("IRQ_STATUS");
  EXPECT_EQ(status.access, "r, w1c");
  EXPECT_EQ(rd(n, status.offset), status.reset);
  wr(n, NIC_RING_SIZE, 16);  // back to slot 0
  next_frame(n);
  EXPECT_EQ(rd(n, status.offset), NIC_IRQ_RX);
  wr(n, status.offset, NIC_IRQ_OVERRUN);  // not set: nothing changes
  EXPECT_EQ(rd(n, status.offset), NIC_IRQ_RX);
  wr(n, status.offset, NIC_IRQ_RX);
  EXPECT_EQ(rd(n, status.offset), 0u);
  // Word accesses only.
  uint32_t v = 0;
  EXPECT_FALSE(n.read(NIC_BASE + NIC_HEAD, 2, v));
  EXPECT_FALSE(n.write(NIC_BASE + NIC_TAIL, 1, 0));
}

// --- frames and the ring ----------------------------------------------------------

TEST_F(NicTest, EachFrameIsADescriptorAtHeadWithItsLengthAndSequenceNumber) {
  Nic& n = make();
  wr(n, NIC_RING_BASE, kRing);
  wr(n, NIC_RING_SIZE, 8);
  for (int i = 0; i < 3; ++i) next_frame(n);
  EXPECT_EQ(rd(n, NIC_HEAD), 3u);
  EXPECT_EQ(rd(n, NIC_RX_FRAMES), 3u);
  // seed 1: std::mt19937's first outputs 1791095845, 4282876139, 3093770124,
  // mapped to 64..1518 as 64 + (output * 1455 >> 32) (docs/machine.md).
  const uint32_t lengths[] = {670, 1514, 1112};
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ram_word(kRing + NIC_DESC_BYTES * i), lengths[i]) << "slot " << i;
    EXPECT_EQ(ram_word(kRing + NIC_DESC_BYTES * i + 4), i) << "slot " << i;
  }
}

TEST_F(NicTest, AFullRingDropsTheFrameAndCountsAnOverrun) {
  Nic& n = make();
  wr(n, NIC_RING_BASE, kRing);
  wr(n, NIC_RING_SIZE, 4);  // holds 3: one slot stays empty
  for (int i = 0; i < 5; ++i) next_frame(n);
  EXPECT_EQ(rd(n, NIC_HEAD), 3u);
  EXPECT_EQ(rd(n, NIC_RX_FRAMES), 3u);
  EXPECT_EQ(rd(n, NIC_OVERRUNS), 2u);
  EXPECT_EQ(rd(n, NIC_IRQ_STATUS), NIC_IRQ_RX | NIC_IRQ_OVERRUN);
  EXPECT_EQ(n.arrived(), 5u);
  // The driver reads two slots and hands them back: two more fit, the third
  // is dropped; the next frame written carries its number (5), so the driver
  // sees the two lost ones as a gap.
  wr(n, NIC_TAIL, 2);
  for (int i = 0; i < 3; ++i) next_frame(n);
  EXPECT_EQ(rd(n, NIC_HEAD), 1u);  // wrapped: slots 3 and 0
  EXPECT_EQ(ram_word(kRing + NIC_DESC_BYTES * 3 + 4), 5u);
  EXPECT_EQ(ram_word(kRing + 4), 6u);
  EXPECT_EQ(n.received(), 5u);
  EXPECT_EQ(n.overruns(), 3u);
}

TEST_F(NicTest, WithoutARingInRamEveryFrameIsAnOverrun) {
  Nic& n = make();
  next_frame(n);  // RING_SIZE 0
  wr(n, NIC_RING_BASE, RAM_BASE + (1u << 16) - 8);
  wr(n, NIC_RING_SIZE, 2);  // runs past the end of RAM
  next_frame(n);
  EXPECT_EQ(rd(n, NIC_OVERRUNS), 2u);
  EXPECT_EQ(rd(n, NIC_RX_FRAMES), 0u);
}

// --- the interrupt line -------------------------------------------------------------

TEST_F(NicTest, TheLineIsHighWhileAnEnabledStatusBitIsUnacknowledged) {
  Nic& n = make();
  wr(n, NIC_RING_BASE, kRing);
  wr(n, NIC_RING_SIZE, 8);
  next_frame(n);
  EXPECT_FALSE(n.line()) << "IRQ_ENABLE is 0 at reset";
  wr(n, NIC_IRQ_ENABLE, NIC_IRQ_RX);  // the frame already waiting raises it
  EXPECT_TRUE(n.line());
  next_frame(n);  // still high: one level for any number of frames
  EXPECT_TRUE(n.line());
  wr(n, NIC_IRQ_STATUS, NIC_IRQ_RX);  // the ack
  EXPECT_FALSE(n.line());
  EXPECT_EQ(rd(n, NIC_HEAD), 2u) << "the ack leaves the ring alone";
  next_frame(n);  // a frame after the ack raises it again
  EXPECT_TRUE(n.line());
  wr(n, NIC_IRQ_ENABLE, NIC_IRQ_OVERRUN);  // masked: low, the status bit stays
  EXPECT_FALSE(n.line());
  EXPECT_EQ(rd(n, NIC_IRQ_STATUS), NIC_IRQ_RX);
}

TEST_F(NicTest, AnOverrunRaisesTheLineWhenEnabled) {
  Nic& n = make();
  wr(n, NIC_IRQ_ENABLE, NIC_IRQ_OVERRUN);
  next_frame(n);  // no ring: dropped
  EXPECT_TRUE(n.line());
  wr(n, NIC_IRQ_STATUS, NIC_IRQ_RX | NIC_IRQ_OVERRUN);
  EXPECT_FALSE(n.line());
}

// --- the schedule -------------------------------------------------------------------

// Arrival cycles until the NIC has no more frames (at most `max`).
std::vector<uint64_t> arrivals(Nic& n, size_t max = 100) {
  std::vector<uint64_t> at;
  while (n.next_event() != Nic::kNever && at.size() < max) {
    at.push_back(n.next_event());
    n.fire(n.next_event());
  }
  return at;
}

TEST_F(NicTest, FramesComeInBurstsGapCyclesApartUntilCount) {
  NicSpec s = spec();
  s.first_cycle = 50;
  s.burst_frames = 3;
  s.burst_gap_cycles = 10;
  s.gap_cycles = 100;
  s.count = 7;
  Nic& n = make(s);
  EXPECT_EQ(arrivals(n), (std::vector<uint64_t>{50, 60, 70, 170, 180, 190, 290}));
  EXPECT_EQ(n.arrived(), 7u);
}

TEST_F(NicTest, FramesDueTogetherAreAllDeliveredByOneFire) {
  NicSpec s = spec();
  s.burst_frames = 4;
  s.burst_gap_cycles = 1;
  Nic& n = make(s);
  n.fire(3);
  EXPECT_EQ(n.arrived(), 4u);
  EXPECT_EQ(n.next_event(), 103u);
}

TEST_F(NicTest, TheSameSeedGivesTheSameFramesAndAnotherSeedOthers) {
  NicSpec s = spec();
  s.gap_cycles = 1000;
  s.gap_jitter_cycles = 900;
  s.count = 50;
  auto run = [&](uint32_t seed) {
    s.seed = seed;
    fresh_systemc_kernel();
    Ram ram(RAM_BASE, 1u << 16);
    Nic n(s.name.c_str(), s, NIC_BASE, ram);
    n.write(NIC_BASE + NIC_RING_BASE, 4, kRing);
    n.write(NIC_BASE + NIC_RING_SIZE, 4, 64);
    std::vector<uint64_t> out = arrivals(n);
    for (uint32_t i = 0; i < 50; ++i) {
      uint32_t length = 0;
      ram.read(kRing + NIC_DESC_BYTES * i, 4, length);
      out.push_back(length);
    }
    return out;
  };
  const std::vector<uint64_t> a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // Every gap within the jitter, and both sides of the mean drawn.
  uint64_t shorter = 0, longer = 0;
  for (size_t i = 1; i < 50; ++i) {
    const uint64_t gap = a[i] - a[i - 1];
    EXPECT_GE(gap, 100u);
    EXPECT_LE(gap, 1900u);
    shorter += gap < 1000;
    longer += gap > 1000;
  }
  EXPECT_GT(shorter, 10u);
  EXPECT_GT(longer, 10u);
}

}  // namespace
}  // namespace spinlab::models

#include <gtest/gtest.h>

#include "models/bus.h"
#include "models/kernel.h"
#include "models/ram.h"

namespace spinlab::models {
namespace {

const sc_core::sc_time kPeriod(10, sc_core::SC_NS);

isa::MemRequest load_word(uint32_t addr) {
  isa::MemRequest r;
  r.op = isa::MemOp::load;
  r.size = 4;
  r.addr = addr;
  return r;
}

TEST(Ram, ReadsWhatWasWrittenAtEverySize) {
  fresh_systemc_kernel();
  Ram ram(0x8000'0000u, 4096);
  uint32_t v = 0;
  ASSERT_TRUE(ram.read(0x8000'0000u, 4, v));
  EXPECT_EQ(v, 0u);  // RAM starts zeroed
  ASSERT_TRUE(ram.write(0x8000'0010u, 4, 0x11223344u));
  ASSERT_TRUE(ram.read(0x8000'0010u, 1, v));
  EXPECT_EQ(v, 0x44u);
  ASSERT_TRUE(ram.read(0x8000'0012u, 2, v));
  EXPECT_EQ(v, 0x1122u);
  ASSERT_TRUE(ram.write(0x8000'0011u, 1, 0xAAu));
  ASSERT_TRUE(ram.read(0x8000'0010u, 4, v));
  EXPECT_EQ(v, 0x1122AA44u);
}

TEST(Ram, RefusesAccessesOutsideItself) {
  fresh_systemc_kernel();
  Ram ram(0x8000'0000u, 4096);
  uint32_t v = 0;
  EXPECT_FALSE(ram.read(0x7fff'fffcu, 4, v));
  EXPECT_FALSE(ram.read(0x8000'1000u, 4, v));
  EXPECT_FALSE(ram.write(0x8000'0ffeu, 4, 1));  // straddles the end
  EXPECT_TRUE(ram.write(0x8000'0ffcu, 4, 1));
  const uint8_t image[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_FALSE(ram.load(0x8000'0ffcu, image, 8));
  EXPECT_TRUE(ram.load(0x8000'0ff8u, image, 8));
}

TEST(Bus, RoutesByAddressWithEachTargetsLatency) {
  fresh_systemc_kernel();
  Ram a(0x1000, 0x100, "a"), b(0x8000'0000u, 0x100, "b");
  a.set_latency(3, kPeriod);
  b.set_latency(7, kPeriod);
  Bus bus("bus", 1, Arbitration::round_robin, kPeriod);
  bus.map(a);
  bus.map(b);
  a.write(0x1004, 4, 0xA);
  b.write(0x8000'0004u, 4, 0xB);
  uint32_t latency = 0;
  isa::MemResponse r = bus.access(0, load_word(0x1004), latency);
  EXPECT_FALSE(r.fault);
  EXPECT_EQ(r.rdata, 0xAu);
  EXPECT_EQ(latency, 3u);
  r = bus.access(0, load_word(0x8000'0004u), latency);
  EXPECT_EQ(r.rdata, 0xBu);
  EXPECT_EQ(latency, 7u);
  EXPECT_EQ(bus.route(0x10ff)->name, "a");
  EXPECT_EQ(bus.route(0x1100), nullptr);
}

TEST(Bus, AnAddressWithNoDeviceFaultsInOneCycle) {
  fresh_systemc_kernel();
  Bus bus("bus", 1, Arbitration::round_robin, kPeriod);
  uint32_t latency = 0;
  isa::MemResponse r = bus.access(0, load_word(0x40), latency);
  EXPECT_TRUE(r.fault);
  EXPECT_EQ(latency, 1u);
}

TEST(Bus, RoundRobinServesTheNextHartAfterTheLastOwner) {
  fresh_systemc_kernel();
  Bus bus("bus", 4, Arbitration::round_robin, kPeriod);
  std::vector<unsigned> all{0, 1, 2, 3};
  EXPECT_EQ(bus.arbitrate(all), 0u);
  EXPECT_EQ(bus.arbitrate(all), 1u);
  EXPECT_EQ(bus.arbitrate({0, 3}), 3u);
  EXPECT_EQ(bus.arbitrate({0, 2}), 0u);
  EXPECT_EQ(bus.arbitrate({0, 2}), 2u);
}

TEST(Bus, FixedPriorityAlwaysServesTheLowestHart) {
  fresh_systemc_kernel();
  Bus bus("bus", 4, Arbitration::fixed_priority, kPeriod);
  EXPECT_EQ(bus.arbitrate({1, 2, 3}), 1u);
  EXPECT_EQ(bus.arbitrate({1, 2, 3}), 1u);
  EXPECT_EQ(bus.arbitrate({3, 2}), 2u);
}

}  // namespace
}  // namespace spinlab::models

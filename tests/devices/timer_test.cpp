// The example device (examples/tlm-device/timer.h) alone, with a small TLM
// initiator: its registers, expiry at the sc_time it promises, the level of
// its interrupt line, the latency it annotates, and transport_dbg without
// side effects. SystemC elaborates once per process, so every test shares
// one bench and starts by stopping the timer and acknowledging it.
#include <cstring>
#include <functional>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "examples/tlm-device/timer.h"

namespace {

using example::Timer;
using sc_core::sc_time;
using sc_core::SC_NS;

const sc_time kTick(10, SC_NS);
const sc_time kLatency(20, SC_NS);

struct Bench : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Bench, 32> socket{"socket"};
  sc_core::sc_signal<bool> irq{"irq"};
  Timer timer{"timer", kTick, kLatency};
  std::vector<sc_time> rises;  // when the line went high
  // Work for a process of the initiator's own, as a platform's accesses
  // come from its process: notify `go` to run `job` there.
  sc_core::sc_event go;
  std::function<void()> job;

  SC_HAS_PROCESS(Bench);
  explicit Bench(sc_core::sc_module_name name) : sc_module(name) {
    socket.bind(timer.socket);
    timer.irq.bind(irq);
    SC_METHOD(on_rise);
    sensitive << irq.posedge_event();
    dont_initialize();
    SC_THREAD(driver);
  }
  void on_rise() { rises.push_back(sc_core::sc_time_stamp()); }
  void driver() {
    for (;;) {
      sc_core::wait(go);
      if (job) job();
    }
  }

  // One access; returns the response status, `delay` grows by the latency.
  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t& value, sc_time& delay,
                                  unsigned length = 4) {
    tlm::tlm_generic_payload tx;
    unsigned char data[8] = {};
    std::memcpy(data, &value, 4);
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(data);
    tx.set_data_length(length);
    tx.set_streaming_width(length);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(tx, delay);
    std::memcpy(&value, data, 4);
    return tx.get_response_status();
  }
  uint32_t read(uint32_t offset, sc_time delay = sc_core::SC_ZERO_TIME) {
    uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, offset, v, delay), tlm::TLM_OK_RESPONSE);
    return v;
  }
  void write(uint32_t offset, uint32_t v, sc_time delay = sc_core::SC_ZERO_TIME) {
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, offset, v, delay), tlm::TLM_OK_RESPONSE);
  }
  // A read through transport_dbg: `length` bytes from `addr`.
  std::vector<uint8_t> debug_read(uint64_t addr, unsigned length, unsigned* got = nullptr) {
    std::vector<uint8_t> data(length);
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(addr);
    tx.set_data_ptr(data.data());
    tx.set_data_length(length);
    const unsigned n = socket->transport_dbg(tx);
    if (got) *got = n;
    return data;
  }
};

Bench& bench() {
  static Bench* b = new Bench("bench");  // before the first sc_start; SystemC keeps it
  return *b;
}

// Every delta cycle due now: a line written now reads high, and who waits
// on its edge has run.
void settle() {
  while (sc_core::sc_pending_activity_at_current_time()) sc_core::sc_start(sc_core::SC_ZERO_TIME);
}

// Runs the kernel up to `t` from the start of the test, with the delta
// cycles at `t` done (a line written at t reads at t).
struct TimerTest : ::testing::Test {
  sc_time t0;
  void SetUp() override {
    Bench& b = bench();
    b.write(Timer::kCtrl, 0);
    b.write(Timer::kStatus, Timer::kExpired);
    b.write(Timer::kLoad, 0);
    settle();
    b.rises.clear();
    t0 = sc_core::sc_time_stamp();
  }
  void run_to(sc_time t) {
    sc_core::sc_start(t0 + t - sc_core::sc_time_stamp());
    settle();
  }
  bool line() { return bench().irq.read(); }
};

TEST_F(TimerTest, RegistersReadBackAndCtrlKeepsItsThreeBits) {
  Bench& b = bench();
  b.write(Timer::kLoad, 0xdeadbeef);
  EXPECT_EQ(b.read(Timer::kLoad), 0xdeadbeefu);
  b.write(Timer::kCtrl, 0xffffffff & ~Timer::kEnable);
  EXPECT_EQ(b.read(Timer::kCtrl), Timer::kPeriodic | Timer::kIrqEnable);
  EXPECT_EQ(b.read(Timer::kCount), 0u);  // stopped
  EXPECT_EQ(b.read(Timer::kStatus), 0u);
  // COUNT and EXPIRIES are read-only: a write changes nothing.
  const uint32_t expiries = b.read(Timer::kExpiries);
  b.write(Timer::kExpiries, 77);
  b.write(Timer::kCount, 77);
  EXPECT_EQ(b.read(Timer::kExpiries), expiries);
  EXPECT_EQ(b.read(Timer::kCount), 0u);
}

TEST_F(TimerTest, AnAccessCostsItsLatencyAndBadAccessesAreErrors) {
  Bench& b = bench();
  sc_time delay(5, SC_NS);
  uint32_t v = 0;
  EXPECT_EQ(b.access(tlm::TLM_READ_COMMAND, Timer::kLoad, v, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(25, SC_NS));
  EXPECT_EQ(b.access(tlm::TLM_READ_COMMAND, 0x14, v, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.access(tlm::TLM_READ_COMMAND, 0x2, v, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.access(tlm::TLM_READ_COMMAND, 0x0, v, delay, 1), tlm::TLM_BURST_ERROR_RESPONSE);
  // The registers repeat every 4 KiB: a whole bus address at an aligned base works too.
  b.write(Timer::kLoad, 1234);
  EXPECT_EQ(b.read(0x10030000 + Timer::kLoad), 1234u);
}

TEST_F(TimerTest, ExpiresLoadTicksAfterEnableAndRaisesTheLineUntilAcknowledged) {
  Bench& b = bench();
  const uint32_t before = b.read(Timer::kExpiries);
  b.write(Timer::kLoad, 100);  // 100 ticks of 10 ns: 1 us
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kIrqEnable);
  EXPECT_EQ(b.read(Timer::kCount), 100u);
  run_to(sc_time(400, SC_NS));
  EXPECT_EQ(b.read(Timer::kCount), 60u);
  run_to(sc_time(995, SC_NS));
  EXPECT_EQ(b.read(Timer::kCount), 1u);  // rounded up: within the last tick
  EXPECT_FALSE(line());
  EXPECT_EQ(b.read(Timer::kStatus), 0u);
  run_to(sc_time(1000, SC_NS));
  EXPECT_TRUE(line());
  ASSERT_EQ(b.rises.size(), 1u);
  EXPECT_EQ(b.rises[0], t0 + sc_time(1000, SC_NS));
  EXPECT_EQ(b.read(Timer::kStatus), Timer::kExpired);
  EXPECT_EQ(b.read(Timer::kExpiries), before + 1);
  // One-shot: it stopped.
  EXPECT_EQ(b.read(Timer::kCtrl) & Timer::kEnable, 0u);
  EXPECT_EQ(b.read(Timer::kCount), 0u);
  // A level: still high later, until the ack.
  run_to(sc_time(5000, SC_NS));
  EXPECT_TRUE(line());
  b.write(Timer::kStatus, Timer::kExpired);
  settle();
  EXPECT_FALSE(line());
  EXPECT_EQ(b.rises.size(), 1u);
}

TEST_F(TimerTest, PeriodicExpiriesComeExactlyOnePeriodApartWhateverTheAck) {
  Bench& b = bench();
  b.write(Timer::kLoad, 50);  // 500 ns
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kPeriodic | Timer::kIrqEnable);
  for (int i = 1; i <= 4; ++i) {
    run_to(sc_time(500.0 * i + 123, SC_NS));  // acknowledged late: no drift
    b.write(Timer::kStatus, Timer::kExpired);
    settle();
  }
  ASSERT_EQ(b.rises.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(b.rises[i], t0 + sc_time(500.0 * (i + 1), SC_NS)) << i;
  EXPECT_EQ(b.read(Timer::kCount), 38u);  // at 2123 ns: 377 ns left of the 5th period
}

TEST_F(TimerTest, TheAnnotatedDelayIsWhenTheWriteTakesEffect) {
  Bench& b = bench();
  b.write(Timer::kLoad, 10);
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kIrqEnable, sc_time(30, SC_NS));  // starts at +30 ns
  run_to(sc_time(129, SC_NS));
  EXPECT_FALSE(line());
  run_to(sc_time(130, SC_NS));
  EXPECT_TRUE(line());
  ASSERT_EQ(b.rises.size(), 1u);
  EXPECT_EQ(b.rises[0], t0 + sc_time(130, SC_NS));
}

TEST_F(TimerTest, TheLineIsExpiredAndIrqEnable) {
  Bench& b = bench();
  b.write(Timer::kLoad, 10);
  b.write(Timer::kCtrl, Timer::kEnable);  // no IRQ_ENABLE
  run_to(sc_time(200, SC_NS));
  EXPECT_EQ(b.read(Timer::kStatus), Timer::kExpired);
  EXPECT_FALSE(line());
  b.write(Timer::kCtrl, Timer::kIrqEnable);  // now: the pending expiry shows
  settle();
  EXPECT_TRUE(line());
  b.write(Timer::kCtrl, 0);
  settle();
  EXPECT_FALSE(line());
}

TEST_F(TimerTest, StoppingCancelsTheCountdownAndLoadZeroCountsNothing) {
  Bench& b = bench();
  b.write(Timer::kLoad, 10);
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kIrqEnable);
  run_to(sc_time(50, SC_NS));
  b.write(Timer::kCtrl, Timer::kIrqEnable);
  run_to(sc_time(500, SC_NS));
  EXPECT_FALSE(line());
  b.write(Timer::kLoad, 0);
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kIrqEnable);
  run_to(sc_time(5000, SC_NS));
  EXPECT_FALSE(line());
  EXPECT_TRUE(b.rises.empty());
}

// A platform's accesses come from its own process, the expiry from the
// timer's: the line must still have one writer (SystemC stops the run with
// E115 when a signal has two).
TEST_F(TimerTest, TheLineHasOneWriterWhoeverAccessesTheTimer) {
  Bench& b = bench();
  b.write(Timer::kLoad, 10);
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kPeriodic | Timer::kIrqEnable);
  run_to(sc_time(100, SC_NS));
  ASSERT_TRUE(line());  // raised by the expiry
  b.job = [&b] { b.write(Timer::kStatus, Timer::kExpired); };
  b.go.notify();
  EXPECT_NO_THROW(settle());
  EXPECT_FALSE(line());  // dropped by the ack from the initiator's process
  run_to(sc_time(200, SC_NS));
  EXPECT_TRUE(line());
  EXPECT_EQ(b.rises.size(), 2u);
  b.job = nullptr;
}

TEST_F(TimerTest, DebugReadsHaveNoSideEffectAndDebugWritesAreRefused) {
  Bench& b = bench();
  b.write(Timer::kLoad, 10);
  b.write(Timer::kCtrl, Timer::kEnable | Timer::kIrqEnable);
  run_to(sc_time(130, SC_NS));
  ASSERT_TRUE(line());
  unsigned got = 0;
  // All five registers at once, and a byte of STATUS.
  std::vector<uint8_t> regs = b.debug_read(0, 20, &got);
  EXPECT_EQ(got, 20u);
  uint32_t words[5];
  std::memcpy(words, regs.data(), 20);
  EXPECT_EQ(words[0], 10u);
  EXPECT_EQ(words[1], Timer::kIrqEnable);  // one-shot: ENABLE cleared at expiry
  EXPECT_EQ(words[2], Timer::kExpired);
  EXPECT_EQ(words[3], 0u);
  EXPECT_EQ(b.debug_read(Timer::kStatus, 1)[0], Timer::kExpired);
  // Reading STATUS through the debug port acknowledged nothing.
  settle();
  EXPECT_TRUE(line());
  EXPECT_EQ(b.read(Timer::kStatus), Timer::kExpired);
  // A debug write of 1 to STATUS is refused, not performed.
  uint32_t one = Timer::kExpired;
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(Timer::kStatus);
  tx.set_data_ptr(reinterpret_cast<unsigned char*>(&one));
  tx.set_data_length(4);
  EXPECT_EQ(b.socket->transport_dbg(tx), 0u);
  settle();
  EXPECT_TRUE(line());
}

}  // namespace

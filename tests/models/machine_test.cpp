// The machine's scheduler on hand-encoded programs: exact cycle counts under
// the default costs, bus contention between harts, and every way a run stops.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include "firmware/include/memmap.h"
#include "models/hooks.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "tests/models/program.h"
#include "tests/models/waves.h"

namespace spinlab::models {
namespace {

struct Outcome {
  StopReason reason;
  int exit_code;
  uint64_t cycles;
  std::vector<uint64_t> instret;
  std::vector<BusStats> bus;
  std::string console;
  std::vector<ExceptionStats> exceptions;
};

Outcome run(std::vector<uint32_t> program, MachineSpec spec) {
  fresh_systemc_kernel();
  std::FILE* console = std::tmpfile();
  spec.console = console;
  Outcome out;
  {
    Machine m("machine", spec);
    m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(program.data()), static_cast<uint32_t>(program.size() * 4));
    m.reset(RAM_BASE);
    m.run();
    out = {m.stop_reason(), m.exit_code(), m.cycles(), {}, m.bus().stats(), {}, {}};
    for (unsigned h = 0; h < m.harts(); ++h) {
      out.instret.push_back(m.hart(h).minstret());
      out.exceptions.push_back(m.exceptions(h));
    }
  }
  std::rewind(console);
  for (int c; (c = std::fgetc(console)) != EOF;) out.console.push_back(static_cast<char>(c));
  std::fclose(console);
  return out;
}

uint32_t lw(unsigned rd, unsigned rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm & 0xfff) << 20) | (rs1 << 15) | (2u << 12) | (rd << 7) | 0x03;
}

TEST(Machine, CountsExceptionsOtherThanEcallAndKeepsTheFirst) {
  // A handler that steps over the faulting instruction; an ecall (a request,
  // not counted), a load from 0x10 (no device: the fault comes at the bus
  // grant), an illegal instruction (at issue).
  constexpr int32_t kHandler = 11;
  std::vector<uint32_t> program = {lui(t0, RAM_BASE >> 12), addi(t0, t0, kHandler * 4), csrrw(0, kMtvec, t0),
                                   kEcall, addi(t2, 0, 0x10), lw(t3, t2, 0), 0x00000000};
  for (uint32_t insn : finish_ok()) program.push_back(insn);
  ASSERT_EQ(program.size(), size_t{kHandler});
  for (uint32_t insn : {csrr(t1, kMepc), addi(t1, t1, 4), csrrw(0, kMepc, t1), kMret}) program.push_back(insn);
  Outcome r = run(program, MachineSpec{});
  ASSERT_EQ(r.reason, StopReason::finisher);
  const ExceptionStats& e = r.exceptions[0];
  EXPECT_EQ(e.count, 2u);
  EXPECT_EQ(e.first_cause, 5u);  // load access fault
  EXPECT_EQ(e.first_pc, RAM_BASE + 5 * 4);
  EXPECT_EQ(e.first_mtval, 0x10u);
  EXPECT_GT(e.first_cycle, 0u);
  EXPECT_LT(e.first_cycle, r.cycles);
  // ecall alone: nothing.
  Outcome quiet = run({lui(t0, RAM_BASE >> 12), addi(t0, t0, 7 * 4), csrrw(0, kMtvec, t0), kEcall, kLoopForever, 0, 0,
                       csrr(t1, kMepc), addi(t1, t1, 4), csrrw(0, kMepc, t1), kMret},
                      [] { MachineSpec s; s.max_cycles = 200; return s; }());
  EXPECT_EQ(quiet.exceptions[0].count, 0u);
}

TEST(Machine, StraightLineCodeCostsOneCyclePerAluInstructionPlusTheBus) {
  // lui, lui, addi at cycles 0, 1, 2; sw issues at 3, asks for the bus at 4
  // (store cost 1), holds it for the finisher's latency (1): done at 5.
  Outcome r = run(finish_ok(), MachineSpec{});
  EXPECT_EQ(r.reason, StopReason::finisher);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.cycles, 5u);
  EXPECT_EQ(r.instret[0], 4u);  // the finishing store retires as the run ends
  EXPECT_EQ(r.bus[0].transactions, 1u);
  EXPECT_EQ(r.bus[0].wait_cycles, 0u);
}

TEST(Machine, LatenciesAndCostsComeFromTheSpec) {
  MachineSpec spec;
  spec.cost.alu = 3;
  spec.cost.store = 2;
  spec.latency.finisher = 10;
  Outcome r = run(finish_ok(), spec);
  EXPECT_EQ(r.cycles, 3u * 3 + 2 + 10);
}

// machine.pmp_granularity_bytes reaches every hart, and survives its reset.
TEST(Machine, PmpGranularityComesFromTheSpec) {
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.harts = 2;
  spec.pmp_granularity_bytes = 64;
  Machine m("machine", spec);
  m.reset(RAM_BASE);
  EXPECT_EQ(m.hart(0).pmp().granularity(), 64u);
  EXPECT_EQ(m.hart(1).pmp().granularity(), 64u);
}

TEST(Machine, TheFinisherPassesTheFirmwaresExitCode) {
  // (7 << 16) | FINISHER_FAIL = 0x73333
  Outcome r = run({lui(a1, FINISHER_BASE >> 12), lui(a2, 0x73), addi(a2, a2, 0x333), sw(a2, a1, 0)}, MachineSpec{});
  EXPECT_EQ(r.reason, StopReason::finisher);
  EXPECT_EQ(r.exit_code, 7);
}

// QEMU's sifive_test takes 2- and 4-byte writes: a halfword 0x5555 passes.
TEST(Machine, TheFinisherTakesAHalfword) {
  auto sh = [](unsigned rs2, unsigned rs1, int32_t imm) { return (sw(rs2, rs1, imm) & ~(7u << 12)) | (1u << 12); };
  Outcome r = run({lui(a1, FINISHER_BASE >> 12), lui(a2, 5), addi(a2, a2, 0x555), sh(a2, a1, 0)}, MachineSpec{});
  EXPECT_EQ(r.reason, StopReason::finisher);
  EXPECT_EQ(r.exit_code, 0);
}

TEST(Machine, UartWritesReachTheConsoleAsTheyHappen) {
  Outcome r = run({lui(a1, UART0_BASE >> 12), addi(a2, 0, 'h'), sw(a2, a1, 0), addi(a2, 0, 'i'), sw(a2, a1, 0),
               addi(a2, 0, '\n'), sw(a2, a1, 0), lui(a1, FINISHER_BASE >> 12), lui(a2, 5), addi(a2, a2, 0x555),
               sw(a2, a1, 0)},
              MachineSpec{});
  EXPECT_EQ(r.reason, StopReason::finisher);
  EXPECT_EQ(r.console, "hi\n");
}

// A driver's set-up (xv6's uartinit: LCR.DLAB, the divisor, LCR 8N1) prints
// nothing: with DLAB set, offset 0 is the divisor latch, not THR. IIR reads
// "no interrupt pending", SCR keeps what was written.
TEST(Machine, UartSetUpWritesAreNoCharacters) {
  auto sb = [](unsigned rs2, unsigned rs1, int32_t imm) { return sw(rs2, rs1, imm) & ~(7u << 12); };
  auto lbu = [](unsigned rd, unsigned rs1, int32_t imm) { return (addi(rd, rs1, imm) & ~0x7fu) | (4u << 12) | 0x03; };
  std::vector<uint32_t> p = {lui(a1, UART0_BASE >> 12),
                             addi(a2, 0, 0x80),
                             sb(a2, a1, 3),  // LCR: DLAB
                             addi(a2, 0, 3),
                             sb(a2, a1, 0),   // DLL = 3
                             sb(0, a1, 1),    // DLM = 0
                             lbu(t2, a1, 0),  // DLL reads back 3
                             addi(a2, 0, 3),
                             sb(a2, a1, 3),  // LCR: 8N1, DLAB off
                             lbu(t0, a1, 2),
                             addi(t1, 0, 1),
                             beq(t0, t1, 8),
                             kLoopForever,  // IIR: none pending
                             addi(t1, 0, 3),
                             beq(t2, t1, 8),
                             kLoopForever,
                             addi(a2, 0, 0x5a),
                             sb(a2, a1, 7),
                             lbu(t0, a1, 7),
                             beq(t0, a2, 8),
                             kLoopForever,  // SCR
                             addi(a2, 0, 'o'),
                             sb(a2, a1, 0),
                             addi(a2, 0, 'k'),
                             sb(a2, a1, 0)};
  for (uint32_t w : finish_ok()) p.push_back(w);
  MachineSpec spec;
  spec.max_cycles = 10000;
  Outcome r = run(p, spec);
  EXPECT_EQ(r.reason, StopReason::finisher);
  EXPECT_EQ(r.console, "ok");
}

TEST(Machine, TheCycleLimitStopsAnEndlessLoopExactlyThere) {
  MachineSpec spec;
  spec.max_cycles = 1001;
  Outcome r = run({kLoopForever}, spec);
  EXPECT_EQ(r.reason, StopReason::cycle_limit);
  EXPECT_EQ(r.cycles, 1001u);
  // jal costs 2 cycles: issued at 0, 2, ..., 1000.
  EXPECT_EQ(r.instret[0], 501u);
}

TEST(Machine, EveryHartAsleepWithNothingToWakeThemEndsTheRunAtOnce) {
  MachineSpec spec;
  spec.harts = 3;
  Outcome r = run({kWfi, kLoopForever}, spec);
  EXPECT_EQ(r.reason, StopReason::asleep);
  EXPECT_EQ(r.cycles, 0u);  // the last thing happened at cycle 0
  for (uint64_t n : r.instret) EXPECT_EQ(n, 1u);
}

TEST(Machine, HartsContendForTheBusAndRoundRobinTakesTurns) {
  // Every hart stores to RAM at the same cycle: one transaction at a time.
  // Then hart 0 goes on to the finisher while the others sleep.
  MachineSpec spec;
  spec.harts = 4;
  spec.latency.ram = 5;
  std::vector<uint32_t> p = {
      lui(a1, RAM_BASE >> 12),   // 0
      sw(a0, a1, 0x100),         // 1: all four ask for the bus at cycle 2
      csrr(t0, 0xF14),           // 2: mhartid
      beq(t0, 0, 8),             // 3: hart 0 goes on to 5
      kWfi,                      // 4: the others sleep
      lui(a1, FINISHER_BASE >> 12), lui(a2, 5), addi(a2, a2, 0x555), sw(a2, a1, 0)};
  Outcome r = run(p, spec);
  EXPECT_EQ(r.reason, StopReason::finisher);
  // Round-robin from "last owner = hart 3": hart 0 holds the bus for cycles
  // 2-6, hart 1 7-11, hart 2 12-16, hart 3 17-21. Hart 0's finisher store
  // asks at 14 (csrr 7, beq taken 8-9, lui 10, lui 11, addi 12, sw 13) and,
  // round-robin, comes after hart 3: granted at 22, done at 23.
  EXPECT_EQ(r.cycles, 23u);
  EXPECT_EQ(r.bus[0].wait_cycles, 22u - 14u);
  EXPECT_EQ(r.bus[1].wait_cycles, 5u);
  EXPECT_EQ(r.bus[2].wait_cycles, 10u);
  EXPECT_EQ(r.bus[3].wait_cycles, 15u);
  for (unsigned h = 0; h < 4; ++h) EXPECT_EQ(r.bus[h].hold_cycles, h == 0 ? 5u + 1 : 5u) << "hart " << h;
}

TEST(Machine, SameProgramSameCycles) {
  MachineSpec spec;
  spec.harts = 4;
  spec.latency.ram = 3;
  std::vector<uint32_t> p = {lui(a1, RAM_BASE >> 12), sw(a0, a1, 0x100), sw(a0, a1, 0x104), csrr(t0, 0xF14),
                             beq(t0, 0, 8), kWfi, lui(a1, FINISHER_BASE >> 12), lui(a2, 5), addi(a2, a2, 0x555),
                             sw(a2, a1, 0)};
  Outcome first = run(p, spec);
  for (int i = 0; i < 3; ++i) {
    Outcome again = run(p, spec);
    EXPECT_EQ(again.cycles, first.cycles);
    for (unsigned h = 0; h < 4; ++h) EXPECT_EQ(again.bus[h].wait_cycles, first.bus[h].wait_cycles);
  }
}

// The trace's view of a hart's context: an exception taken inside an
// interrupt handler (an ecall) and its mret leave the hart in the interrupt
// handler; only the interrupt's own mret ends it. (The ecall's mret sets
// mstatus.MPP to U, so the interrupt handler sets it back to M, as a handler
// that takes nested traps must.)
class ContextRecorder : public Hooks {
 public:
  unsigned wants() const override { return kWaveform; }
  struct Step {
    uint32_t pc;
    uint8_t irq_depth;
    uint32_t context;
  };
  std::vector<Step> steps;
  void hart(uint64_t, unsigned, const HartTrace& t) override { steps.push_back({t.pc, t.irq_depth, t.context}); }
  // The last step at `pc`.
  const Step* at(uint32_t pc) const {
    for (auto it = steps.rbegin(); it != steps.rend(); ++it)
      if (it->pc == pc) return &*it;
    return nullptr;
  }
};

TEST(Machine, AnExceptionInsideAnInterruptHandlerKeepsTheHartInIt) {
  std::vector<uint32_t> p = {
      lui(t0, RAM_BASE >> 12), addi(t0, t0, 0x100), csrrw(0, kMtvec, t0),  // the handler at +0x100
      lui(t5, 2), addi(t5, t5, -0x800),                                    // t5 = mstatus.MPP = M
      lui(a1, CLINT_MTIMECMP(0) >> 12), sw(0, a1, 0), sw(0, a1, 4),        // mtimecmp = 0: the timer is due
      addi(t1, 0, 0x80), csrs(kMie, t1), csrsi(kMstatus, 8),              // MTIE, MIE: it comes now
  };
  const uint32_t resume = RAM_BASE + 4 * static_cast<uint32_t>(p.size());
  for (uint32_t w : finish_ok()) p.push_back(w);
  p.push_back(kLoopForever);
  p.resize(0x100 / 4, kLoopForever);
  const uint32_t handler = RAM_BASE + 0x100;
  p.insert(p.end(), {
      csrr(t2, kMcause), bge(t2, 0, 0x24),  // +0x100: an exception goes to +0x128
      csrr(s0, kMepc),                      // +0x108: the timer interrupt
      addi(t3, 0, -1), sw(t3, a1, 4),       // mtimecmp far away: MTIP clears
      kEcall,                               // +0x114: an exception in the handler
      csrrw(0, kMepc, s0),                  // +0x118: back in the interrupt handler
      csrs(kMstatus, t5),                   // +0x11c: MPP = M again
      kMret,                                // +0x120: the interrupt's mret
      kLoopForever,
      csrr(t4, kMepc), addi(t4, t4, 4), csrrw(0, kMepc, t4),  // +0x128: the ecall's handler
      kMret,                                                  // +0x134
  });

  fresh_systemc_kernel();
  MachineSpec spec;
  std::FILE* console = std::tmpfile();
  spec.console = console;
  ContextRecorder rec;
  {
    Machine m("machine", spec);
    m.add_hooks(rec);
    m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(p.data()), static_cast<uint32_t>(p.size() * 4));
    m.reset(RAM_BASE);
    m.run();
    EXPECT_EQ(m.stop_reason(), StopReason::finisher);
    EXPECT_EQ(m.exit_code(), 0);
  }
  std::fclose(console);
  constexpr uint32_t kTimer = 7;
  const ContextRecorder::Step* ecall_mret = rec.at(handler + 0x34);
  const ContextRecorder::Step* back = rec.at(handler + 0x18);
  const ContextRecorder::Step* irq_mret = rec.at(handler + 0x20);
  const ContextRecorder::Step* after = rec.at(resume);
  ASSERT_TRUE(ecall_mret && back && irq_mret && after);
  EXPECT_EQ(int{ecall_mret->irq_depth}, 1);  // the ecall's mret: still in the interrupt handler
  EXPECT_EQ(ecall_mret->context, kTimer);
  EXPECT_EQ(int{back->irq_depth}, 1);
  EXPECT_EQ(back->context, kTimer);
  EXPECT_EQ(int{irq_mret->irq_depth}, 0);  // the interrupt's mret ends it
  EXPECT_EQ(irq_mret->context, 0u);
  EXPECT_EQ(int{after->irq_depth}, 0);
}

// --- a device plugged in (Machine::attach, models/device.h) ------------------------

// A user's device: one register; writing N > 0 raises its interrupt N cycles
// later (its own sc_event), writing 0 lowers it. It reads back its level.
struct DelayDevice : sc_core::sc_module {
  tlm_utils::simple_target_socket<DelayDevice, 32> socket{"socket"};
  sc_core::sc_out<bool> irq{"irq"};
  sc_core::sc_time period;
  uint64_t armed_at = 0, raised_at = 0, acked_at = 0;

  DelayDevice(sc_core::sc_module_name name, const sc_core::sc_time& p) : sc_module(name), period(p) {
    socket.register_b_transport(this, &DelayDevice::b_transport);
    SC_METHOD(drive);
    sensitive << fire_ << changed_;
    dont_initialize();
  }
  SC_HAS_PROCESS(DelayDevice);
  uint64_t cycle() const { return sc_core::sc_time_stamp().value() / period.value(); }
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    delay += period * 2.0;
    uint32_t v = 0;
    if (gp.is_write()) {
      std::memcpy(&v, gp.get_data_ptr(), 4);
      if (v) {
        armed_at = cycle();
        fire_.notify(period * static_cast<double>(v));
      } else {
        acked_at = cycle();
        level_ = false;
        changed_.notify(sc_core::SC_ZERO_TIME);
      }
    } else {
      v = level_;
      std::memcpy(gp.get_data_ptr(), &v, 4);
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  void drive() {
    if (fire_.triggered()) {
      raised_at = cycle();
      level_ = true;
    }
    irq.write(level_);
  }

 private:
  bool level_ = false;
  sc_core::sc_event fire_, changed_;
};

TEST(Machine, AnAttachedDeviceIsMappedAndItsInterruptReachesTheHart) {
  constexpr uint32_t kDev = 0x4000'0000u;
  constexpr unsigned kLine = 5;
  constexpr int32_t kDelay = 300, kHandler = 18;
  constexpr uint16_t kMcycle = 0xB00;
  std::vector<uint32_t> program = {
      lui(t0, RAM_BASE >> 12), addi(t0, t0, kHandler * 4), csrrw(0, kMtvec, t0),
      lui(a1, PLIC_BASE >> 12), addi(t1, 0, 1), sw(t1, a1, 4 * kLine),                // priority 1
      lui(t2, PLIC_ENABLE(PLIC_MCONTEXT(0)) >> 12), addi(t1, 0, 1 << kLine), sw(t1, t2, 0),  // enabled for hart 0
      lui(t1, 1), addi(t1, t1, -0x800), csrs(kMie, t1), csrsi(kMstatus, 8),           // MEIE, MIE
      lui(a2, kDev >> 12), addi(t1, 0, kDelay), sw(t1, a2, 0),                        // arm the device
      kWfi, jal_back(1)};
  ASSERT_EQ(program.size(), size_t{kHandler});
  for (uint32_t insn : {csrr(s0, kMcycle), lui(a1, PLIC_CLAIM(PLIC_MCONTEXT(0)) >> 12), lw(a0, a1, 4), sw(0, a2, 0),
                        sw(a0, a1, 4), lui(t2, RAM_BASE >> 12), sw(a0, t2, 0x400), sw(s0, t2, 0x404)})
    program.push_back(insn);
  for (uint32_t insn : finish_ok()) program.push_back(insn);

  fresh_systemc_kernel();
  std::FILE* console = std::tmpfile();
  MachineSpec spec;
  spec.console = console;
  Machine m("machine", spec);
  DelayDevice dev("delay", sc_core::sc_time(10, sc_core::SC_NS));  // the default 100 MHz clock
  m.attach({"delay", kDev, 0x1000, kLine}, {&dev.socket, &dev.irq});
  m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(program.data()), static_cast<uint32_t>(program.size() * 4));
  m.reset(RAM_BASE);
  m.run();
  std::fclose(console);
  ASSERT_EQ(m.stop_reason(), StopReason::finisher);
  EXPECT_EQ(m.peek(RAM_BASE + 0x400), std::optional<uint32_t>(kLine)) << "the handler claimed the device's source";
  EXPECT_GT(dev.armed_at, 0u);
  EXPECT_EQ(dev.raised_at, dev.armed_at + kDelay) << "the device's own event, at its own time";
  // The hart sleeps in wfi until the line rises: it wakes in that cycle and
  // enters the handler after the trap entry (4 cycles).
  EXPECT_EQ(m.peek(RAM_BASE + 0x404), std::optional<uint32_t>(static_cast<uint32_t>(dev.raised_at + 4)));
  EXPECT_GT(dev.acked_at, dev.raised_at);
  EXPECT_EQ(m.hart(0).csrs().mcause, isa::kInterruptFlag | 11u);
}

TEST(Machine, AttachRefusesAnOverlapOrALineThatIsNotFree) {
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.irq_sources.push_back({"disk", 3, 100, 0, 1, IrqAck::register_write});
  Machine m("machine", spec);
  DelayDevice a("a", sc_core::sc_time(10, sc_core::SC_NS)), b("b", sc_core::sc_time(10, sc_core::SC_NS)),
      c("c", sc_core::sc_time(10, sc_core::SC_NS)), d("d", sc_core::sc_time(10, sc_core::SC_NS));
  auto message = [&](const DeviceMapping& map, DelayDevice& dev) {
    try {
      m.attach(map, {&dev.socket, &dev.irq});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({"a", RAM_BASE + 0x1000, 0x100, 4}, a), "device a: its range overlaps ram's");
  EXPECT_EQ(message({"b", 0x4000'0000u, 0x100, 3}, b), "device b: interrupt line 3 is already disk's");
  EXPECT_EQ(message({"c", 0x4000'0000u, 0x100, 32}, c), "device c: interrupt line 32 is not a PLIC source (1..31)");
  EXPECT_EQ(message({"d", 0x4000'0000u, 0x100, 4}, d), "no error");
  EXPECT_EQ(message({"a", 0x4000'00f0u, 0x100, 6}, a), "device a: its range overlaps d's");
}

// --- the plain path (Machine::run_plain) --------------------------------------

uint32_t r_type(unsigned funct7, unsigned funct3, unsigned rd, unsigned rs1, unsigned rs2) {
  return (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x33;
}
uint32_t csrci(uint16_t csr, unsigned uimm) { return (uint32_t{csr} << 20) | (uimm << 15) | (7u << 12) | 0x73; }

// Writes what it hears into a log it may share with other hooks, as text in
// the order it came, each line headed by its name and the group the call
// belongs to. With kHartEvents alone: everything the lock monitor would hear.
class Logger : public Hooks {
 public:
  Logger(std::string name, unsigned wants, std::vector<std::string>& log)
      : name_(std::move(name)), wants_(wants), log_(log) {}
  unsigned wants() const override { return wants_; }
  void access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse&,
              uint32_t old_value) override {
    add("event", cycle, h,
        "access pc " + std::to_string(pc) + " addr " + std::to_string(r.addr) + " old " + std::to_string(old_value));
  }
  void trap(uint64_t cycle, unsigned h, const TrapInfo& t) override {
    add("event", cycle, h, "trap " + std::to_string(t.mcause) + " mepc " + std::to_string(t.mepc));
  }
  void mret(uint64_t cycle, unsigned h, uint32_t pc, bool) override {
    add("event", cycle, h, "mret " + std::to_string(pc));
  }
  void wfi(uint64_t cycle, unsigned h, uint32_t pc) override { add("event", cycle, h, "wfi " + std::to_string(pc)); }
  void interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) override {
    add("event", cycle, h, std::string("mie ") + (mie ? "on" : "off") + " pc " + std::to_string(pc));
  }
  void stack_switched(uint64_t cycle, unsigned h, uint32_t pc, uint32_t old_sp, uint32_t new_sp) override {
    add("event", cycle, h,
        "sp pc " + std::to_string(pc) + " " + std::to_string(old_sp) + " -> " + std::to_string(new_sp));
  }
  void step(uint64_t cycle, const isa::Hart& h, isa::StepStatus, const isa::MemRequest*,
            const isa::MemResponse*) override {
    add("step", cycle, h.hartid(), std::to_string(h.last_pc()));
  }
  void hart(uint64_t cycle, unsigned h, const HartTrace& t) override {
    add("wave", cycle, h, "pc " + std::to_string(t.pc));
  }
  void stall(uint64_t cycle, unsigned h, Stall why) override {
    add("wave", cycle, h, "stall " + std::to_string(static_cast<int>(why)));
  }
  void bus(uint64_t cycle, int owner, uint32_t, BusKind) override {
    add("wave", cycle, 0, "bus " + std::to_string(owner));
  }
  void irq_line(uint64_t cycle, unsigned line, bool) override { add("wave", cycle, 0, "line " + std::to_string(line)); }
  void word(uint64_t cycle, unsigned index, uint32_t) override {
    add("wave", cycle, 0, "word " + std::to_string(index));
  }
  void finish(uint64_t cycle) override { add("finish", cycle, 0, ""); }

 private:
  void add(const char* group, uint64_t cycle, unsigned h, const std::string& what) {
    log_.push_back(name_ + " " + group + " " + std::to_string(cycle) + " hart" + std::to_string(h) + " " + what);
  }
  std::string name_;
  unsigned wants_;
  std::vector<std::string>& log_;
};

Story tell(const std::vector<uint32_t>& program, unsigned harts, bool every_step) {
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.harts = harts;
  spec.max_cycles = 100000;
  std::vector<std::string> events;
  Logger recorder("monitor", Hooks::kHartEvents, events);
  EveryStep every;
  Machine m("machine", spec);
  m.add_hooks(recorder);
  if (every_step) m.add_hooks(every);
  m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(program.data()), static_cast<uint32_t>(program.size() * 4));
  m.reset(RAM_BASE);
  m.run();
  Story s{events, m.cycles(), {}, {}};
  for (unsigned h = 0; h < harts; ++h) {
    s.instret.push_back(m.hart(h).minstret());
    std::array<uint32_t, 32> r{};
    for (unsigned i = 0; i < 32; ++i) r[i] = m.hart(h).x(i);
    s.regs.push_back(r);
  }
  if (every_step) {
    EXPECT_GT(every.steps, 0u);
  }
  return s;
}

// Frames (addi sp, sp), stack switches (mv sp, zero; mv sp, a0), an sp
// built in two halves with an unrelated instruction right after the first
// (the monitor hears the switch with that one), MIE on and off, multiply,
// divide and branches, then a store and the finisher. Twice round an outer
// loop: the plain path runs only what was decoded before, so the second
// round is the one that tests it. Every hart loops a different number of
// times.
std::vector<uint32_t> switching_program() {
  constexpr unsigned sp = 2;
  // clang-format off
  std::vector<uint32_t> p = {
      addi(t4, 0, 2),                  // 0: two rounds
      addi(sp, 0, 0),                  // 1: outer: mv sp, zero (a switch in round 2)
      lui(sp, (RAM_BASE >> 12) + 1),   // 2: the upper half: the monitor waits
      addi(t0, 0, 0),                  // 3: ...and hears it here
      addi(t1, a0, 40),                // 4: 40 + hartid rounds
      addi(sp, sp, -16),               // 5: inner: a frame
      r_type(1, 0, t2, t1, t1),        // 6: mul
      r_type(0, 4, t0, t0, t2),        // 7: xor
      r_type(1, 4, t3, t0, t1),        // 8: div
      addi(sp, sp, 16),                // 9
      addi(t1, t1, -1),                // 10
      beq(t1, 0, 8),                   // 11: inner done: to 13
      jal_back(7),                     // 12: to 5
      addi(t4, t4, -1),                // 13
      beq(t4, 0, 8),                   // 14: outer done: to 16
      jal_back(14),                    // 15: to 1
      csrsi(kMstatus, 8),              // 16: MIE on
      addi(t0, t0, 1),                 // 17
      csrci(kMstatus, 8),              // 18: MIE off
      addi(sp, a0, 0),                 // 19: mv sp, a0: a switch
      lui(a1, RAM_BASE >> 12),         // 20
      sw(t0, a1, 0x200),               // 21
  };
  // clang-format on
  for (uint32_t insn : finish_ok()) p.push_back(insn);
  return p;
}

TEST(Machine, PlainRunsTellTheMonitorWhatSteppingEveryInstructionTells) {
  const std::vector<uint32_t> p = switching_program();
  for (unsigned harts : {1u, 3u}) {
    const Story plain = tell(p, harts, false);
    const Story stepped = tell(p, harts, true);
    EXPECT_EQ(plain.events, stepped.events) << harts << " harts";
    EXPECT_EQ(plain.cycles, stepped.cycles) << harts << " harts";
    EXPECT_EQ(plain.instret, stepped.instret) << harts << " harts";
    EXPECT_EQ(plain.regs, stepped.regs) << harts << " harts";
    // The story has what it is meant to. Hart 0 loops least and ends the
    // run, after the others started their second round.
    auto count = [&](unsigned insn) {
      const std::string pc = " sp pc " + std::to_string(RAM_BASE + 4 * insn) + " ";
      return std::count_if(plain.events.begin(), plain.events.end(),
                           [&](const std::string& e) { return e.find(pc) != std::string::npos; });
    };
    EXPECT_EQ(count(1), static_cast<long>(harts)) << "mv sp, zero in round 2";
    EXPECT_EQ(count(3), static_cast<long>(2 * harts)) << "the halves, heard at 3";
    EXPECT_EQ(count(19), 1) << "mv sp, a0";
    EXPECT_EQ(std::count_if(plain.events.begin(), plain.events.end(),
                            [](const std::string& e) { return e.find(" mie on ") != std::string::npos; }),
              1);
  }
}

TEST(Machine, HooksHearTheGroupsTheyWantInTheOrderAdded) {
  const std::vector<uint32_t> p = switching_program();
  std::vector<std::string> log;
  Logger events("events", Hooks::kHartEvents, log);
  Logger steps("steps", Hooks::kSteps | Hooks::kHartEvents, log);
  Logger wave("wave", Hooks::kWaveform, log);
  Logger gone("gone", Hooks::kHartEvents | Hooks::kSteps | Hooks::kWaveform, log);
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.harts = 2;
  spec.max_cycles = 100000;
  uint64_t retired = 0;
  {
    Machine m("machine", spec);
    m.add_hooks(events);
    m.add_hooks(gone);
    m.add_hooks(steps);
    m.add_hooks(events);  // a second time: heard once
    m.add_hooks(wave);
    m.remove_hooks(gone);
    m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(p.data()), static_cast<uint32_t>(p.size() * 4));
    m.reset(RAM_BASE);
    m.run();
    EXPECT_EQ(m.stop_reason(), StopReason::finisher);
    for (unsigned h = 0; h < spec.harts; ++h) retired += m.hart(h).minstret();
  }
  auto starts = [](const std::string& line, const std::string& head) { return line.rfind(head, 0) == 0; };
  auto count = [&](const std::string& head) {
    return static_cast<uint64_t>(
        std::count_if(log.begin(), log.end(), [&](const std::string& l) { return starts(l, head); }));
  };
  // Each hook hears its groups and no other; a removed one hears nothing.
  EXPECT_EQ(count("gone "), 0u);
  EXPECT_EQ(count("events step") + count("events wave") + count("wave event") + count("wave step"), 0u);
  EXPECT_EQ(count("steps wave"), 0u);
  EXPECT_EQ(count("steps step"), retired);  // no traps here: a step per instruction
  EXPECT_EQ(std::count_if(
                log.begin(), log.end(),
                [&](const std::string& l) { return starts(l, "wave wave") && l.find(" pc ") != std::string::npos; }),
            static_cast<long>(retired));   // a hart's state per step
  EXPECT_GT(count("wave wave"), retired);  // and the bus and stalls
  EXPECT_GT(count("events event"), 8u);    // the switches, MIE, the accesses
  // Two hooks of one group hear each call in the order added, one after the
  // other, with nothing between.
  for (size_t i = 0; i < log.size(); ++i) {
    if (!starts(log[i], "events event")) continue;
    ASSERT_LT(i + 1, log.size());
    EXPECT_EQ(log[i + 1], "steps" + log[i].substr(std::string("events").size())) << i;
  }
  // Calls come in nondecreasing cycle order (the waveform's stalls may be dated ahead).
  uint64_t last = 0;
  for (const std::string& l : log) {
    if (starts(l, "wave")) continue;
    std::istringstream in(l);
    std::string name, group;
    uint64_t cycle = 0;
    in >> name >> group >> cycle;
    EXPECT_GE(cycle, last) << l;
    last = cycle;
  }
  // Every hook hears the end, in the order added.
  ASSERT_GE(log.size(), 3u);
  EXPECT_TRUE(starts(log[log.size() - 3], "events finish"));
  EXPECT_TRUE(starts(log[log.size() - 2], "steps finish"));
  EXPECT_TRUE(starts(log[log.size() - 1], "wave finish"));
}

// --- a waveform from a later cycle on (Hooks::waveform_from) ------------------

uint32_t bne(unsigned rs1, unsigned rs2, int32_t off) { return beq(rs1, rs2, off) | (1u << 12); }

using test::Waves;

// Hart 0 writes a traced word in loops, with a divide's many cycles in the
// first, and starts hart 1 (held until its msip) between them, then wakes it
// from wfi. Hart 1 clears its msip, writes a second traced word, raises
// hart 0's msip (not enabled there: only its mip changes) and sleeps; woken,
// it writes the first word and clears both msips.
std::vector<uint32_t> waking_program() {
  constexpr uint32_t kMsip1 = 4;  // CLINT: msip of hart 1
  // clang-format off
  std::vector<uint32_t> p = {
      bne(a0, 0, 24 * 4),              // 0: hart 1 to 24
      lui(a1, RAM_BASE >> 12),         // 1
      lui(a2, CLINT_BASE >> 12),       // 2
      addi(t1, 0, 20),                 // 3
      sw(t1, a1, 0x200),               // 4: loop: the traced word
      r_type(1, 4, t2, t1, t1),        // 5: div
      addi(t1, t1, -1),                // 6
      bne(t1, 0, -12),                 // 7: to 4
      addi(t0, 0, 1),                  // 8
      sw(t0, a2, kMsip1),              // 9: hart 1 starts
      addi(t1, 0, 30),                 // 10
      sw(t1, a1, 0x200),               // 11: loop
      r_type(1, 4, t2, t1, t1),        // 12: div
      addi(t1, t1, -1),                // 13
      bne(t1, 0, -12),                 // 14: to 11
      sw(t0, a2, kMsip1),              // 15: wakes hart 1 from wfi
      addi(t1, 0, 40),                 // 16
      sw(t1, a1, 0x200),               // 17: loop
      addi(t1, t1, -1),                // 18
      bne(t1, 0, -8),                  // 19: to 17
  };
  // clang-format on
  for (uint32_t insn : finish_ok()) p.push_back(insn);  // 20-23
  const std::vector<uint32_t> hart1 = {
      lui(a1, RAM_BASE >> 12),    // 24
      lui(a2, CLINT_BASE >> 12),  // 25
      sw(0, a2, kMsip1),          // 26
      addi(t0, 0, 8),             // 27
      csrs(kMie, t0),             // 28: MSIE
      sw(a0, a1, 0x204),          // 29: the second traced word
      sw(a0, a2, 0),              // 30: hart 0's mip changes inside its divide (MSIE off there)
      kWfi,                       // 31: asleep until hart 0's second msip
      sw(a0, a1, 0x200),          // 32
      sw(0, a2, kMsip1),          // 33
      sw(0, a2, 0),               // 34
      kLoopForever,               // 35
  };
  p.insert(p.end(), hart1.begin(), hart1.end());
  return p;
}

TEST(Machine, AWaveformFromALaterCycleShowsWhatTheWholeOneShowsFromThere) {
  const std::vector<uint32_t> p = waking_program();
  MachineSpec spec;
  spec.harts = 2;
  spec.max_cycles = 100000;
  spec.start_hart0_only = true;
  spec.watch = {RAM_BASE + 0x200, RAM_BASE + 0x204};
  spec.latency.ram = 3;  // a write's word and the bus's release dated ahead of its grant
  auto run_with = [&](Waves& w) {
    fresh_systemc_kernel();
    Machine m("machine", spec);
    m.add_hooks(w);
    m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(p.data()), static_cast<uint32_t>(p.size() * 4));
    m.reset(RAM_BASE);
    m.run();
    EXPECT_EQ(m.stop_reason(), StopReason::finisher);
    return m.cycles();
  };
  Waves whole(0);
  const uint64_t cycles = run_with(whole);
  ASSERT_GT(cycles, 400u);
  // Both harts asleep or held, waiting for the bus, inside a divide, or
  // with a write's release ahead: every cycle is some FROM.
  for (uint64_t from = 1; from <= cycles + 1; ++from) {
    Waves late(from);
    ASSERT_EQ(run_with(late), cycles) << "from " << from;
    ASSERT_EQ(late.end, whole.end);
    const uint64_t a = std::min(from, cycles);
    ASSERT_EQ(late.shown(a), whole.shown(a)) << "from " << from;
  }
  // The run's start is held in the whole trace too: hart 1's wfi stall from 0.
  EXPECT_EQ(whole.shown(1).at("hart1.stall").front().second, static_cast<uint64_t>(Stall::wfi));
}

}  // namespace
}  // namespace spinlab::models

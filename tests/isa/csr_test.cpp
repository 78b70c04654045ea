// Zicsr instructions and the CSR file: read/write/set/clear semantics, the
// no-read/no-write forms, read-only and unknown CSRs, each CSR's WARL rule,
// and the counters.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kIllegal = 2;
constexpr uint32_t kTrapVector = kRamBase + 0x800;

// A machine whose hart traps to kTrapVector.
struct CsrMachine : Machine {
  CsrMachine() { hart().csrs().mtvec = kTrapVector; }
};

// Runs one CSR instruction with a1 = rs1 value; returns the status.
StepStatus run_one(Machine& m, uint32_t word, uint32_t rs1_value = 0) {
  m.program({word});
  m.hart().set_pc(kRamBase);
  m.hart().set_x(a1, rs1_value);
  m.hart().set_x(a0, 0x5555);
  return m.step();
}

uint32_t read_csr(Machine& m, uint16_t csr) {
  uint32_t v = 0;
  EXPECT_TRUE(m.hart().csr_read(csr, v)) << std::hex << csr;
  return v;
}

void expect_illegal(Machine& m, uint32_t word) {
  EXPECT_EQ(m.hart().csrs().mcause, kIllegal);
  EXPECT_EQ(m.hart().csrs().mtval, word) << "mtval = the instruction bits";
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
  EXPECT_EQ(m.hart().pc(), kTrapVector);
  EXPECT_EQ(m.hart().x(a0), 0x5555u) << "rd unchanged";
}

TEST(CsrInstructions, ReadWriteSetClear) {
  CsrMachine m;
  m.hart().csrs().mscratch = 0xf0f0'0000;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mscratch, a1), 0x1234'5678), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0xf0f0'0000u);
  EXPECT_EQ(m.hart().csrs().mscratch, 0x1234'5678u);
  EXPECT_EQ(m.hart().cost(), Cost::csr);
  ASSERT_EQ(run_one(m, enc::csrrs(a0, csr::mscratch, a1), 0x8000'0001), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x1234'5678u);
  EXPECT_EQ(m.hart().csrs().mscratch, 0x9234'5679u);
  ASSERT_EQ(run_one(m, enc::csrrc(a0, csr::mscratch, a1), 0x1200'0078), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x9234'5679u);
  EXPECT_EQ(m.hart().csrs().mscratch, 0x8034'5601u);
  ASSERT_EQ(run_one(m, enc::csrrwi(a0, csr::mscratch, 31)), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x8034'5601u);
  EXPECT_EQ(m.hart().csrs().mscratch, 31u);
  ASSERT_EQ(run_one(m, enc::csrrci(a0, csr::mscratch, 5)), StepStatus::retired);
  EXPECT_EQ(m.hart().csrs().mscratch, 26u);
  ASSERT_EQ(run_one(m, enc::csrrsi(a0, csr::mscratch, 1)), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 26u);
  EXPECT_EQ(m.hart().csrs().mscratch, 27u);
  EXPECT_STREQ(m.hart().last_desc()->name, "csrrsi");
}

TEST(CsrInstructions, RdEqualsRs1ReadsOldValue) {
  CsrMachine m;
  m.hart().csrs().mscratch = 1;
  m.program({enc::csrrw(a1, csr::mscratch, a1)});
  m.hart().set_x(a1, 2);
  m.step();
  EXPECT_EQ(m.hart().x(a1), 1u);
  EXPECT_EQ(m.hart().csrs().mscratch, 2u);
}

const uint16_t kReadOnly[] = {csr::cycle,     csr::time,    csr::instret, csr::cycleh,
                              csr::timeh,     csr::instreth, csr::mvendorid, csr::marchid,
                              csr::mimpid,    csr::mhartid};

// Writing a read-only CSR (csr[11:10] == 0b11) is an illegal instruction,
// whatever the form, even when the value written would not change it.
TEST(ReadOnlyCsr, EveryWritingFormTraps) {
  for (uint16_t c : kReadOnly) {
    for (uint32_t word : {enc::csrrw(a0, c, a1), enc::csrrw(zero, c, a1), enc::csrrs(a0, c, a1),
                          enc::csrrc(a0, c, a1), enc::csrrwi(a0, c, 0), enc::csrrsi(a0, c, 1),
                          enc::csrrci(a0, c, 1)}) {
      CsrMachine m;
      EXPECT_EQ(run_one(m, word, 0), StepStatus::exception) << std::hex << word;
      expect_illegal(m, word);
      EXPECT_EQ(m.hart().minstret(), 0u);
    }
  }
}

// csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 only read, so
// they may read read-only CSRs (Zicsr 9.1).
TEST(ReadOnlyCsr, NonWritingFormsRead) {
  for (uint16_t c : kReadOnly) {
    for (uint32_t word : {enc::csrrs(a0, c, zero), enc::csrrc(a0, c, zero), enc::csrrsi(a0, c, 0),
                          enc::csrrci(a0, c, 0)}) {
      CsrMachine m;
      m.hart(0).set_now(0);
      EXPECT_EQ(run_one(m, word, 0xffff'ffff), StepStatus::retired) << std::hex << word;
      EXPECT_NE(m.hart().x(a0), 0x5555u);
    }
  }
}

// csrrs/csrrc with rs1 = x0 do not write, so they leave a writable CSR as is
// even through a WARL write path.
TEST(CsrInstructions, SetClearWithX0DoNotWrite) {
  CsrMachine m;
  m.hart().csrs().mscratch = 0xabcd;
  ASSERT_EQ(run_one(m, enc::csrrc(a0, csr::mscratch, zero)), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0xabcdu);
  EXPECT_EQ(m.hart().csrs().mscratch, 0xabcdu);
  // minstret: a non-writing form counts the instruction normally.
  m.hart().csrs().minstret = 10;
  ASSERT_EQ(run_one(m, enc::csrrs(a0, csr::minstret, zero)), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 10u);
  EXPECT_EQ(m.hart().minstret(), 11u);
}

// An unimplemented CSR traps for every form, reading or writing; mtval holds
// the instruction.
TEST(UnknownCsr, TrapsWithMtvalBits) {
  for (uint16_t c : {0x000, 0x100, 0x180, 0x302, 0x310, 0x320, 0x323, 0x3a4, 0x3c0, 0x7a5, 0x7c0, 0x7b0, 0xb03,
                     0xc03, 0xf15, 0xfff}) {
    for (uint32_t word : {enc::csrrs(a0, c, zero), enc::csrrw(zero, c, a1), enc::csrrw(a0, c, a1),
                          enc::csrrci(a0, c, 0)}) {
      CsrMachine m;
      EXPECT_EQ(run_one(m, word), StepStatus::exception) << std::hex << word;
      expect_illegal(m, word);
    }
  }
}

// The CSR file's shape over all 4096 addresses: exactly the CSRs of DESIGN.md
// exist, and no address with csr[11:10] == 0b11 accepts a write.
TEST(CsrFile, ExactlyTheDesignedCsrsExist) {
  const std::set<uint16_t> expected = {
      csr::mstatus, csr::misa,    csr::mie,       csr::mtvec,    csr::mscratch, csr::mepc,
      csr::mcause,  csr::mtval,   csr::mip,       csr::mcycle,   csr::minstret, csr::mcycleh,
      csr::minstreth, csr::cycle, csr::time,      csr::instret,  csr::cycleh,   csr::timeh,
      csr::instreth, csr::mvendorid, csr::marchid, csr::mimpid,  csr::mhartid,
      csr::mcounteren, csr::tselect, csr::tdata1, csr::tdata2, csr::tdata3, csr::tinfo};
  std::set<uint16_t> with_pmp = expected;
  for (uint16_t n = 0; n < 4; ++n) with_pmp.insert(csr::pmpcfg0 + n);
  for (uint16_t i = 0; i < 16; ++i) with_pmp.insert(csr::pmpaddr0 + i);
  Hart h(0);
  for (uint32_t addr = 0; addr < 4096; ++addr) {
    const auto a = static_cast<uint16_t>(addr);
    uint32_t v = 0;
    const bool exists = h.csr_read(a, v);
    EXPECT_EQ(exists, with_pmp.count(a) == 1) << std::hex << addr;
    const bool read_only = (addr >> 10) == 3;
    if (!exists || read_only) {
      EXPECT_FALSE(h.csr_write(a, 0)) << std::hex << addr;
    }
  }
}

TEST(Misa, ReadsRv32imacAndIgnoresWrites) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::misa, a1), 0), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x4010'1105u) << "MXL=1, A, C, I, M, U";
  EXPECT_EQ(read_csr(m, csr::misa), 0x4010'1105u);
}

// The writable fields and MPP's WARL rule: tests/isa/priv_test.cpp.
TEST(Mstatus, MieMpieMppMprvTwWritable) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mstatus, a1), 0xffff'ffff), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x0000'1800u) << "reset: MPP = 3, MIE = MPIE = 0";
  EXPECT_EQ(read_csr(m, csr::mstatus), 0x0022'1888u);
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mstatus, a1), 0), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mstatus), 0x0000'0000u);
  ASSERT_EQ(run_one(m, enc::csrrsi(a0, csr::mstatus, 8)), StepStatus::retired);
  EXPECT_TRUE(m.hart().csrs().mstatus_mie());
}

// MSIP/MTIP/MEIP follow the devices (set_pending); software writes to mip
// change nothing.
TEST(Mip, PendingBitsAreReadOnly) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mip, a1), 0xffff'ffff), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mip), 0u);
  m.hart().set_pending(Interrupt::timer, true);
  m.hart().set_pending(Interrupt::external, true);
  ASSERT_EQ(run_one(m, enc::csrrc(a0, csr::mip, a1), 0xffff'ffff), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x880u);
  EXPECT_EQ(read_csr(m, csr::mip), 0x880u);
  m.hart().set_pending(Interrupt::timer, false);
  m.hart().set_pending(Interrupt::software, true);
  EXPECT_EQ(read_csr(m, csr::mip), 0x808u);
}

TEST(Mie, OnlyMachineInterruptEnablesWritable) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mie, a1), 0xffff'ffff), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mie), 0x888u);
}

// MODE is WARL: 0 direct, 1 vectored; 2 and 3 are reserved and keep the old
// mode while BASE is written.
TEST(Mtvec, ModeIsWarl) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mtvec, a1), 0x8000'1001), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mtvec), 0x8000'1001u);
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mtvec, a1), 0x8000'2002), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mtvec), 0x8000'2001u);
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mtvec, a1), 0x8000'3000), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mtvec), 0x8000'3000u);
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mtvec, a1), 0x8000'4003), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mtvec), 0x8000'4000u);
}

// Privileged 3.1.14: mepc[0] is always 0; without C (IALIGN=32) mepc[1] too.
TEST(Mepc, LowBitsReadZeroByIalign) {
  CsrMachine m;
  ASSERT_EQ(run_one(m, enc::csrrw(a0, csr::mepc, a1), 0x8000'0007), StepStatus::retired);
  EXPECT_EQ(read_csr(m, csr::mepc), 0x8000'0006u);
  CsrMachine off;
  off.hart().set_compressed(false);
  ASSERT_EQ(run_one(off, enc::csrrw(a0, csr::mepc, a1), 0x8000'0007), StepStatus::retired);
  EXPECT_EQ(read_csr(off, csr::mepc), 0x8000'0004u);
}

TEST(PlainCsrs, HoldAnyValue) {
  for (uint16_t c : {csr::mscratch, csr::mcause, csr::mtval}) {
    CsrMachine m;
    ASSERT_EQ(run_one(m, enc::csrrw(a0, c, a1), 0xdead'beef), StepStatus::retired);
    EXPECT_EQ(read_csr(m, c), 0xdead'beefu) << std::hex << c;
  }
}

TEST(IdCsrs, ReadZeroAndHartId) {
  Machine m(2);
  for (uint16_t c : {csr::mvendorid, csr::marchid, csr::mimpid})
    EXPECT_EQ(read_csr(m, c), 0u);
  m.program({enc::csrrs(a0, csr::mhartid, zero)}, kRamBase + 0x100);
  m.hart(1).reset(kRamBase + 0x100);
  EXPECT_EQ(m.hart(1).x(a0), 1u) << "reset: a0 = mhartid";
  m.hart(1).set_x(a0, 0);
  m.step(1);
  EXPECT_EQ(m.hart(1).x(a0), 1u);
  EXPECT_EQ(m.hart(1).hartid(), 1u);
}

// --- counters (privileged 3.1.11, Zicntr) ------------------------------------------

TEST(Counters, McycleFollowsNow) {
  CsrMachine m;
  m.hart().set_now(0x1'0000'0005);
  m.program({enc::csrrs(a0, csr::mcycle, zero), enc::csrrs(a1, csr::mcycleh, zero),
             enc::csrrs(a2, csr::cycle, zero), enc::csrrs(a3, csr::cycleh, zero)});
  m.run(4);
  EXPECT_EQ(m.hart().x(a0), 5u);
  EXPECT_EQ(m.hart().x(a1), 1u);
  EXPECT_EQ(m.hart().x(a2), 5u);
  EXPECT_EQ(m.hart().x(a3), 1u);
  EXPECT_EQ(m.hart().mcycle(), 0x1'0000'0005u);
}

// A write makes the counter continue from the written value; writing the low
// half keeps the high half, and the low half carries into the high one.
TEST(Counters, McycleWriteCarriesAcross32Bits) {
  CsrMachine m;
  m.hart().set_now(100);
  m.program({enc::csrrw(zero, csr::mcycle, a1), enc::csrrs(a2, csr::mcycleh, zero),
             enc::csrrs(a3, csr::mcycle, zero)});
  m.hart().set_x(a1, 0xffff'fffe);
  m.step();
  EXPECT_EQ(m.hart().mcycle(), 0xffff'fffeu);
  m.hart().set_now(103);
  m.step();
  EXPECT_EQ(m.hart().x(a2), 1u);
  m.step();
  EXPECT_EQ(m.hart().x(a3), 1u);
}

TEST(Counters, McyclehWriteKeepsLowHalf) {
  CsrMachine m;
  m.hart().set_now(0x1234);
  m.program({enc::csrrw(zero, csr::mcycleh, a1)});
  m.hart().set_x(a1, 7);
  m.step();
  EXPECT_EQ(m.hart().mcycle(), 0x7'0000'1234u);
  m.hart().set_now(0x1235);
  EXPECT_EQ(m.hart().mcycle(), 0x7'0000'1235u);
}

TEST(Counters, MinstretCountsRetiredInstructions) {
  CsrMachine m;
  m.program({enc::nop, enc::nop, enc::csrrs(a0, csr::minstret, zero), enc::csrrs(a1, csr::instret, zero),
             enc::csrrs(a2, csr::instreth, zero)});
  m.run(5);
  EXPECT_EQ(m.hart().x(a0), 2u) << "reads the count before itself";
  EXPECT_EQ(m.hart().x(a1), 3u);
  EXPECT_EQ(m.hart().x(a2), 0u);
  EXPECT_EQ(m.hart().minstret(), 5u);
}

// An instruction that writes minstret does the write instead of its own
// increment; the next one increments and carries into the high half.
TEST(Counters, MinstretWriteSuppressesIncrementAndCarries) {
  CsrMachine m;
  m.program({enc::nop, enc::csrrw(a0, csr::minstret, a1), enc::nop, enc::csrrs(a2, csr::minstreth, zero),
             enc::csrrs(a3, csr::minstret, zero)});
  m.hart().set_x(a1, 0xffff'ffff);
  m.run(2);
  EXPECT_EQ(m.hart().x(a0), 1u);
  EXPECT_EQ(m.hart().minstret(), 0xffff'ffffu) << "the write, not write + 1";
  m.step();
  EXPECT_EQ(m.hart().minstret(), 0x1'0000'0000u) << "carry into minstreth";
  m.run(2);
  EXPECT_EQ(m.hart().x(a2), 1u);
  EXPECT_EQ(m.hart().x(a3), 1u);
}

TEST(Counters, MinstrethWriteKeepsLowHalfAndSuppresses) {
  CsrMachine m;
  m.program({enc::nop, enc::nop, enc::csrrw(zero, csr::minstreth, a1)});
  m.hart().set_x(a1, 3);
  m.run(3);
  EXPECT_EQ(m.hart().minstret(), 0x3'0000'0002u);
}

// Only an instruction that actually writes minstret is exempt: a trapping
// write attempt elsewhere does not disturb the next instruction's count.
TEST(Counters, FailedCsrWriteDoesNotSuppressNextIncrement) {
  CsrMachine m;
  m.program({enc::csrrw(zero, csr::cycle, a1)});
  m.program({enc::nop}, kTrapVector);
  m.step();
  EXPECT_EQ(m.hart().minstret(), 0u);
  m.step();
  EXPECT_EQ(m.hart().minstret(), 1u);
}

class FixedTime : public TimeSource {
 public:
  uint64_t mtime() const override { return 0x1'2345'6789; }
};

TEST(Counters, TimeReadsTheTimeSource) {
  CsrMachine m;
  m.program({enc::csrrs(a0, csr::time, zero), enc::csrrs(a1, csr::timeh, zero)});
  m.run(2);
  EXPECT_EQ(m.hart().x(a0), 0u) << "no time source: 0";
  EXPECT_EQ(m.hart().x(a1), 0u);
  FixedTime t;
  m.hart().set_time_source(&t);
  m.hart().reset(kRamBase);
  m.run(2);
  EXPECT_EQ(m.hart().x(a0), 0x2345'6789u);
  EXPECT_EQ(m.hart().x(a1), 1u);
}

}  // namespace
}  // namespace spinlab::isa::test

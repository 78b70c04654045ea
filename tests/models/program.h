// Hand-encoded programs for the machine's tests: minimal RV32 encoders,
// and the hook that makes every step go through step_core.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "firmware/include/memmap.h"
#include "models/hooks.h"

namespace spinlab::models {

// Minimal RV32 encoders (unprivileged spec, chapter 2 formats).
inline uint32_t lui(unsigned rd, uint32_t imm20) { return (imm20 << 12) | (rd << 7) | 0x37; }
inline uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}
inline uint32_t sw(unsigned rs2, unsigned rs1, int32_t imm) {
  uint32_t i = static_cast<uint32_t>(imm) & 0xfff;
  return ((i >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (2u << 12) | ((i & 31) << 7) | 0x23;
}
inline uint32_t csrr(unsigned rd, uint16_t csr) { return (uint32_t{csr} << 20) | (2u << 12) | (rd << 7) | 0x73; }
inline uint32_t beq(unsigned rs1, unsigned rs2, int32_t off) {
  uint32_t i = static_cast<uint32_t>(off);
  return (((i >> 12) & 1) << 31) | (((i >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (((i >> 1) & 0xf) << 8) |
         (((i >> 11) & 1) << 7) | 0x63;
}
inline uint32_t bge(unsigned rs1, unsigned rs2, int32_t off) { return beq(rs1, rs2, off) | (5u << 12); }
inline uint32_t csrrw(unsigned rd, uint16_t csr, unsigned rs1) {
  return (uint32_t{csr} << 20) | (rs1 << 15) | (1u << 12) | (rd << 7) | 0x73;
}
inline uint32_t csrs(uint16_t csr, unsigned rs1) { return (uint32_t{csr} << 20) | (rs1 << 15) | (2u << 12) | 0x73; }
inline uint32_t csrsi(uint16_t csr, unsigned uimm) { return (uint32_t{csr} << 20) | (uimm << 15) | (6u << 12) | 0x73; }
constexpr uint32_t kEcall = 0x00000073, kMret = 0x30200073;
constexpr uint16_t kMstatus = 0x300, kMie = 0x304, kMtvec = 0x305, kMepc = 0x341, kMcause = 0x342;
constexpr uint32_t kWfi = 0x10500073;
constexpr uint32_t kLoopForever = 0x0000006f;  // jal x0, 0
constexpr unsigned a0 = 10, a1 = 11, a2 = 12, t0 = 5, t1 = 6, t2 = 7, s0 = 8, t3 = 28, t4 = 29, t5 = 30, t6 = 31;

// Stores 0x5555 to the finisher: the run ends with exit code 0.
inline std::vector<uint32_t> finish_ok() {
  return {lui(a1, FINISHER_BASE >> 12), lui(a2, 5), addi(a2, a2, 0x555), sw(a2, a1, 0)};
}

inline uint32_t jal_back(int32_t words) {  // jal x0, -4 * words
  const uint32_t i = static_cast<uint32_t>(-4 * words);
  return (((i >> 20) & 1) << 31) | (((i >> 1) & 0x3ff) << 21) | (((i >> 11) & 1) << 20) | (((i >> 12) & 0xff) << 12) |
         0x6f;
}

// Hears every step, and so makes every step go through step_core with its
// hooks asked: the path the plain one must agree with.
class EveryStep : public Hooks {
 public:
  unsigned wants() const override { return kSteps; }
  uint64_t steps = 0;
  void step(uint64_t, const isa::Hart&, isa::StepStatus, const isa::MemRequest*, const isa::MemResponse*) override {
    ++steps;
  }
};

struct Story {
  std::vector<std::string> events;
  uint64_t cycles;
  std::vector<uint64_t> instret;
  std::vector<std::array<uint32_t, 32>> regs;
};

}  // namespace spinlab::models

// RV32 encoders for the few instructions the targets' fixed code needs
// (unprivileged spec, chapter 2 formats).
#pragma once

#include <cstdint>
#include <vector>

namespace spinlab::fuzz::rv32 {

constexpr uint32_t i_type(unsigned op, unsigned f3, unsigned rd, unsigned rs1, uint32_t imm) {
  return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) { return i_type(0x13, 0, rd, rs1, imm); }
constexpr uint32_t slli(unsigned rd, unsigned rs1, unsigned sh) { return i_type(0x13, 1, rd, rs1, sh); }
constexpr uint32_t csrrw(unsigned rd, uint32_t csr, unsigned rs1) { return i_type(0x73, 1, rd, rs1, csr); }
constexpr uint32_t csrr(unsigned rd, uint32_t csr) { return i_type(0x73, 2, rd, 0, csr); }
constexpr uint32_t auipc(unsigned rd) { return rd << 7 | 0x17; }
constexpr uint32_t lui(unsigned rd, uint32_t upper) { return (upper & 0xfffff000u) | rd << 7 | 0x37; }
constexpr uint32_t sub(unsigned rd, unsigned rs1, unsigned rs2) {
  return 0x40000000u | rs2 << 20 | rs1 << 15 | rd << 7 | 0x33;
}
constexpr uint32_t sw(unsigned rs2, unsigned rs1, int32_t imm) {
  const uint32_t i = static_cast<uint32_t>(imm) & 0xfff;
  return (i >> 5) << 25 | rs2 << 20 | rs1 << 15 | 2u << 12 | (i & 31) << 7 | 0x23;
}
constexpr uint32_t jal_x0(int32_t off) {
  const uint32_t i = static_cast<uint32_t>(off);
  return ((i >> 20) & 1) << 31 | ((i >> 1) & 0x3ff) << 21 | ((i >> 11) & 1) << 20 | ((i >> 12) & 0xff) << 12 | 0x6f;
}
constexpr uint32_t kMret = 0x30200073;
constexpr uint32_t kNop = 0x00000013;
constexpr unsigned sp = 2, t0 = 5, t1 = 6, a0 = 10, a1 = 11, t6 = 31;
constexpr uint32_t kMtvec = 0x305, kMepc = 0x341;

// Words as the little-endian bytes RAM holds.
inline std::vector<uint8_t> bytes(const std::vector<uint32_t>& words) {
  std::vector<uint8_t> out;
  for (uint32_t w : words)
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(w >> (8 * b)));
  return out;
}

}  // namespace spinlab::fuzz::rv32

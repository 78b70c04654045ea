// Test bench for isa/: a flat RAM target, a machine of one or more harts that
// performs memory requests at once with isa::perform, and an instruction
// encoder written from the spec's field layouts (independent of the decode
// table it tests).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::isa::test {

constexpr uint32_t kRamBase = 0x8000'0000u;
constexpr uint32_t kRamBytes = 64 * 1024;
constexpr uint32_t kNoDevice = 0x0000'1000u;  // nothing is mapped here: access fault

// ABI register numbers.
enum Reg : unsigned {
  zero, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5,
  a6, a7, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6,
};

// RAM at kRamBase. Like every Target it accepts only naturally aligned
// accesses; it counts them so tests can check how perform() split a request.
class FlatMemory : public Target {
 public:
  FlatMemory(uint32_t base, uint32_t size) : base_(base), bytes_(size, 0) {}
  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;

  uint32_t word(uint32_t addr) const;
  void set_word(uint32_t addr, uint32_t value);
  uint8_t byte(uint32_t addr) const { return bytes_.at(addr - base_); }
  CodeMemory code() const { return {bytes_.data(), base_, static_cast<uint32_t>(bytes_.size())}; }

  unsigned accesses = 0;
  unsigned misaligned_accesses = 0;  // must stay 0: perform() splits them

 private:
  bool in_range(uint32_t addr, unsigned size) const;
  uint32_t base_;
  std::vector<uint8_t> bytes_;
};

class Machine {
 public:
  explicit Machine(unsigned harts = 1);
  // The harts fetch from mem_: a Machine stays where it was built.
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  Hart& hart(unsigned h = 0) { return *harts_.at(h); }
  FlatMemory& mem() { return mem_; }
  Reservations& reservations() { return res_; }

  // Writes instruction words from `at` on (the reset pc by default).
  void program(std::initializer_list<uint32_t> words, uint32_t at = kRamBase);
  // Writes 16-bit parcels (compressed instructions, or halves of a 32-bit
  // one, low half first) from `at` on.
  void program16(std::initializer_list<uint16_t> parcels, uint32_t at = kRamBase);
  // One step of hart h. A memory request is performed at once and completed;
  // the result is what complete_memory() returned.
  StepStatus step(unsigned h = 0);
  // Steps hart h n times; returns the last status.
  StepStatus run(unsigned n, unsigned h = 0);

 private:
  FlatMemory mem_{kRamBase, kRamBytes};
  Reservations res_;
  std::vector<std::unique_ptr<Hart>> harts_;
};

// --- encoder (unprivileged spec 2.2-2.3, opcode map chapter 34) ---------------
namespace enc {

enum Opcode : uint32_t {
  LOAD = 0x03, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC = 0x17, STORE = 0x23, AMO = 0x2f,
  OP = 0x33, LUI = 0x37, BRANCH = 0x63, JALR = 0x67, JAL = 0x6f, SYSTEM = 0x73,
};

uint32_t r(uint32_t opcode, uint32_t funct3, uint32_t funct7, unsigned rd, unsigned rs1, unsigned rs2);
uint32_t i(uint32_t opcode, uint32_t funct3, unsigned rd, unsigned rs1, int32_t imm);
uint32_t s(uint32_t funct3, unsigned rs1, unsigned rs2, int32_t imm);
uint32_t b(uint32_t funct3, unsigned rs1, unsigned rs2, int32_t offset);
uint32_t u(uint32_t opcode, unsigned rd, uint32_t imm20);
uint32_t j(unsigned rd, int32_t offset);
// AMO-format word: funct5 in bits 31:27, then aq, rl.
uint32_t amo(uint32_t funct5, unsigned rd, unsigned rs1, unsigned rs2, bool aq = false, bool rl = false);

inline uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) { return i(OP_IMM, 0, rd, rs1, imm); }
inline uint32_t add(unsigned rd, unsigned rs1, unsigned rs2) { return r(OP, 0, 0, rd, rs1, rs2); }
inline uint32_t lui(unsigned rd, uint32_t imm20) { return u(LUI, rd, imm20); }
inline uint32_t lw(unsigned rd, unsigned rs1, int32_t imm) { return i(LOAD, 2, rd, rs1, imm); }
inline uint32_t sw(unsigned rs2, unsigned rs1, int32_t imm) { return s(2, rs1, rs2, imm); }
inline uint32_t sb(unsigned rs2, unsigned rs1, int32_t imm) { return s(0, rs1, rs2, imm); }
inline uint32_t jal(unsigned rd, int32_t offset) { return j(rd, offset); }
inline uint32_t beq(unsigned rs1, unsigned rs2, int32_t offset) { return b(0, rs1, rs2, offset); }
inline uint32_t csrrw(unsigned rd, uint32_t csr, unsigned rs1) { return i(SYSTEM, 1, rd, rs1, static_cast<int32_t>(csr)); }
inline uint32_t csrrs(unsigned rd, uint32_t csr, unsigned rs1) { return i(SYSTEM, 2, rd, rs1, static_cast<int32_t>(csr)); }
inline uint32_t csrrc(unsigned rd, uint32_t csr, unsigned rs1) { return i(SYSTEM, 3, rd, rs1, static_cast<int32_t>(csr)); }
inline uint32_t csrrwi(unsigned rd, uint32_t csr, unsigned uimm) { return i(SYSTEM, 5, rd, uimm, static_cast<int32_t>(csr)); }
inline uint32_t csrrsi(unsigned rd, uint32_t csr, unsigned uimm) { return i(SYSTEM, 6, rd, uimm, static_cast<int32_t>(csr)); }
inline uint32_t csrrci(unsigned rd, uint32_t csr, unsigned uimm) { return i(SYSTEM, 7, rd, uimm, static_cast<int32_t>(csr)); }
inline uint32_t lr_w(unsigned rd, unsigned rs1) { return amo(0x02, rd, rs1, 0); }
inline uint32_t sc_w(unsigned rd, unsigned rs1, unsigned rs2) { return amo(0x03, rd, rs1, rs2); }
constexpr uint32_t ecall = 0x00000073, ebreak = 0x00100073, mret = 0x30200073, wfi = 0x10500073;
constexpr uint32_t nop = 0x00000013;  // addi zero,zero,0

}  // namespace enc
}  // namespace spinlab::isa::test

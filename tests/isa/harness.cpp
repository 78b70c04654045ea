#include "tests/isa/harness.h"

namespace spinlab::isa::test {

bool FlatMemory::in_range(uint32_t addr, unsigned size) const {
  return addr >= base_ && uint64_t{addr} - base_ + size <= bytes_.size();
}

bool FlatMemory::read(uint32_t addr, unsigned size, uint32_t& value) {
  ++accesses;
  if (addr % size != 0)
    ++misaligned_accesses;
  if (!in_range(addr, size))
    return false;
  value = 0;
  for (unsigned k = 0; k < size; ++k)
    value |= uint32_t{bytes_[addr - base_ + k]} << (8 * k);
  return true;
}

bool FlatMemory::write(uint32_t addr, unsigned size, uint32_t value) {
  ++accesses;
  if (addr % size != 0)
    ++misaligned_accesses;
  if (!in_range(addr, size))
    return false;
  for (unsigned k = 0; k < size; ++k)
    bytes_[addr - base_ + k] = static_cast<uint8_t>(value >> (8 * k));
  return true;
}

uint32_t FlatMemory::word(uint32_t addr) const {
  uint32_t v = 0;
  for (unsigned k = 0; k < 4; ++k)
    v |= uint32_t{bytes_.at(addr - base_ + k)} << (8 * k);
  return v;
}

void FlatMemory::set_word(uint32_t addr, uint32_t value) {
  for (unsigned k = 0; k < 4; ++k)
    bytes_.at(addr - base_ + k) = static_cast<uint8_t>(value >> (8 * k));
}

Machine::Machine(unsigned harts) : res_(harts) {
  for (unsigned h = 0; h < harts; ++h) {
    harts_.push_back(std::make_unique<Hart>(h));
    harts_.back()->set_code_memory(mem_.code());
    harts_.back()->reset(kRamBase);
  }
}

void Machine::program(std::initializer_list<uint32_t> words, uint32_t at) {
  for (uint32_t w : words) {
    mem_.set_word(at, w);
    at += 4;
  }
}

void Machine::program16(std::initializer_list<uint16_t> parcels, uint32_t at) {
  for (uint16_t p : parcels) {
    mem_.write(at, 2, p);
    at += 2;
  }
}

StepStatus Machine::step(unsigned h) {
  Hart& hart = *harts_.at(h);
  StepStatus s = hart.step();
  if (s != StepStatus::memory)
    return s;
  return hart.complete_memory(perform(hart.mem_request(), h, mem_, res_));
}

StepStatus Machine::run(unsigned n, unsigned h) {
  StepStatus s = StepStatus::retired;
  for (unsigned k = 0; k < n; ++k)
    s = step(h);
  return s;
}

namespace enc {

uint32_t r(uint32_t opcode, uint32_t funct3, uint32_t funct7, unsigned rd, unsigned rs1, unsigned rs2) {
  return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}

uint32_t i(uint32_t opcode, uint32_t funct3, unsigned rd, unsigned rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm) & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}

uint32_t s(uint32_t funct3, unsigned rs1, unsigned rs2, int32_t imm) {
  const auto v = static_cast<uint32_t>(imm);
  return ((v >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (v & 0x1f) << 7 | STORE;
}

uint32_t b(uint32_t funct3, unsigned rs1, unsigned rs2, int32_t offset) {
  const auto v = static_cast<uint32_t>(offset);
  return ((v >> 12) & 1) << 31 | ((v >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 |
         ((v >> 1) & 0xf) << 8 | ((v >> 11) & 1) << 7 | BRANCH;
}

uint32_t u(uint32_t opcode, unsigned rd, uint32_t imm20) { return (imm20 & 0xfffff) << 12 | rd << 7 | opcode; }

uint32_t j(unsigned rd, int32_t offset) {
  const auto v = static_cast<uint32_t>(offset);
  return ((v >> 20) & 1) << 31 | ((v >> 1) & 0x3ff) << 21 | ((v >> 11) & 1) << 20 | ((v >> 12) & 0xff) << 12 |
         rd << 7 | JAL;
}

uint32_t amo(uint32_t funct5, unsigned rd, unsigned rs1, unsigned rs2, bool aq, bool rl) {
  return funct5 << 27 | uint32_t{aq} << 26 | uint32_t{rl} << 25 | rs2 << 20 | rs1 << 15 | 2u << 12 | rd << 7 | AMO;
}

}  // namespace enc
}  // namespace spinlab::isa::test

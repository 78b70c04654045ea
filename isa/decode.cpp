// Decoding: immediate extraction and the index that finds a word's row in
// the instruction table (the table itself lives with the semantics, in
// isa/exec.cpp, so that each row sits next to the function it names).
#include <array>
#include <vector>

#include "isa/decode.h"

namespace spinlab::isa {

// Immediates (unprivileged spec 2.3, figure 2.4). Bit 31 is always the sign.
int32_t Insn::imm_s() const {
  uint32_t v = ((bits >> 7) & 0x1f) | ((bits >> 20) & 0xfe0);
  return static_cast<int32_t>(v << 20) >> 20;
}

int32_t Insn::imm_b() const {
  uint32_t v = ((bits >> 7) & 0x1e) | ((bits >> 20) & 0x7e0) | ((bits << 4) & 0x800) | ((bits >> 19) & 0x1000);
  return static_cast<int32_t>(v << 19) >> 19;
}

int32_t Insn::imm_j() const {
  uint32_t v = ((bits >> 20) & 0x7fe) | ((bits >> 9) & 0x800) | (bits & 0xff000) | ((bits >> 11) & 0x100000);
  return static_cast<int32_t>(v << 11) >> 11;
}

namespace {

// Every 32-bit instruction has bits[1:0] == 0b11; bits[6:2] and funct3
// (bits[14:12]) select one of 256 buckets, each holding the few rows that
// can match words with those bits.
constexpr uint32_t kKeyBits = 0x707f;

unsigned bucket_of(uint32_t bits) { return ((bits >> 2) & 0x1f) | (((bits >> 12) & 7) << 5); }

struct Index {
  std::array<uint16_t, 257> start{};  // bucket b holds rows[start[b] .. start[b+1])
  std::vector<const InsnDesc*> rows;

  Index() {
    const auto& table = instruction_table();
    for (unsigned b = 0; b < 256; ++b) {
      start[b] = static_cast<uint16_t>(rows.size());
      // The bucket's representative word: only the key bits matter here.
      uint32_t key = 3u | ((b & 0x1f) << 2) | ((b >> 5) << 12);
      for (const InsnDesc& d : table) {
        uint32_t m = d.mask & kKeyBits;
        if ((d.match & m) == (key & m))
          rows.push_back(&d);
      }
    }
    start[256] = static_cast<uint16_t>(rows.size());
  }
};

const Index& index() {
  static const Index idx;
  return idx;
}

}  // namespace

const InsnDesc* decode(uint32_t bits) {
  if ((bits & 3) != 3)
    return nullptr;  // 16-bit (C extension) encodings: not in this machine
  const Index& idx = index();
  const unsigned b = bucket_of(bits);
  for (unsigned i = idx.start[b]; i < idx.start[b + 1]; ++i)
    if ((bits & idx.rows[i]->mask) == idx.rows[i]->match)
      return idx.rows[i];
  return nullptr;
}

Op make_op(uint32_t bits, const InsnDesc* d) {
  const Insn i{bits};
  Op op;
  op.bits = bits;
  op.rd = static_cast<uint8_t>(i.rd());
  op.rs1 = static_cast<uint8_t>(i.rs1());
  op.rs2 = static_cast<uint8_t>(i.rs2());
  if (!d) return op;
  switch (d->format) {
    case Format::I:
    case Format::I_load:
    case Format::jalr: op.imm = i.imm_i(); break;
    case Format::I_shift: op.imm = static_cast<int32_t>(i.shamt()); break;
    case Format::S: op.imm = i.imm_s(); break;
    case Format::B: op.imm = i.imm_b(); break;
    case Format::U: op.imm = i.imm_u(); break;
    case Format::J: op.imm = i.imm_j(); break;
    default: break;  // no immediate, or one the function reads from bits (csr, fence)
  }
  return op;
}

}  // namespace spinlab::isa

// The disassembler: each row's Format says how its operands print. The
// output is exactly the mnemonic/operand column of
// `riscv64-unknown-elf-objdump -d -M no-aliases` (binutils 2.40), which
// tests/isa checks instruction by instruction.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

#include "isa/csr.h"
#include "isa/decode.h"

namespace spinlab::isa {

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

std::string format(const char* fmt, ...) {
  char buf[96];
  va_list args;
  va_start(args, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return std::string(buf, n < 0 ? 0 : std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

constexpr uint32_t kUnimp = 0xc0001073;

// What objdump prints for a 32-bit word it cannot name.
std::string unknown(uint32_t bits) { return format(".4byte\t0x%x", bits); }

std::string csr_name(uint16_t addr) {
  const std::string_view n = csr::name(addr);
  return n.empty() ? format("0x%x", addr) : std::string(n);
}

// ".aq", ".rl", ".aqrl" or "" from bits 26 (aq) and 25 (rl).
const char* ordering_suffix(uint32_t bits) {
  static const char* const suffix[] = {"", ".rl", ".aq", ".aqrl"};
  return suffix[(bits >> 25) & 3];
}

// A fence's predecessor/successor set: some of "iorw", or "unknown" when empty.
std::string fence_set(unsigned set) {
  std::string s;
  for (unsigned bit = 0; bit < 4; ++bit)
    if (set & (8u >> bit))
      s += "iorw"[bit];
  return s.empty() ? "unknown" : s;
}

// objdump names a fence only with rs1 = rd = 0 and fm = 0, or the one fm = 1000
// form it knows, fence.tso (= fm 1000, rw,rw). Other reserved encodings
// execute as fences (see the table) but print as data.
std::string fence(const InsnDesc& d, Insn i) {
  const unsigned fm = i.bits >> 28, pred = (i.bits >> 24) & 15, succ = (i.bits >> 20) & 15;
  if (i.rd() != 0 || i.rs1() != 0)
    return unknown(i.bits);
  if (fm == 8 && pred == 3 && succ == 3)
    return "fence.tso";
  if (fm != 0)
    return unknown(i.bits);
  return format("%s\t%s,%s", d.name, fence_set(pred).c_str(), fence_set(succ).c_str());
}

// A compressed parcel as objdump prints it (chapter "C"; operand order and
// radix as binutils' riscv-opc.c gives them: immediates decimal, shift
// amounts and c.lui's value hex, targets absolute).
std::string compressed(uint16_t parcel, uint32_t pc, bool known) {
  const CompressedDesc* d = known ? decode_compressed(parcel) : nullptr;
  if (!d)
    return format(".2byte\t0x%x", parcel);
  const CInsn c{parcel};
  const char* n = d->name;
  const char* rd = reg_name(c.rd());
  const char* rd_p = reg_name(c.rd_p());
  const char* rs1_p = reg_name(c.rs1_p());
  switch (d->format) {
    case CFormat::ciw: return format("%s\t%s,sp,%u", n, rd_p, c.uimm_addi4spn());
    case CFormat::cl:
    case CFormat::cs: return format("%s\t%s,%u(%s)", n, rd_p, c.uimm_lw(), rs1_p);
    case CFormat::ci: return format("%s\t%s,%d", n, rd, c.imm6());
    case CFormat::addi16sp: return format("%s\tsp,%d", n, c.imm_addi16sp());
    case CFormat::lui: return format("%s\t%s,0x%x", n, rd, static_cast<uint32_t>(c.imm6()) & 0xfffff);
    case CFormat::shift: return format("%s\t%s,0x%x", n, rd, c.uimm6());
    case CFormat::shift64:
    case CFormat::cr_jump: return format("%s\t%s", n, rd);
    case CFormat::cb_shift: return format("%s\t%s,0x%x", n, rs1_p, c.uimm6());
    case CFormat::cb_shift64: return format("%s\t%s", n, rs1_p);
    case CFormat::cb_imm: return format("%s\t%s,%d", n, rs1_p, c.imm6());
    case CFormat::ca: return format("%s\t%s,%s", n, rs1_p, rd_p);
    case CFormat::cb: return format("%s\t%s,%x", n, rs1_p, pc + static_cast<uint32_t>(c.imm_cb()));
    case CFormat::cj: return format("%s\t%x", n, pc + static_cast<uint32_t>(c.imm_cj()));
    case CFormat::cr: return format("%s\t%s,%s", n, rd, reg_name(c.rs2()));
    case CFormat::lwsp: return format("%s\t%s,%u(sp)", n, rd, c.uimm_lwsp());
    case CFormat::swsp: return format("%s\t%s,%u(sp)", n, reg_name(c.rs2()), c.uimm_swsp());
    case CFormat::none: return n;
  }
  return format(".2byte\t0x%x", parcel);
}

}  // namespace

const char* reg_name(unsigned r) {
  static const char* const names[32] = {
      "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
      "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
  return r < 32 ? names[r] : "?";
}

std::string disassemble(uint32_t bits, uint32_t pc, bool compressed_known) {
  // objdump walks by instruction length whatever the ELF's extensions: a
  // 16-bit parcel it cannot name (or any, without C) prints as ".2byte".
  if (insn_length(bits) == 2)
    return compressed(static_cast<uint16_t>(bits), pc, compressed_known);
  // `csrrw zero,cycle,zero` is the canonical unimplemented instruction: a
  // write to a read-only CSR, which traps. objdump names it even without
  // aliases.
  if (bits == kUnimp)
    return "unimp";
  const InsnDesc* d = decode(bits);
  if (!d)
    return unknown(bits);
  const Insn i{bits};
  const char* rd = reg_name(i.rd());
  const char* rs1 = reg_name(i.rs1());
  const char* rs2 = reg_name(i.rs2());
  switch (d->format) {
    case Format::R: return format("%s\t%s,%s,%s", d->name, rd, rs1, rs2);
    case Format::I: return format("%s\t%s,%s,%d", d->name, rd, rs1, i.imm_i());
    case Format::I_shift: return format("%s\t%s,%s,0x%x", d->name, rd, rs1, i.shamt());
    case Format::I_load:
    case Format::jalr: return format("%s\t%s,%d(%s)", d->name, rd, i.imm_i(), rs1);
    case Format::S: return format("%s\t%s,%d(%s)", d->name, rs2, i.imm_s(), rs1);
    case Format::B: return format("%s\t%s,%s,%x", d->name, rs1, rs2, pc + static_cast<uint32_t>(i.imm_b()));
    case Format::U: return format("%s\t%s,0x%x", d->name, rd, bits >> 12);
    case Format::J: return format("%s\t%s,%x", d->name, rd, pc + static_cast<uint32_t>(i.imm_j()));
    case Format::csr: return format("%s\t%s,%s,%s", d->name, rd, csr_name(i.csr()).c_str(), rs1);
    case Format::csri: return format("%s\t%s,%s,%u", d->name, rd, csr_name(i.csr()).c_str(), i.rs1());
    case Format::amo:
    case Format::sc: return format("%s%s\t%s,%s,(%s)", d->name, ordering_suffix(bits), rd, rs2, rs1);
    case Format::lr: return format("%s%s\t%s,(%s)", d->name, ordering_suffix(bits), rd, rs1);
    case Format::fence: return fence(*d, i);
    // The decoder accepts fence.i with its reserved fields set (they are to
    // be ignored), but objdump names only the exact encoding.
    case Format::none: return bits == d->match ? std::string(d->name) : unknown(bits);
  }
  return unknown(bits);
}

}  // namespace spinlab::isa

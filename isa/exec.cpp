// Instruction semantics, one small function per instruction, and the one
// table that lists them. Adding an instruction is one row and one function.
//
// An exec function either finishes the instruction (StepStatus::retired or
// ::wfi; the hart then commits next_pc and counts it in minstret), starts a
// memory access (Hart::request, ::memory), or traps (Hart::raise,
// ::exception) before changing any architectural state, so traps are precise.
#include <cstdint>
#include <vector>

#include "isa/decode.h"
#include "isa/hart.h"

namespace spinlab::isa {

namespace {

constexpr StepStatus kDone = StepStatus::retired;

// --- integer computation (unprivileged spec 2.4, chapter 7 for M) --------------

template <typename F>
StepStatus reg_reg(Hart& h, const Op& i, F f) {
  h.set_x(i.rd, f(h.x(i.rs1), h.x(i.rs2)));
  return kDone;
}

template <typename F>
StepStatus reg_imm(Hart& h, const Op& i, F f) {
  h.set_x(i.rd, f(h.x(i.rs1), static_cast<uint32_t>(i.imm)));
  return kDone;
}

int32_t s(uint32_t v) { return static_cast<int32_t>(v); }
uint32_t u(int64_t v) { return static_cast<uint32_t>(v); }

// Only the low 5 bits of a register shift amount count (RV32I 2.4.2).
uint32_t shl(uint32_t a, uint32_t n) { return a << (n & 31); }
uint32_t shr(uint32_t a, uint32_t n) { return a >> (n & 31); }
// Arithmetic right shift, written without relying on signed >> of negatives.
uint32_t sar(uint32_t a, uint32_t n) {
  n &= 31;
  uint32_t sign_fill = (a & 0x8000'0000u) ? ~(0xffff'ffffu >> n) : 0;
  return (a >> n) | sign_fill;
}

// Division never traps (M extension 7.2, table 7.1): x/0 = -1 (all ones),
// x%0 = x; the one signed overflow, INT_MIN / -1, gives INT_MIN and rem 0.
constexpr uint32_t kIntMin = 0x8000'0000u;
bool signed_overflow(uint32_t a, uint32_t b) { return a == kIntMin && b == 0xffff'ffffu; }
uint32_t div_s(uint32_t a, uint32_t b) {
  if (b == 0) return 0xffff'ffffu;
  if (signed_overflow(a, b)) return kIntMin;
  return static_cast<uint32_t>(s(a) / s(b));
}
uint32_t div_u(uint32_t a, uint32_t b) { return b == 0 ? 0xffff'ffffu : a / b; }
uint32_t rem_s(uint32_t a, uint32_t b) {
  if (b == 0) return a;
  if (signed_overflow(a, b)) return 0;
  return static_cast<uint32_t>(s(a) % s(b));
}
uint32_t rem_u(uint32_t a, uint32_t b) { return b == 0 ? a : a % b; }

StepStatus exec_lui(Hart& h, const Op& i) {
  h.set_x(i.rd, static_cast<uint32_t>(i.imm));
  return kDone;
}
StepStatus exec_auipc(Hart& h, const Op& i) {
  h.set_x(i.rd, h.pc() + static_cast<uint32_t>(i.imm));
  return kDone;
}

StepStatus exec_addi(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return a + b; });
}
StepStatus exec_slti(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return uint32_t{s(a) < s(b)}; });
}
StepStatus exec_sltiu(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return uint32_t{a < b}; });
}
StepStatus exec_xori(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return a ^ b; });
}
StepStatus exec_ori(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return a | b; });
}
StepStatus exec_andi(Hart& h, const Op& i) {
  return reg_imm(h, i, [](uint32_t a, uint32_t b) { return a & b; });
}
// The shift-immediate rows' masks require imm[11:5] to be exactly 0 (or
// 0b0100000 for srai): on RV32 shamt[5] = 1 is reserved.
StepStatus exec_slli(Hart& h, const Op& i) {
  h.set_x(i.rd, shl(h.x(i.rs1), static_cast<uint32_t>(i.imm)));
  return kDone;
}
StepStatus exec_srli(Hart& h, const Op& i) {
  h.set_x(i.rd, shr(h.x(i.rs1), static_cast<uint32_t>(i.imm)));
  return kDone;
}
StepStatus exec_srai(Hart& h, const Op& i) {
  h.set_x(i.rd, sar(h.x(i.rs1), static_cast<uint32_t>(i.imm)));
  return kDone;
}

StepStatus exec_add(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a + b; });
}
StepStatus exec_sub(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a - b; });
}
StepStatus exec_sll(Hart& h, const Op& i) { return reg_reg(h, i, shl); }
StepStatus exec_slt(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return uint32_t{s(a) < s(b)}; });
}
StepStatus exec_sltu(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return uint32_t{a < b}; });
}
StepStatus exec_xor(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a ^ b; });
}
StepStatus exec_srl(Hart& h, const Op& i) { return reg_reg(h, i, shr); }
StepStatus exec_sra(Hart& h, const Op& i) { return reg_reg(h, i, sar); }
StepStatus exec_or(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a | b; });
}
StepStatus exec_and(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a & b; });
}

StepStatus exec_mul(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return a * b; });
}
StepStatus exec_mulh(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return u((int64_t{s(a)} * int64_t{s(b)}) >> 32); });
}
// |signed a| <= 2^31 and unsigned b < 2^32, so the product fits in int64.
StepStatus exec_mulhsu(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return u((int64_t{s(a)} * int64_t{b}) >> 32); });
}
StepStatus exec_mulhu(Hart& h, const Op& i) {
  return reg_reg(h, i, [](uint32_t a, uint32_t b) { return static_cast<uint32_t>((uint64_t{a} * uint64_t{b}) >> 32); });
}
StepStatus exec_div(Hart& h, const Op& i) { return reg_reg(h, i, div_s); }
StepStatus exec_divu(Hart& h, const Op& i) { return reg_reg(h, i, div_u); }
StepStatus exec_rem(Hart& h, const Op& i) { return reg_reg(h, i, rem_s); }
StepStatus exec_remu(Hart& h, const Op& i) { return reg_reg(h, i, rem_u); }

// --- control transfer (2.5) ----------------------------------------------------

// A taken jump or branch to a target that is not IALIGN-aligned (4 bytes
// without C; 2 with C, which jal/branch offsets and jalr's cleared bit 0
// always are) raises instruction-address-misaligned at the jump itself:
// mepc = its pc, mtval = the target (2.5, privileged 3.1.16), and rd is left
// unchanged. The link is the next instruction: pc + 2 after c.jal/c.jalr.
StepStatus jump_to(Hart& h, uint32_t target, unsigned link_rd) {
  if (target & h.ialign_mask())
    return h.raise(Exception::misaligned_fetch, target);
  h.set_x(link_rd, h.npc());
  h.next_pc(target);
  return kDone;
}

StepStatus exec_jal(Hart& h, const Op& i) { return jump_to(h, h.pc() + static_cast<uint32_t>(i.imm), i.rd); }
StepStatus exec_jalr(Hart& h, const Op& i) {
  return jump_to(h, (h.x(i.rs1) + static_cast<uint32_t>(i.imm)) & ~1u, i.rd);
}

// A taken branch costs Cost::branch (the row's class); one not taken costs
// what an ALU instruction does.
StepStatus branch_if(Hart& h, const Op& i, bool taken) {
  if (!taken) {
    h.set_cost(Cost::alu);
    return kDone;
  }
  return jump_to(h, h.pc() + static_cast<uint32_t>(i.imm), 0);
}

StepStatus exec_beq(Hart& h, const Op& i) { return branch_if(h, i, h.x(i.rs1) == h.x(i.rs2)); }
StepStatus exec_bne(Hart& h, const Op& i) { return branch_if(h, i, h.x(i.rs1) != h.x(i.rs2)); }
StepStatus exec_blt(Hart& h, const Op& i) { return branch_if(h, i, s(h.x(i.rs1)) < s(h.x(i.rs2))); }
StepStatus exec_bge(Hart& h, const Op& i) { return branch_if(h, i, s(h.x(i.rs1)) >= s(h.x(i.rs2))); }
StepStatus exec_bltu(Hart& h, const Op& i) { return branch_if(h, i, h.x(i.rs1) < h.x(i.rs2)); }
StepStatus exec_bgeu(Hart& h, const Op& i) { return branch_if(h, i, h.x(i.rs1) >= h.x(i.rs2)); }

// --- loads and stores (2.6) ------------------------------------------------------

// Hart::request checks the address (triggers, alignment, PMP) before the
// access goes out.
StepStatus load(Hart& h, const Op& i, uint8_t size, bool sign) {
  const uint32_t addr = h.x(i.rs1) + static_cast<uint32_t>(i.imm);
  MemRequest r;
  r.op = MemOp::load;
  r.size = size;
  r.sign_extend = sign;
  r.addr = addr;
  return h.request(r, i.rd);
}

StepStatus store(Hart& h, const Op& i, uint8_t size) {
  const uint32_t addr = h.x(i.rs1) + static_cast<uint32_t>(i.imm);
  MemRequest r;
  r.op = MemOp::store;
  r.size = size;
  r.addr = addr;
  r.wdata = size == 4 ? h.x(i.rs2) : h.x(i.rs2) & ((1u << (8 * size)) - 1);
  return h.request(r, 0);
}

StepStatus exec_lb(Hart& h, const Op& i) { return load(h, i, 1, true); }
StepStatus exec_lh(Hart& h, const Op& i) { return load(h, i, 2, true); }
StepStatus exec_lw(Hart& h, const Op& i) { return load(h, i, 4, false); }
StepStatus exec_lbu(Hart& h, const Op& i) { return load(h, i, 1, false); }
StepStatus exec_lhu(Hart& h, const Op& i) { return load(h, i, 2, false); }
StepStatus exec_sb(Hart& h, const Op& i) { return store(h, i, 1); }
StepStatus exec_sh(Hart& h, const Op& i) { return store(h, i, 2); }
StepStatus exec_sw(Hart& h, const Op& i) { return store(h, i, 4); }

// FENCE orders memory accesses; this machine has one in-order bus and no
// caches, so every fence is already satisfied. FENCE.I likewise: fetch reads
// RAM directly. Reserved fence encodings (fm, rs1, rd) act as plain fences
// (unprivileged 2.7).
StepStatus exec_fence(Hart&, const Op&) { return kDone; }

// --- atomics (chapter 8) -----------------------------------------------------------

// aq/rl only order this hart's accesses, which are already in order here.
MemRequest atomic_request(Hart& h, const Op& i, MemOp op) {
  MemRequest r;
  r.op = op;
  r.size = 4;
  r.aq = (i.bits >> 26) & 1;
  r.rl = (i.bits >> 25) & 1;
  r.addr = h.x(i.rs1);
  r.wdata = h.x(i.rs2);
  return r;
}

// Hart::request applies the alignment rule of LR/SC and AMOs (8.2, 8.4).
StepStatus exec_lr(Hart& h, const Op& i) { return h.request(atomic_request(h, i, MemOp::lr), i.rd); }
StepStatus exec_sc(Hart& h, const Op& i) { return h.request(atomic_request(h, i, MemOp::sc), i.rd); }

StepStatus amo(Hart& h, const Op& i, AmoOp op) {
  MemRequest r = atomic_request(h, i, MemOp::amo);
  r.amo = op;
  return h.request(r, i.rd);
}

StepStatus exec_amoswap(Hart& h, const Op& i) { return amo(h, i, AmoOp::swap); }
StepStatus exec_amoadd(Hart& h, const Op& i) { return amo(h, i, AmoOp::add); }
StepStatus exec_amoxor(Hart& h, const Op& i) { return amo(h, i, AmoOp::xor_); }
StepStatus exec_amoand(Hart& h, const Op& i) { return amo(h, i, AmoOp::and_); }
StepStatus exec_amoor(Hart& h, const Op& i) { return amo(h, i, AmoOp::or_); }
StepStatus exec_amomin(Hart& h, const Op& i) { return amo(h, i, AmoOp::min); }
StepStatus exec_amomax(Hart& h, const Op& i) { return amo(h, i, AmoOp::max); }
StepStatus exec_amominu(Hart& h, const Op& i) { return amo(h, i, AmoOp::minu); }
StepStatus exec_amomaxu(Hart& h, const Op& i) { return amo(h, i, AmoOp::maxu); }

// --- Zicsr (chapter 9) -------------------------------------------------------------

enum class CsrOp { write, set, clear };

// csrrw with rd = x0 does not read the CSR; csrrs/csrrc with rs1 = x0 (and
// the immediate forms with uimm = 0) do not write it, so they may read a
// read-only CSR without trapping (9.1). Both checks come before any state
// changes, so an illegal access leaves rd untouched.
StepStatus csr_access(Hart& h, const Op& i, CsrOp op, uint32_t operand, bool writes) {
  const bool reads = op != CsrOp::write || i.rd != 0;
  uint32_t old = 0;
  if (reads && !h.csr_read(Insn{i.bits}.csr(), old)) return h.raise(Exception::illegal_instruction, i.bits);
  if (writes) {
    const uint32_t v = op == CsrOp::write ? operand : op == CsrOp::set ? old | operand : old & ~operand;
    if (!h.csr_write(Insn{i.bits}.csr(), v)) return h.raise(Exception::illegal_instruction, i.bits);
  }
  h.set_x(i.rd, old);
  return kDone;
}

// For the immediate forms the rs1 field is the 5-bit zero-extended uimm.
StepStatus exec_csrrw(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::write, h.x(i.rs1), true); }
StepStatus exec_csrrs(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::set, h.x(i.rs1), i.rs1 != 0); }
StepStatus exec_csrrc(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::clear, h.x(i.rs1), i.rs1 != 0); }
StepStatus exec_csrrwi(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::write, i.rs1, true); }
StepStatus exec_csrrsi(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::set, i.rs1, i.rs1 != 0); }
StepStatus exec_csrrci(Hart& h, const Op& i) { return csr_access(h, i, CsrOp::clear, i.rs1, i.rs1 != 0); }

// --- system ----------------------------------------------------------------------

// ecall and ebreak do not retire: they trap with mepc at themselves. ebreak
// reports its pc in mtval (privileged 3.1.16); ecall reports 0, and its
// cause names the mode it came from.
StepStatus exec_ecall(Hart& h, const Op&) {
  return h.raise(h.priv() == Priv::user ? Exception::ecall_u : Exception::ecall_m, 0);
}
StepStatus exec_ebreak(Hart& h, const Op&) { return h.raise(Exception::breakpoint, h.pc()); }
// mret exists in M mode only (3.3.2).
StepStatus exec_mret(Hart& h, const Op& i) {
  if (h.priv() != Priv::machine)
    return h.raise(Exception::illegal_instruction, i.bits);
  h.do_mret();
  return kDone;
}
// wfi retires; the timing model then stops stepping this hart until
// wakeup_pending() (privileged 3.3.3). Without S mode, U mode may wait too
// unless mstatus.TW is set: then wfi is illegal at once (3.1.6.5, a time
// limit of 0).
StepStatus exec_wfi(Hart& h, const Op& i) {
  if (h.priv() == Priv::user && (h.csrs().mstatus & csr::mstatus_tw_bit))
    return h.raise(Exception::illegal_instruction, i.bits);
  return StepStatus::wfi;
}

}  // namespace

// The one list of instructions. match/mask are the encodings from the
// unprivileged and privileged specs (opcode map, chapter 34 / 2.x tables);
// names are objdump's no-aliases mnemonics.
const std::vector<InsnDesc>& instruction_table() {
  // clang-format off
  static const std::vector<InsnDesc> table = {
    // RV32I
    {"lui",       0x00000037, 0x0000007f, Format::U,       Cost::alu,    exec_lui},
    {"auipc",     0x00000017, 0x0000007f, Format::U,       Cost::alu,    exec_auipc},
    {"jal",       0x0000006f, 0x0000007f, Format::J,       Cost::jump,   exec_jal},
    {"jalr",      0x00000067, 0x0000707f, Format::jalr,    Cost::jump,   exec_jalr},
    {"beq",       0x00000063, 0x0000707f, Format::B,       Cost::branch, exec_beq},
    {"bne",       0x00001063, 0x0000707f, Format::B,       Cost::branch, exec_bne},
    {"blt",       0x00004063, 0x0000707f, Format::B,       Cost::branch, exec_blt},
    {"bge",       0x00005063, 0x0000707f, Format::B,       Cost::branch, exec_bge},
    {"bltu",      0x00006063, 0x0000707f, Format::B,       Cost::branch, exec_bltu},
    {"bgeu",      0x00007063, 0x0000707f, Format::B,       Cost::branch, exec_bgeu},
    {"lb",        0x00000003, 0x0000707f, Format::I_load,  Cost::load,   exec_lb},
    {"lh",        0x00001003, 0x0000707f, Format::I_load,  Cost::load,   exec_lh},
    {"lw",        0x00002003, 0x0000707f, Format::I_load,  Cost::load,   exec_lw},
    {"lbu",       0x00004003, 0x0000707f, Format::I_load,  Cost::load,   exec_lbu},
    {"lhu",       0x00005003, 0x0000707f, Format::I_load,  Cost::load,   exec_lhu},
    {"sb",        0x00000023, 0x0000707f, Format::S,       Cost::store,  exec_sb},
    {"sh",        0x00001023, 0x0000707f, Format::S,       Cost::store,  exec_sh},
    {"sw",        0x00002023, 0x0000707f, Format::S,       Cost::store,  exec_sw},
    {"addi",      0x00000013, 0x0000707f, Format::I,       Cost::alu,    exec_addi},
    {"slti",      0x00002013, 0x0000707f, Format::I,       Cost::alu,    exec_slti},
    {"sltiu",     0x00003013, 0x0000707f, Format::I,       Cost::alu,    exec_sltiu},
    {"xori",      0x00004013, 0x0000707f, Format::I,       Cost::alu,    exec_xori},
    {"ori",       0x00006013, 0x0000707f, Format::I,       Cost::alu,    exec_ori},
    {"andi",      0x00007013, 0x0000707f, Format::I,       Cost::alu,    exec_andi},
    {"slli",      0x00001013, 0xfe00707f, Format::I_shift, Cost::alu,    exec_slli},
    {"srli",      0x00005013, 0xfe00707f, Format::I_shift, Cost::alu,    exec_srli},
    {"srai",      0x40005013, 0xfe00707f, Format::I_shift, Cost::alu,    exec_srai},
    {"add",       0x00000033, 0xfe00707f, Format::R,       Cost::alu,    exec_add},
    {"sub",       0x40000033, 0xfe00707f, Format::R,       Cost::alu,    exec_sub},
    {"sll",       0x00001033, 0xfe00707f, Format::R,       Cost::alu,    exec_sll},
    {"slt",       0x00002033, 0xfe00707f, Format::R,       Cost::alu,    exec_slt},
    {"sltu",      0x00003033, 0xfe00707f, Format::R,       Cost::alu,    exec_sltu},
    {"xor",       0x00004033, 0xfe00707f, Format::R,       Cost::alu,    exec_xor},
    {"srl",       0x00005033, 0xfe00707f, Format::R,       Cost::alu,    exec_srl},
    {"sra",       0x40005033, 0xfe00707f, Format::R,       Cost::alu,    exec_sra},
    {"or",        0x00006033, 0xfe00707f, Format::R,       Cost::alu,    exec_or},
    {"and",       0x00007033, 0xfe00707f, Format::R,       Cost::alu,    exec_and},
    // The reserved fields of fence and fence.i are ignored (2.7, Zifencei).
    {"fence",     0x0000000f, 0x0000707f, Format::fence,   Cost::fence,  exec_fence},
    {"fence.i",   0x0000100f, 0x0000707f, Format::none,    Cost::fence,  exec_fence},
    {"ecall",     0x00000073, 0xffffffff, Format::none,    Cost::system, exec_ecall},
    {"ebreak",    0x00100073, 0xffffffff, Format::none,    Cost::system, exec_ebreak},
    // M
    {"mul",       0x02000033, 0xfe00707f, Format::R,       Cost::mul,    exec_mul},
    {"mulh",      0x02001033, 0xfe00707f, Format::R,       Cost::mul,    exec_mulh},
    {"mulhsu",    0x02002033, 0xfe00707f, Format::R,       Cost::mul,    exec_mulhsu},
    {"mulhu",     0x02003033, 0xfe00707f, Format::R,       Cost::mul,    exec_mulhu},
    {"div",       0x02004033, 0xfe00707f, Format::R,       Cost::div,    exec_div},
    {"divu",      0x02005033, 0xfe00707f, Format::R,       Cost::div,    exec_divu},
    {"rem",       0x02006033, 0xfe00707f, Format::R,       Cost::div,    exec_rem},
    {"remu",      0x02007033, 0xfe00707f, Format::R,       Cost::div,    exec_remu},
    // A (aq/rl, bits 26:25, are free in every row)
    {"lr.w",      0x1000202f, 0xf9f0707f, Format::lr,      Cost::load,   exec_lr},
    {"sc.w",      0x1800202f, 0xf800707f, Format::sc,      Cost::store,  exec_sc},
    {"amoswap.w", 0x0800202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amoswap},
    {"amoadd.w",  0x0000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amoadd},
    {"amoxor.w",  0x2000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amoxor},
    {"amoand.w",  0x6000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amoand},
    {"amoor.w",   0x4000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amoor},
    {"amomin.w",  0x8000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amomin},
    {"amomax.w",  0xa000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amomax},
    {"amominu.w", 0xc000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amominu},
    {"amomaxu.w", 0xe000202f, 0xf800707f, Format::amo,     Cost::amo,    exec_amomaxu},
    // Zicsr
    {"csrrw",     0x00001073, 0x0000707f, Format::csr,     Cost::csr,    exec_csrrw},
    {"csrrs",     0x00002073, 0x0000707f, Format::csr,     Cost::csr,    exec_csrrs},
    {"csrrc",     0x00003073, 0x0000707f, Format::csr,     Cost::csr,    exec_csrrc},
    {"csrrwi",    0x00005073, 0x0000707f, Format::csri,    Cost::csr,    exec_csrrwi},
    {"csrrsi",    0x00006073, 0x0000707f, Format::csri,    Cost::csr,    exec_csrrsi},
    {"csrrci",    0x00007073, 0x0000707f, Format::csri,    Cost::csr,    exec_csrrci},
    // Privileged
    {"mret",      0x30200073, 0xffffffff, Format::none,    Cost::mret,   exec_mret},
    {"wfi",       0x10500073, 0xffffffff, Format::none,    Cost::wfi,    exec_wfi},
  };
  // clang-format on
  return table;
}

}  // namespace spinlab::isa

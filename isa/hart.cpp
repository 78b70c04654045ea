// The hart's step: interrupts at instruction boundaries, fetch, decode,
// dispatch through the instruction table, retirement, and trap entry.
#include "isa/hart.h"

#include "isa/decode.h"

namespace spinlab::isa {

Hart::Hart(uint32_t hartid) {
  csr_.mhartid = hartid;
  reset(0);
}

void Hart::reset(uint32_t entry_pc) {
  const uint32_t hartid = csr_.mhartid;
  const uint32_t mip = csr_.mip;  // device lines keep their level across a reset
  csr_ = Csrs{};
  csr_.mhartid = hartid;
  csr_.mip = mip;
  x_.fill(0);
  // Same as QEMU virt with -bios none: a0 = mhartid (DESIGN.md section 1).
  x_[10] = hartid;
  pc_ = npc_ = entry_pc;
  cycle_offset_ = 0 - now_;  // mcycle reads 0 at reset
  minstret_written_ = false;
  request_ = MemRequest{};
  request_rd_ = 0;
  cost_ = Cost::alu;
  last_pc_ = entry_pc;
  last_bits_ = 0;
  last_insn_ = 0;
  last_length_ = 4;
  last_desc_ = nullptr;
}

void Hart::set_pending(Interrupt irq, bool level) {
  const uint32_t bit = 1u << static_cast<uint32_t>(irq);
  csr_.mip = level ? (csr_.mip | bit) : (csr_.mip & ~bit);
}

// Instructions are read straight from RAM, one 16-bit parcel at a time as
// far as the instruction's length goes (unprivileged 1.5): a compressed
// instruction in the last two bytes of RAM is fine. A parcel outside RAM is
// a fetch access fault with mtval = that parcel's address: pc, or pc + 2 for
// a 32-bit instruction whose second half is missing (privileged 3.1.16: for
// variable-length instructions mtval points to the portion that faulted,
// mepc to the instruction).
bool Hart::fetch(uint32_t& bits, uint32_t& fault_addr) const {
  fault_addr = pc_;
  if (!code_.bytes || pc_ < code_.base)
    return false;
  const uint64_t offset = pc_ - code_.base;
  if (offset + 2 > code_.size)
    return false;
  const uint8_t* p = code_.bytes + offset;
  bits = uint32_t{p[0]} | uint32_t{p[1]} << 8;
  if (compressed_ && insn_length(bits) == 2)
    return true;
  fault_addr = pc_ + 2;
  if (offset + 4 > code_.size)
    return false;
  bits |= uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  return true;
}

StepStatus Hart::step() {
  minstret_written_ = false;
  last_pc_ = pc_;
  last_bits_ = last_insn_ = 0;
  last_length_ = 4;
  last_desc_ = nullptr;
  cost_ = Cost::system;  // until a row says otherwise: traps before execution
  if (interrupt_ready()) {
    take_interrupt(highest_pending());
    return StepStatus::interrupt;
  }
  // Only a reset to an unaligned entry can leave pc misaligned: jumps trap at
  // the jump, and mtvec/mepc hold IALIGN-aligned addresses.
  if (pc_ & ialign_mask())
    return raise(Exception::misaligned_fetch, pc_);
  uint32_t bits = 0, fault_addr = 0;
  if (!fetch(bits, fault_addr))
    return raise(Exception::fetch_access, fault_addr);
  last_bits_ = bits;
  // A compressed instruction runs as the 32-bit instruction it expands to;
  // a reserved one is illegal with mtval = the parcel (privileged 3.1.16).
  uint32_t insn = bits;
  if (compressed_ && insn_length(bits) == 2) {
    insn = expand_compressed(static_cast<uint16_t>(bits));
    last_length_ = 2;
  }
  last_insn_ = insn;
  const InsnDesc* desc = decode(insn);  // nullptr for 0, a reserved parcel
  last_desc_ = desc;
  if (!desc)
    return raise(Exception::illegal_instruction, bits);
  cost_ = desc->cost;
  npc_ = pc_ + last_length_;
  const StepStatus s = desc->exec(*this, Insn{insn});
  if (s == StepStatus::retired || s == StepStatus::wfi)
    return retire(s);
  return s;
}

// Fixed priority MEI > MSI > MTI (privileged 3.1.9). Called only when some
// enabled interrupt is pending.
Interrupt Hart::highest_pending() const {
  const uint32_t pending = csr_.mip & csr_.mie;
  for (Interrupt irq : {Interrupt::external, Interrupt::software})
    if (pending & (1u << static_cast<uint32_t>(irq)))
      return irq;
  return Interrupt::timer;
}

StepStatus Hart::request(const MemRequest& r, unsigned rd) {
  request_ = r;
  request_rd_ = rd;
  return StepStatus::memory;
}

// Access faults come from the memory system. An LR faults as a load; SC and
// AMOs fault as stores (privileged 3.1.15: "store/AMO access fault").
StepStatus Hart::complete_memory(const MemResponse& response) {
  if (response.fault) {
    const bool is_load = request_.op == MemOp::load || request_.op == MemOp::lr;
    return raise(is_load ? Exception::load_access : Exception::store_access, request_.addr);
  }
  if (request_.op != MemOp::store)
    set_x(request_rd_, response.rdata);
  return retire(StepStatus::retired);
}

// minstret counts retired instructions, except that an instruction writing
// minstret[h] does the write instead of the increment (privileged 3.1.11).
StepStatus Hart::retire(StepStatus s) {
  pc_ = npc_;
  if (!minstret_written_)
    ++csr_.minstret;
  return s;
}

StepStatus Hart::raise(Exception cause, uint32_t tval) {
  trap(static_cast<uint32_t>(cause), tval);
  return StepStatus::exception;
}

void Hart::take_interrupt(Interrupt irq) { trap(kInterruptFlag | static_cast<uint32_t>(irq), 0); }

// Trap entry (privileged 3.1.6.1, 3.1.7): mepc = the trapping instruction (for
// an interrupt, the next one to execute, which is pc_ either way), MPIE <- MIE,
// MIE <- 0, MPP stays M. Vectored mode sends interrupts to BASE + 4*cause and
// exceptions to BASE.
void Hart::trap(uint32_t cause, uint32_t tval) {
  csr_.mepc = pc_;
  csr_.mcause = cause;
  csr_.mtval = tval;
  const bool mie = csr_.mstatus_mie();
  csr_.mstatus = csr::mstatus_mpp_mask | (mie ? csr::mstatus_mpie_bit : 0);
  const uint32_t base = csr_.mtvec & ~3u;
  const bool vectored = (csr_.mtvec & 3) == 1 && (cause & kInterruptFlag);
  pc_ = npc_ = vectored ? base + 4 * (cause & ~kInterruptFlag) : base;
}

void Hart::do_mret() {
  const bool mpie = (csr_.mstatus & csr::mstatus_mpie_bit) != 0;
  csr_.mstatus = csr::mstatus_mpp_mask | csr::mstatus_mpie_bit | (mpie ? csr::mstatus_mie_bit : 0);
  npc_ = csr_.mepc;
}

ExceptionName exception_name(uint32_t code) {
  switch (code) {
    case 0: return {"misaligned-fetch", "misaligned fetch"};
    case 1: return {"fetch-fault", "fetch access fault"};
    case 2: return {"illegal-instruction", "illegal instruction"};
    case 3: return {"breakpoint", "breakpoint"};
    case 4: return {"misaligned-load", "misaligned load"};
    case 5: return {"load-fault", "load access fault"};
    case 6: return {"misaligned-store", "misaligned store/AMO"};
    case 7: return {"store-fault", "store/AMO access fault"};
    case 8: return {"ecall-u", nullptr};  // from modes this hart does not have
    case 9: return {"ecall-s", nullptr};
    case 11: return {"ecall", "ecall from M-mode"};
    default: return {nullptr, nullptr};
  }
}

}  // namespace spinlab::isa

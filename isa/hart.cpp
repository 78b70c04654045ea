// The hart's step: interrupts at instruction boundaries, fetch, decode,
// dispatch through the instruction table, retirement, trap entry, and the
// checks (PMP, triggers) fetches and memory accesses pass.
#include "isa/hart.h"

#include "isa/decode.h"

namespace spinlab::isa {

Hart::Hart(uint32_t hartid) {
  csr_.mhartid = hartid;
  clear_decoded();
  reset(0);
}

void Hart::reset(uint32_t entry_pc) {
  const uint32_t hartid = csr_.mhartid;
  const uint32_t mip = csr_.mip;  // device lines keep their level across a reset
  csr_ = Csrs{};
  csr_.mhartid = hartid;
  csr_.mip = mip;
  priv_ = Priv::machine;
  pmp_.reset();
  pmp_refusal_ = PmpRefusal{};
  triggers_.reset();
  update_checks();
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
  last_ = &kNone4;
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

// The handler of an encoding with no row: the trap, before any row ran
// (Cost::system, no desc), mtval = the bits as fetched.
StepStatus Hart::exec_illegal(Hart& h, const Op&) { return h.raise(Exception::illegal_instruction, h.last_->bits); }

// Everything step() does not do inline: an interrupt, a misaligned pc, a
// predecode miss, fetch checks, and the last bytes of RAM or pcs outside it.
StepStatus Hart::step_slow() {
  if (interrupt_ready()) {
    forget_last();
    take_interrupt(highest_pending());
    return StepStatus::interrupt;
  }
  // Only a reset to an unaligned entry can leave pc misaligned: jumps trap at
  // the jump, and mtvec/mepc hold IALIGN-aligned addresses.
  if (pc_ & ialign_mask_) {
    forget_last();
    return raise(Exception::misaligned_fetch, pc_);
  }
  // The fast path reads four bytes at once; the last bytes of RAM, and pcs
  // outside it, go through fetch(), parcel by parcel. (An offset that wraps,
  // pc below RAM, is large and takes the slow path too.)
  const uint32_t offset = pc_ - code_.base;
  if (offset < fast_fetch_end_) {
    const uint8_t* p = code_.bytes + offset;
    const uint32_t raw = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    // What decoding these four bytes gave last time at this pc, if they are
    // still the same bytes: decode depends on nothing else (compressed_
    // clears the cache when it changes), so a store to code, another hart's
    // or the debugger's, needs no invalidation.
    Decoded& d = decoded_[(pc_ >> 1) & (kDecodedEntries - 1)];
    if (d.raw != raw) decode_into(d, raw);
    if (fetch_checks_) {
      forget_last(d.length);
      if (check_fetch(d.length) == StepStatus::exception) return StepStatus::exception;
    }
    return execute(d);
  }
  forget_last();
  // The last bytes of RAM, and pcs outside it, go through fetch(), parcel by
  // parcel. (An offset that wraps, pc below RAM, is large and lands here too.)
  uint32_t bits = 0;
  uint32_t fault_addr = 0;
  if (!fetch(bits, fault_addr)) {
    // An execute trigger on the pc outranks the fault (privileged table 3.7).
    if (fetch_checks_ && check_fetch_trigger() == StepStatus::exception)
      return StepStatus::exception;
    return raise(Exception::fetch_access, fault_addr);
  }
  // A compressed instruction runs as the 32-bit instruction it expands to;
  // a reserved one is illegal with mtval = the parcel (privileged 3.1.16).
  // Without C, decode() finds no row for a 16-bit encoding: illegal.
  uint32_t insn = bits;
  uint8_t length = 4;
  if ((bits & 3) != 3 && compressed_) {
    bits &= 0xffff;
    insn = expand_compressed(static_cast<uint16_t>(bits));
    length = 2;
    forget_last(length);
  }
  if (fetch_checks_ && check_fetch(length) == StepStatus::exception) return StepStatus::exception;
  fill(slow_, bits, insn, length);  // no row for 0, a reserved parcel
  return execute(slow_);
}

// Decodes the four bytes `raw` fetched at a pc into d, as step() would: a
// compressed parcel (its low half) runs as its expansion.
void Hart::decode_into(Decoded& d, uint32_t raw) const {
  const bool parcel = (raw & 3) != 3 && compressed_;
  fill(d, parcel ? raw & 0xffff : raw, parcel ? expand_compressed(static_cast<uint16_t>(raw)) : raw, parcel ? 2 : 4);
  d.raw = raw;
  // Plain (plain_entry): computes only. A jump or branch only with C, whose
  // targets cannot be misaligned; op.rd is the bits' field whatever the
  // format (a branch's immediate bits there can only make it not plain).
  bool plain = false;
  switch (d.cost) {
    case Cost::alu:
    case Cost::mul:
    case Cost::div: plain = d.desc != nullptr; break;
    case Cost::branch:
    case Cost::jump: plain = d.desc != nullptr && compressed_; break;
    default: break;
  }
  d.plain = plain && d.op.rd != 2;
}

// The entry for `bits` as fetched (a compressed parcel: its 16 bits) that
// run as the 32-bit `insn`, `length` bytes long.
void Hart::fill(Decoded& d, uint32_t bits, uint32_t insn, uint8_t length) {
  d.raw = bits;
  d.bits = bits;
  d.length = length;
  d.desc = decode(insn);
  d.op = make_op(insn, d.desc);
  d.exec = d.desc ? d.desc->exec : exec_illegal;
  d.cost = d.desc ? d.desc->cost : Cost::system;
  d.plain = false;  // decode_into says, for the cache's entries
}

// Every entry as if the four bytes 0 had been read at its pc, which makes
// each entry true for its raw bits whatever the pc.
void Hart::clear_decoded() {
  Decoded zero;
  decode_into(zero, 0);
  decoded_.assign(kDecodedEntries, zero);
  last_ = &kNone4;  // the entry it pointed to may be another's now
}

// What a step that ran no row reports (forget_last).
const Hart::Decoded Hart::kNone2 = [] {
  Decoded d;
  d.length = 2;
  return d;
}();
const Hart::Decoded Hart::kNone4 = Decoded{};

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
  if (data_checks_ && check_data(r) == StepStatus::exception)
    return StepStatus::exception;
  // LR/SC and AMOs must be naturally aligned even where ordinary accesses may
  // not be (unprivileged 8.2, 8.4): LR raises a misaligned load, SC/AMO a
  // misaligned store/AMO.
  const bool is_load = r.op == MemOp::load || r.op == MemOp::lr;
  const bool plain = r.op == MemOp::load || r.op == MemOp::store;
  if ((r.addr & (r.size - 1u)) != 0 && !(plain && misaligned_allowed_))
    return raise(is_load ? Exception::misaligned_load : Exception::misaligned_store, r.addr);
  if (data_checks_ && !pmp_.allows(r.addr, r.size, pmp_access(r.op), data_machine_mode(), pmp_refusal_))
    return refuse(is_load ? Exception::load_access : Exception::store_access, r.addr);
  request_ = r;
  request_rd_ = rd;
  return StepStatus::memory;
}

// Access faults come from the memory system. An LR faults as a load; SC and
// AMOs fault as stores (privileged 3.1.15: "store/AMO access fault").
StepStatus Hart::complete_memory(const MemResponse& response) {
  if (response.fault) {
    const bool is_load = request_.op == MemOp::load || request_.op == MemOp::lr;
    return raise(is_load ? Exception::load_access : Exception::store_access, response.fault_addr);
  }
  if (request_.op != MemOp::store)
    set_x(request_rd_, response.rdata);
  return retire(StepStatus::retired);
}

StepStatus Hart::raise(Exception cause, uint32_t tval) {
  trap(static_cast<uint32_t>(cause), tval);
  return StepStatus::exception;
}

void Hart::take_interrupt(Interrupt irq) { trap(kInterruptFlag | static_cast<uint32_t>(irq), 0); }

namespace {

constexpr uint32_t kKeptAcrossTraps = csr::mstatus_mprv_bit | csr::mstatus_tw_bit;

uint32_t mpp_field(Priv p) { return static_cast<uint32_t>(p) << csr::mstatus_mpp_shift; }

}  // namespace

// Trap entry (privileged 3.1.6.1, 3.1.7): mepc = the trapping instruction (for
// an interrupt, the next one to execute, which is pc_ either way), MPIE <- MIE,
// MIE <- 0, MPP <- the mode the trap came from, and the hart goes to M mode.
// Vectored mode sends interrupts to BASE + 4*cause and exceptions to BASE.
// An access fault the PMP raised: said so to whoever asks after the trap
// (last_trap_by_pmp), for the narrative.
StepStatus Hart::refuse(Exception cause, uint32_t addr) {
  pmp_refused_ = true;
  return raise(cause, addr);
}

void Hart::trap(uint32_t cause, uint32_t tval) {
  last_trap_by_pmp_ = pmp_refused_;
  pmp_refused_ = false;
  csr_.mepc = pc_;
  csr_.mcause = cause;
  csr_.mtval = tval;
  const bool mie = csr_.mstatus_mie();
  csr_.mstatus = (csr_.mstatus & kKeptAcrossTraps) | mpp_field(priv_) | (mie ? csr::mstatus_mpie_bit : 0);
  set_priv(Priv::machine);
  const uint32_t base = csr_.mtvec & ~3u;
  const bool vectored = (csr_.mtvec & 3) == 1 && (cause & kInterruptFlag);
  pc_ = npc_ = vectored ? base + 4 * (cause & ~kInterruptFlag) : base;
}

// mret (3.1.6.1, 3.3.2): the mode becomes MPP, and MPP the least privileged
// mode (U); MPRV is cleared when that mode is not M (privileged 1.12).
void Hart::do_mret() {
  const bool mpie = (csr_.mstatus & csr::mstatus_mpie_bit) != 0;
  const Priv to = (csr_.mstatus & csr::mstatus_mpp_mask) == csr::mstatus_mpp_mask ? Priv::machine : Priv::user;
  uint32_t kept = csr_.mstatus & kKeptAcrossTraps;
  if (to != Priv::machine)
    kept &= ~csr::mstatus_mprv_bit;
  csr_.mstatus = kept | mpp_field(Priv::user) | csr::mstatus_mpie_bit | (mpie ? csr::mstatus_mie_bit : 0);
  npc_ = csr_.mepc;
  set_priv(to);
}

// Writable: MIE, MPIE, MPRV, TW and MPP. MPP is WARL over the modes that
// exist (M, U); a write of 1 or 2 (S, reserved) keeps the old MPP, as QEMU
// does (legalize_mpp). The S-mode fields (SIE, SPIE, SPP, SUM, MXR, TVM,
// TSR) read 0: there is no S mode (3.1.6).
void Hart::write_mstatus(uint32_t v) {
  constexpr uint32_t writable = csr::mstatus_mie_bit | csr::mstatus_mpie_bit | kKeptAcrossTraps;
  const uint32_t mpp = v & csr::mstatus_mpp_mask;
  const bool legal = mpp == mpp_field(Priv::machine) || mpp == mpp_field(Priv::user);
  csr_.mstatus = (v & writable) | (legal ? mpp : csr_.mstatus & csr::mstatus_mpp_mask);
  update_checks();
}

void Hart::set_priv(Priv p) {
  priv_ = p;
  update_checks();
}

// Loads and stores in M mode with MPRV = 1 are checked as if in mode MPP
// (3.1.6.3); fetches always use the current mode.
bool Hart::data_machine_mode() const {
  if (priv_ != Priv::machine)
    return false;
  return !(csr_.mstatus & csr::mstatus_mprv_bit) || (csr_.mstatus & csr::mstatus_mpp_mask) == csr::mstatus_mpp_mask;
}

// A fetch or access needs checking when a trigger is armed for its kind in
// this mode, or when some PMP entry binds it: every access outside M mode
// (no entry matching fails), and M-mode accesses once a locked entry is on.
// An entry that matches only some bytes of an access fails it whatever its
// L bit (privileged 3.7.1), which an M-mode data access can do only when
// misaligned accesses are performed: then any active entry binds it.
void Hart::update_checks() {
  const bool machine = priv_ == Priv::machine;
  const uint8_t armed = triggers_.armed(machine);
  const bool locked = pmp_.any_locked_active();
  fetch_checks_ = !machine || locked || (armed & Triggers::execute);
  data_checks_ = !data_machine_mode() || locked || (misaligned_allowed_ && pmp_.any_active()) ||
                 (armed & (Triggers::load | Triggers::store));
}

// An execute trigger on pc (the highest priority exception, privileged
// 3.1.15 table 3.7; mtval = pc). The instruction has not run yet.
StepStatus Hart::check_fetch_trigger() {
  const bool machine = priv_ == Priv::machine;
  if ((triggers_.armed(machine) & Triggers::execute) && triggers_.fires(Triggers::execute, pc_, machine))
    return raise(Exception::breakpoint, pc_);
  return StepStatus::retired;
}

// Once the instruction's length is known, before it runs: the execute
// trigger, then the PMP's X permission for its bytes (fetch access fault). With C, fetch reads 16-bit parcels, each
// checked on its own, and mtval names the parcel refused (pc or pc + 2, as
// for a parcel outside RAM); without C, one 4-byte fetch at pc.
StepStatus Hart::check_fetch(uint32_t length) {
  if (check_fetch_trigger() == StepStatus::exception)
    return StepStatus::exception;
  const bool machine = priv_ == Priv::machine;
  if (!compressed_)
    return pmp_.allows(pc_, 4, pmp_exec, machine, pmp_refusal_) ? StepStatus::retired
                                                                : refuse(Exception::fetch_access, pc_);
  for (uint32_t parcel = 0; parcel < length; parcel += 2)
    if (!pmp_.allows(pc_ + parcel, 2, pmp_exec, machine, pmp_refusal_))
      return refuse(Exception::fetch_access, pc_ + parcel);
  return StepStatus::retired;
}

// Load/store address triggers fire before the access (timing "before"),
// with mtval = the address. An LR is a load, an SC a store, an AMO both.
StepStatus Hart::check_data(const MemRequest& r) {
  const bool machine = priv_ == Priv::machine;
  const uint8_t armed = triggers_.armed(machine);
  if (armed) {
    const bool reads = r.op != MemOp::store && r.op != MemOp::sc;
    const bool writes = r.op != MemOp::load && r.op != MemOp::lr;
    if ((reads && (armed & Triggers::load) && triggers_.fires(Triggers::load, r.addr, machine)) ||
        (writes && (armed & Triggers::store) && triggers_.fires(Triggers::store, r.addr, machine)))
      return raise(Exception::breakpoint, r.addr);
  }
  return StepStatus::retired;
}

// What the PMP must allow for an access (3.7.1): an AMO reads and writes.
uint8_t Hart::pmp_access(MemOp op) {
  switch (op) {
    case MemOp::load:
    case MemOp::lr: return pmp_read;
    case MemOp::store:
    case MemOp::sc: return pmp_write;
    case MemOp::amo: return pmp_read | pmp_write;
  }
  return pmp_read | pmp_write;
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
    case 8: return {"ecall-u", "ecall from U-mode"};
    case 9: return {"ecall-s", nullptr};  // from a mode this hart does not have
    case 11: return {"ecall", "ecall from M-mode"};
    default: return {nullptr, nullptr};
  }
}

std::string exception_words(uint32_t code) {
  const char* words = exception_name(code).words;
  return words ? words : "exception " + std::to_string(code);
}

}  // namespace spinlab::isa

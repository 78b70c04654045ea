// One RV32IMAC + Zicsr hart with machine and user mode (no S), PMP and debug
// triggers: architectural state, the step function and the trap logic. Plain
// C++: no SystemC, no notion of time or of buses. Memory instructions are split-phase: step() stops with a MemRequest,
// whoever owns the memory system performs it (with whatever timing it models)
// and hands the answer back through complete_memory().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "isa/csr.h"
#include "isa/mem.h"
#include "isa/pmp.h"
#include "isa/trigger.h"

namespace spinlab::isa {

// Exception causes (privileged spec, table 3.6). Interrupt causes have bit 31 set.
enum class Exception : uint32_t {
  misaligned_fetch = 0,
  fetch_access = 1,
  illegal_instruction = 2,
  breakpoint = 3,
  misaligned_load = 4,
  load_access = 5,
  misaligned_store = 6,  // store/AMO address misaligned
  store_access = 7,      // store/AMO access fault
  ecall_u = 8,
  ecall_m = 11,
};

// Privilege modes (privileged spec 1.12, table 1.1); the encoding is the one
// mstatus.MPP holds. There is no S mode.
enum class Priv : uint8_t { user = 0, machine = 3 };

// An exception code's names (privileged spec, table 3.6): a slug for
// identifiers ("illegal-instruction", the timeline's span names) and words
// for sentences ("illegal instruction", the instruction trace); nullptr for
// a code without that name.
struct ExceptionName {
  const char* slug;
  const char* words;
};
ExceptionName exception_name(uint32_t code);
// An exception code in words for a sentence: "illegal instruction", or
// "exception 14" for a code without them.
std::string exception_words(uint32_t code);
// An environment call from U, S or M mode (causes 8, 9, 11): a request, not
// a fault.
inline bool is_ecall(uint32_t cause) { return cause == 8 || cause == 9 || cause == 11; }

// Interrupt numbers = bit positions in mip/mie.
enum class Interrupt : uint32_t { software = 3, timer = 7, external = 11 };
constexpr uint32_t kInterruptFlag = 0x8000'0000u;

// Cycle-cost class of an instruction; the timing model maps each to cycles.
enum class Cost : uint8_t { alu, mul, div, branch, jump, load, store, amo, csr, fence, system, mret, wfi };

enum class StepStatus : uint8_t {
  retired,    // instruction done; cost() tells its class
  memory,     // a memory access is pending: perform mem_request(), then complete_memory()
  exception,  // the instruction trapped; the hart is at the handler (trap entry)
  interrupt,  // an interrupt was taken at this boundary; no instruction executed
  wfi,        // wfi retired; the hart sleeps until (mip & mie) != 0
};

// Where instructions are fetched from: RAM, read directly (fetch is not a bus
// transaction in this machine; DESIGN.md section 1).
struct CodeMemory {
  const uint8_t* bytes = nullptr;
  uint32_t base = 0;
  uint32_t size = 0;
};

// Supplies the `time` CSR (the CLINT's mtime). Read only by csrr time/timeh.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual uint64_t mtime() const = 0;
};

struct InsnDesc;  // a row of the decode table (isa/decode.h)

// An instruction's operands, taken out of its bits once when it is decoded
// (isa/decode.cpp, make_op), so that running it again costs no field
// extraction: imm is the row's immediate as its Format has it (I, S, B, U, J,
// a shift amount; 0 where there is none).
struct Op {
  uint32_t bits = 0;  // the 32-bit instruction (a compressed one: its expansion)
  int32_t imm = 0;
  uint8_t rd = 0, rs1 = 0, rs2 = 0;
};
class Hart;
using ExecFn = StepStatus (*)(Hart&, const Op&);

class Hart {
 public:
  explicit Hart(uint32_t hartid);
  // last_ points into the hart's own table: a copy would point into another's.
  Hart(const Hart&) = delete;
  Hart& operator=(const Hart&) = delete;

  // --- configuration ------------------------------------------------------
  void set_code_memory(CodeMemory code) {
    code_ = code;
    fast_fetch_end_ = code.bytes && code.size >= 4 ? code.size - 3 : 0;
  }
  void set_time_source(const TimeSource* t) { time_ = t; }
  // When true, misaligned loads/stores are issued as they are (isa::perform
  // splits them into byte accesses); when false (default) they trap.
  // Misaligned AMO/LR/SC always trap.
  void set_misaligned_allowed(bool on) {
    misaligned_allowed_ = on;
    update_checks();
  }
  // The C extension (on by default, machine.isa = "rv32imac"): 16-bit
  // instructions, IALIGN = 16 and misa.C. Off ("rv32ima"): 16-bit encodings
  // are illegal and IALIGN = 32.
  void set_compressed(bool on) {
    compressed_ = on;
    ialign_mask_ = on ? 1u : 3u;
    clear_decoded();  // a parcel decodes differently without C
  }
  bool compressed() const { return compressed_; }
  // The low pc bits a jump target or mepc may not have (IALIGN, unprivileged
  // 1.5): bit 0 with C, bits 1:0 without.
  uint32_t ialign_mask() const { return ialign_mask_; }
  // PMP granularity in bytes (a power of two >= 4). Clears the PMP entries.
  void set_pmp_granularity(uint32_t bytes) { pmp_.set_granularity(bytes); }

  // Reset: M mode, pc = entry, every register 0 except a0 = mhartid; CSRs to
  // their reset values (MIE = 0, MPRV = 0, mcycle and minstret restart from
  // 0, PMP entries off, triggers matching nothing). mip keeps the levels the
  // devices drive.
  void reset(uint32_t entry_pc);

  // --- execution -----------------------------------------------------------
  struct Decoded;  // a predecoded instruction (below)
  // Takes a pending enabled interrupt if there is one (status interrupt),
  // otherwise fetches, decodes and executes one instruction.
  // Inline, always: the scheduler calls it once per simulated instruction
  // (left to itself the compiler made it a call, ~10 host instructions a
  // step, callgrind). The common case is here (no interrupt to take, an
  // aligned pc in RAM whose predecode entry holds the four bytes there, no
  // fetch checks); anything else goes to step_slow(), which decides it all
  // again from the same state.
  [[gnu::always_inline]] StepStatus step() { return step(entry()); }
  // step() with the fetch done: `e` is what entry() gave (nullptr: not from
  // the cache), for a caller that looked at the instruction first.
  [[gnu::always_inline]] StepStatus step(const Decoded* e) {
    minstret_written_ = false;
    last_pc_ = pc_;
    // One branch for the four tests, none of them short-circuited.
    if (__builtin_expect((e != nullptr) & plain_ready(), 1)) return execute(*e);
    return step_slow();
  }
  // --- the plain path ---------------------------------------------------------
  // A plain instruction only computes: an ALU, multiply or divide
  // instruction, or a jump or branch with C on (whose targets are always
  // 2-byte aligned, so it cannot trap), that writes a register other than
  // sp. It touches no memory or CSR and cannot trap, change the mode, or make
  // an interrupt pending or enabled: a run of them needs none of step()'s
  // tests but the fetch's, and nothing that watches a step (the lock
  // monitor's traps, mret, wfi, sp and MIE) has anything to hear of it.
  // The predecoded instruction at pc when step() would run it from the
  // cache as far as the fetch goes (a pc in RAM whose entry was decoded from
  // the bytes there now), else nullptr. The pc may be misaligned: step(e)
  // and plain_ready() test that.
  [[gnu::always_inline]] const Decoded* entry() const;
  // What step() tests besides the entry, and no plain instruction can
  // change: no interrupt to take, no fetch checks, an aligned pc.
  bool plain_ready() const { return !(interrupt_ready() | fetch_checks_ | ((pc_ & ialign_mask_) != 0)); }
  // The instruction at pc if it is plain and predecoded from the bytes there
  // now (step()'s fast path), else nullptr.
  [[gnu::always_inline]] const Decoded* plain_entry() const;
  // Runs the plain instruction plain_entry() gave, as step() would: it
  // retires, and cost() says its class.
  [[gnu::always_inline]] void run_plain(const Decoded& d);

  // Finishes the pending memory instruction: writes rd or traps. Returns
  // retired or exception.
  StepStatus complete_memory(const MemResponse& response);
  const MemRequest& mem_request() const { return request_; }

  // What a run of plain instructions changes (run_plain, set_now): a
  // scheduler that ran a hart ahead of the others goes back to it
  // (models::Core::back_to).
  struct PlainState;
  PlainState plain_state() const;
  void restore(const PlainState& s);
  // Cost class of the instruction the last step()/complete_memory() handled.
  // A taken branch reports Cost::branch, a branch not taken Cost::alu.
  // Cost::system when the step trapped before any row ran (interrupt, fetch
  // fault, illegal instruction).
  Cost cost() const { return cost_; }
  // The instruction the last step fetched (for traces and the monitor). After
  // a step that took an interrupt: last_pc() is where the hart was
  // interrupted (= mepc), last_bits() is 0 and last_desc() is nullptr; the
  // same after a fetch that faulted. For a compressed instruction last_bits()
  // is its 16-bit parcel (zero-extended), last_length() is 2, and
  // last_insn() and last_desc() are the 32-bit instruction it expanded to,
  // which is what executed; for a 32-bit one last_insn() == last_bits().
  uint32_t last_pc() const { return last_pc_; }
  uint32_t last_bits() const { return last_->bits; }
  uint32_t last_insn() const { return last_->op.bits; }
  unsigned last_length() const { return last_->length; }
  const InsnDesc* last_desc() const { return last_->desc; }

  // --- interrupts (driven by the machine: CLINT, PLIC) ---------------------
  void set_pending(Interrupt irq, bool level);
  // mip & mie != 0: wakes wfi regardless of mstatus.MIE (privileged spec 3.3.3).
  bool wakeup_pending() const { return (csr_.mip & csr_.mie) != 0; }
  // An interrupt would be taken at the next boundary. In U mode machine
  // interrupts are enabled whatever MIE says (privileged 3.1.6.1).
  bool interrupt_ready() const { return (csr_.mstatus_mie() || priv_ == Priv::user) && wakeup_pending(); }

  // --- counters --------------------------------------------------------------
  // The machine's current cycle, set by the timing model before each step so
  // that mcycle/cycle read what the model counts.
  void set_now(uint64_t cycle) { now_ = cycle; }
  uint64_t mcycle() const { return now_ + cycle_offset_; }
  uint64_t minstret() const { return csr_.minstret; }

  // --- state ---------------------------------------------------------------
  uint32_t x(unsigned r) const { return x_[r]; }
  void set_x(unsigned r, uint32_t v) {
    x_[r] = v;
    x_[0] = 0;
  }
  uint32_t pc() const { return pc_; }
  void set_pc(uint32_t v) { pc_ = v; }
  uint32_t hartid() const { return csr_.mhartid; }
  // The privilege mode the hart runs in.
  Priv priv() const { return priv_; }
  void set_priv(Priv p);
  // The PMP entry that refused the last access the PMP refused (the
  // exception's cause and mtval say which access; this says why).
  const PmpRefusal& pmp_refusal() const { return pmp_refusal_; }
  // The last trap was an access fault the PMP raised (pmp_refusal() says
  // which entry), not one from the memory system.
  bool last_trap_by_pmp() const { return last_trap_by_pmp_; }
  const Pmp& pmp() const { return pmp_; }
  Pmp& pmp() { return pmp_; }
  Triggers& triggers() { return triggers_; }
  const Triggers& triggers() const { return triggers_; }
  Csrs& csrs() { return csr_; }
  const Csrs& csrs() const { return csr_; }

  // CSR access as the instruction set defines it, at the current privilege.
  // Return false when the access is illegal (unknown CSR, a write to a
  // read-only one, a CSR of a higher privilege, or a counter mcounteren
  // hides from U mode).
  bool csr_read(uint16_t addr, uint32_t& value) const;
  bool csr_write(uint16_t addr, uint32_t value);
  bool csr_allowed(uint16_t addr) const;

  // Trap entry for an exception raised by the current instruction: sets mepc,
  // mcause, mtval, mstatus (MPIE <- MIE, MIE <- 0, MPP <- the mode it came
  // from), the mode to M and pc <- mtvec.
  StepStatus raise(Exception cause, uint32_t tval);
  // mret: next pc <- mepc, MIE <- MPIE, MPIE <- 1, mode <- MPP, MPP <- U,
  // and MPRV <- 0 when the new mode is U.
  void do_mret();
  // mstatus as software writes it (the WARL rules), and the checks that
  // depend on it. Used by the mstatus CSR.
  void write_mstatus(uint32_t v);
  // After pmpcfg or tdata1 changed: which checks loads, stores and fetches need.
  void update_checks();

  // Used by instruction semantics (isa/exec.cpp).
  void next_pc(uint32_t v) { npc_ = v; }
  void set_cost(Cost c) { cost_ = c; }
  uint32_t npc() const { return npc_; }
  // Starts memory instruction r (rd receives the result): the load/store
  // breakpoint triggers, the alignment rule and the PMP come first, in the
  // priority of privileged 3.1.15 (table 3.7), so a refused access never reaches
  // the memory system.
  StepStatus request(const MemRequest& r, unsigned rd);
  void suppress_minstret_increment() { minstret_written_ = true; }
  void write_mcycle(uint64_t v) { cycle_offset_ = v - now_; }
  uint64_t read_time() const { return time_ ? time_->mtime() : 0; }

  // A predecoded instruction: what step() made of the four bytes `raw` read
  // at a pc. Indexed by pc and checked against the bytes fetched now, so it
  // is never stale (isa/hart.cpp, step()). The length and the bits reported
  // follow from raw and compressed_.
  // Everything a step needs that depends on the bytes alone is here, so a
  // hit runs the handler with no lookup in the row.
  struct Decoded {
    uint32_t raw = 0;   // the four bytes at the pc (a compressed instruction: the next parcel too)
    uint32_t bits = 0;  // what last_bits() reports: raw, or its low parcel
    ExecFn exec = nullptr;           // the row's function; an illegal instruction's trap without a row
    const InsnDesc* desc = nullptr;  // nullptr: illegal
    Op op;                           // op.bits: the 32-bit instruction it runs as
    uint8_t length = 4;
    Cost cost = Cost::system;  // the row's; Cost::system without one
    bool plain = false;        // a plain instruction (plain_entry)
  };

 private:
  // Sized for a teaching firmware's hot code: 8 KiB of pcs (2-byte steps),
  // 64 KiB a hart.
  static constexpr uint32_t kDecodedEntries = 4096;
  void clear_decoded();
  void decode_into(Decoded& d, uint32_t raw) const;
  static void fill(Decoded& d, uint32_t bits, uint32_t insn, uint8_t length);
  // A step that traps before any row runs reports no instruction (last_bits()
  // 0, no desc, Cost::system), `length` bytes long (what a fetch check
  // refused).
  static const Decoded kNone2, kNone4;
  void forget_last(unsigned length = 4) {
    last_ = length == 2 ? &kNone2 : &kNone4;
    cost_ = Cost::system;
  }
  // Runs the fetched instruction as d says: every field depends on the
  // bytes fetched alone.
  [[gnu::always_inline]] StepStatus execute(const Decoded& d) {
    last_ = &d;
    cost_ = d.cost;
    npc_ = pc_ + d.length;
    const StepStatus s = d.exec(*this, d.op);
    if (s == StepStatus::retired || s == StepStatus::wfi) return retire(s);
    return s;
  }
  // The four bytes at `offset` into RAM (below fast_fetch_end_), and the
  // entry the pc predecodes into.
  uint32_t read_raw(uint32_t offset) const {
    const uint8_t* p = code_.bytes + offset;
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  }
  const Decoded& decoded_here() const { return decoded_[(pc_ >> 1) & (kDecodedEntries - 1)]; }
  StepStatus step_slow();
  static StepStatus exec_illegal(Hart& h, const Op& op);
  bool fetch(uint32_t& bits, uint32_t& fault_addr) const;
  StepStatus refuse(Exception cause, uint32_t addr);
  StepStatus check_fetch_trigger();
  StepStatus check_fetch(uint32_t length);
  StepStatus check_data(const MemRequest& r);
  bool data_machine_mode() const;
  static uint8_t pmp_access(MemOp op);
  Interrupt highest_pending() const;
  void take_interrupt(Interrupt irq);
  void trap(uint32_t cause, uint32_t tval);
  // minstret counts retired instructions, except that an instruction
  // writing minstret[h] does the write instead of the increment (privileged
  // 3.1.11).
  StepStatus retire(StepStatus s) {
    pc_ = npc_;
    if (!minstret_written_) ++csr_.minstret;
    return s;
  }

  std::array<uint32_t, 32> x_{};
  uint32_t pc_ = 0;
  uint32_t npc_ = 0;
  Csrs csr_;
  CodeMemory code_;
  const TimeSource* time_ = nullptr;
  bool misaligned_allowed_ = false;
  bool compressed_ = true;
  uint32_t ialign_mask_ = 1;
  uint32_t fast_fetch_end_ = 0;  // offsets below it have four bytes of RAM to read

  Priv priv_ = Priv::machine;
  Pmp pmp_;
  PmpRefusal pmp_refusal_;
  bool pmp_refused_ = false;       // the exception being raised is the PMP's
  bool last_trap_by_pmp_ = false;
  Triggers triggers_;
  // One flag per hot path, so that with no trigger armed and no PMP entry
  // binding this mode a fetch or access costs one predictable branch.
  bool fetch_checks_ = false;
  bool data_checks_ = false;

  uint64_t now_ = 0;
  uint64_t cycle_offset_ = 0;
  bool minstret_written_ = false;

  MemRequest request_{};
  unsigned request_rd_ = 0;

  Cost cost_ = Cost::alu;
  uint32_t last_pc_ = 0;
  // The entry the last step ran (in decoded_, or slow_): one store a step
  // instead of four fields copied out of it. An entry changes only when
  // this hart steps at a pc with its index, which sets last_ again.
  const Decoded* last_ = &kNone4;
  Decoded slow_;  // the entry of a step fetched parcel by parcel (no cache)
  std::vector<Decoded> decoded_;
};

struct Hart::PlainState {
  std::array<uint32_t, 32> x;
  uint32_t pc, npc, last_pc;
  const Decoded* last;
  Cost cost;
  uint64_t minstret, now;
};

inline Hart::PlainState Hart::plain_state() const {
  return {x_, pc_, npc_, last_pc_, last_, cost_, csr_.minstret, now_};
}

inline void Hart::restore(const PlainState& s) {
  x_ = s.x, pc_ = s.pc, npc_ = s.npc, last_pc_ = s.last_pc, last_ = s.last, cost_ = s.cost;
  csr_.minstret = s.minstret, now_ = s.now;
}

inline const Hart::Decoded* Hart::entry() const {
  const uint32_t offset = pc_ - code_.base;
  if (offset >= fast_fetch_end_) return nullptr;
  const Decoded& d = decoded_here();
  return d.raw == read_raw(offset) ? &d : nullptr;
}

// A plain instruction leaves pc aligned (plain_ready tested it before).
inline const Hart::Decoded* Hart::plain_entry() const {
  const Decoded* d = entry();
  return d && d->plain ? d : nullptr;
}

// step()'s fast path without what a plain instruction cannot need: the
// minstret write flag (it writes no CSR), the status (it retires).
inline void Hart::run_plain(const Decoded& d) {
  last_pc_ = pc_;
  last_ = &d;
  cost_ = d.cost;
  npc_ = pc_ + d.length;
  d.exec(*this, d.op);
  pc_ = npc_;
  ++csr_.minstret;
}

}  // namespace spinlab::isa

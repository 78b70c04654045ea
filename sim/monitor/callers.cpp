// "Called from": the call that led to a lock's acquire, spin, release or a
// wfi, from the return address register, or from the stack when the function
// has made a call of its own since it was entered.
#include "sim/monitor/code.h"
#include "sim/monitor/monitor.h"

#include "isa/decode.h"
#include "sim/out/insn_text.h"
#include "sim/load/elf.h"

namespace spinlab {

bool jumps_and_links(uint32_t insn) {
  const isa::InsnDesc* d = isa::decode(insn);
  return d && (d->format == isa::Format::J || d->format == isa::Format::jalr);
}

uint32_t executed_at(const ElfImage& elf, uint32_t addr, unsigned& length) {
  length = 0;
  for (const CodeSection& sec : elf.code_sections()) {
    if (addr < sec.addr || addr - sec.addr >= sec.data.size()) continue;
    const uint32_t bits = insn_at(sec, addr - sec.addr, length);
    return length == 2 ? isa::expand_compressed(static_cast<uint16_t>(bits)) : bits;
  }
  return 0;
}

uint32_t call_before(const ElfImage& elf, uint32_t ra) {
  if (!elf.compressed()) return ra - 4;
  unsigned length = 0;
  if (jumps_and_links(executed_at(elf, ra - 4, length)) && length == 4) return ra - 4;
  const uint32_t insn = executed_at(elf, ra - 2, length);
  if (length == 2 && jumps_and_links(insn) && isa::Insn{insn}.rd() != 0) return ra - 2;
  return ra - 4;
}

uint32_t Monitor::return_address(unsigned h) const { return ra_ ? ra_(h) : 0; }

uint32_t Monitor::caller_address(unsigned h, uint32_t pc) const {
  const uint32_t ra = return_address(h);
  if (!elf_ || !stack_) return ra;
  // Acquires, releases and waits come from a handful of places: the
  // function of each is kept, in a small direct-mapped table by pc.
  CallerFn& entry = caller_fn_[(pc >> 1) % caller_fn_.size()];
  if (entry.pc != pc) entry = {pc, elf_->containing(pc)};
  const Symbol* f = entry.fn;
  if (!f || !f->function) return ra;
  // ra out of the function names its caller (site() says so); ra inside
  // it is the return from a call the function made, and its own return
  // address is where the prologue put it.
  // The call ends at ra and starts 2 or 4 bytes before it: ra - 2 lies in
  // it either way (cheaper than decoding which, on every acquire and wait).
  if (ra < 2 || ra - 2 < f->addr || ra - 2 - f->addr >= f->size) return ra;
  const std::optional<int32_t> off = saved_ra_offset(*f);
  if (!off) return ra;
  const std::optional<uint32_t> saved = stack_(h, *off);
  return saved ? *saved : ra;
}

std::optional<int32_t> Monitor::saved_ra_offset(const Symbol& f) const {
  // Cached by the symbol's index: read on every acquire and wait.
  const size_t index = static_cast<size_t>(&f - elf_->symbols().data());
  if (saved_ra_.empty()) saved_ra_.resize(elf_->symbols().size());
  if (saved_ra_[index]) return *saved_ra_[index];
  // The prologue, as compilers write it: addi sp,sp,-N, then sw ra,M(sp)
  // (c.addi16sp, c.swsp), other saves between. A branch or a call before
  // the save, or sp moved after it, and the function is not one we read.
  std::optional<int32_t> found;
  constexpr unsigned kSp = 2, kRa = 1;
  constexpr uint32_t kPrologue = 16;  // instructions
  uint32_t at = f.addr;
  for (uint32_t n = 0; n < kPrologue && at - f.addr < f.size; ++n) {
    unsigned length = 0;
    const isa::Insn insn{executed_at(*elf_, at, length)};
    const isa::InsnDesc* d = length ? isa::decode(insn.bits) : nullptr;
    if (!d) break;
    if (d->format == isa::Format::S && insn.funct3() == 2 && insn.rs1() == kSp && insn.rs2() == kRa) {
      found = insn.imm_s();
      break;
    }
    const bool moves_sp = d->format == isa::Format::I && insn.rd() == kSp && insn.rs1() == kSp;
    const bool writes_other = (d->format == isa::Format::I || d->format == isa::Format::I_load ||
                               d->format == isa::Format::R || d->format == isa::Format::U) &&
                              insn.rd() == kRa;
    if ((!moves_sp && insn.rd() == kSp && d->format != isa::Format::S) || writes_other ||
        d->format == isa::Format::B || d->format == isa::Format::J || d->format == isa::Format::jalr)
      break;
    at += length;
  }
  saved_ra_[index] = found;
  return found;
}

}  // namespace spinlab

#include "sim/out/insn_trace.h"

#include <fmt/format.h>

#include "isa/decode.h"
#include "sim/out/insn_text.h"
#include "sim/load/elf.h"
#include "sim/out/words.h"
#include "sim/out/narrate.h"

namespace spinlab {

namespace {

// mcause in words: an interrupt as every view names it (sim/out/words.h), an
// exception as the privileged spec does (table 3.6).
std::string cause_name(uint32_t mcause) {
  if (mcause & isa::kInterruptFlag) return words::interrupt(mcause & ~isa::kInterruptFlag, 0);
  const char* text = isa::exception_name(mcause).words;
  return text ? fmt::format("exception: {}", text) : "exception";
}

// Whether the instruction writes rd.
bool writes_rd(isa::Format f) {
  switch (f) {
    case isa::Format::S:
    case isa::Format::B:
    case isa::Format::fence:
    case isa::Format::none: return false;
    default: return true;
  }
}

// "80000010 <main+0x8>"
std::string where(const ElfImage& elf, uint32_t pc) { return fmt::format("{:08x} <{}>", pc, elf.describe(pc)); }

// The instruction: "(00a50533) add a0,a0,a0", with a space for objdump's
// tab; a compressed one shows its 16-bit parcel: "(4501) c.li a0,0".
std::string insn_text(const ElfImage& elf, uint32_t bits, uint32_t pc) {
  std::string text = describe_insn(elf, bits, pc);
  size_t tab = text.find('\t');
  if (tab != std::string::npos) text[tab] = ' ';
  return isa::insn_length(bits) == 2 ? fmt::format("({:04x}) {}", bits, text) : fmt::format("({:08x}) {}", bits, text);
}

}  // namespace

std::string InsnTrace::line(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
                            const isa::MemResponse* resp) const {
  std::string head = fmt::format("cycle {} hart{} ", cycle, h.hartid());
  if (status == isa::StepStatus::interrupt || status == isa::StepStatus::exception) {
    const isa::Csrs& c = h.csrs();
    std::string cause = fmt::format("{} (mcause {:#x}", cause_name(c.mcause), c.mcause);
    if (status == isa::StepStatus::exception) cause += fmt::format(", mtval {:#x}", c.mtval);
    std::string at = where(elf_, c.mepc);
    // The instruction, when one was fetched: its bits, or an illegal one
    // (c.unimp's parcel is 0, which alone would read as "nothing fetched").
    const bool fetched = h.last_bits() || c.mcause == static_cast<uint32_t>(isa::Exception::illegal_instruction);
    if (status == isa::StepStatus::exception && fetched) at += " " + insn_text(elf_, h.last_bits(), h.last_pc());
    return fmt::format("{}-- {}) at {}; handler {}", head, cause, at, where(elf_, h.pc()));
  }
  std::string out = head + where(elf_, h.last_pc()) + " " + insn_text(elf_, h.last_bits(), h.last_pc());
  std::string effects;
  const isa::InsnDesc* d = h.last_desc();
  isa::Insn insn{h.last_insn()};  // for a compressed one, its expansion: the row that ran
  if (d && writes_rd(d->format) && insn.rd() != 0)
    effects += fmt::format("{}={:#010x}", isa::reg_name(insn.rd()), h.x(insn.rd()));
  if (mem && resp) {
    effects += fmt::format("{}mem[{:#010x}]", effects.empty() ? "" : " ", mem->addr);
    if (resp->wrote) {
      uint32_t value = mem->wdata;
      if (mem->op == isa::MemOp::amo) value = isa::amo_apply(mem->amo, resp->rdata, mem->wdata);
      if (mem->size < 4) value &= (1u << (8 * mem->size)) - 1;
      effects += fmt::format("={:#0{}x}", value, 2 + 2 * mem->size);
    }
  }
  if (effects.empty()) return out;
  // Effects start at one column where the instruction is short.
  size_t column = head.size() + 64;
  out.append(out.size() + 2 < column ? column - out.size() : 2, ' ');
  return out + effects;
}

void InsnTrace::step(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
                     const isa::MemResponse* resp) {
  if (cycle < last_cycle_) ++out_of_order_;
  last_cycle_ = cycle;
  if (filter_ && (!filter_->hart(h.hartid()) || !filter_->cycle(cycle))) return;
  std::string text = line(cycle, h, status, mem, resp);
  text += '\n';
  if (narrator_) narrator_->add(cycle, std::move(text));
  else std::fwrite(text.data(), 1, text.size(), out_);
}

}  // namespace spinlab

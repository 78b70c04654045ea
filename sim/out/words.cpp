#include "sim/out/words.h"

#include <fmt/format.h>

#include "isa/hart.h"

namespace spinlab::words {

namespace {

// The interrupts by code: every spelling of one is in its row. Privileged
// spec, 3.1.9 (mip and mie): MSIE is bit 3, MTIE bit 7, MEIE bit 11.
struct InterruptWords {
  isa::Interrupt code;
  const char* name;        // "timer interrupt"
  const char* short_name;  // "timer"
  const char* enable_bit;  // "MTIE"
};

constexpr InterruptWords kInterrupts[] = {
    {isa::Interrupt::software, "software interrupt", "software", "MSIE"},
    {isa::Interrupt::timer, "timer interrupt", "timer", "MTIE"},
    {isa::Interrupt::external, "external interrupt", "external", "MEIE"},
};

const InterruptWords* find(uint32_t code) {
  for (const InterruptWords& w : kInterrupts)
    if (static_cast<uint32_t>(w.code) == code) return &w;
  return nullptr;
}

}  // namespace

const char* interrupt(uint32_t code) {
  const InterruptWords* w = find(code);
  return w ? w->name : "interrupt";
}

std::string interrupt(uint32_t code, uint32_t source) {
  const InterruptWords* w = find(code);
  if (!w) return fmt::format("interrupt {}", code);
  // The PLIC's source is the external interrupt's number.
  if (w->code == isa::Interrupt::external && source) return fmt::format("{} {}", w->name, source);
  return w->name;
}

const char* interrupt_short(uint32_t code) {
  const InterruptWords* w = find(code);
  return w ? w->short_name : "interrupt";
}

const char* enable_bit(uint32_t code) {
  const InterruptWords* w = find(code);
  return w ? w->enable_bit : nullptr;
}

}  // namespace spinlab::words

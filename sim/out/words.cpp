#include "sim/out/words.h"

#include <fmt/format.h>

#include "isa/hart.h"

namespace spinlab::words {

const char* interrupt(uint32_t code) {
  switch (code) {
    case static_cast<uint32_t>(isa::Interrupt::software): return "software interrupt";
    case static_cast<uint32_t>(isa::Interrupt::timer): return "timer interrupt";
    case static_cast<uint32_t>(isa::Interrupt::external): return "external interrupt";
  }
  return "interrupt";
}

std::string interrupt(uint32_t code, uint32_t source) {
  switch (code) {
    case static_cast<uint32_t>(isa::Interrupt::software):
    case static_cast<uint32_t>(isa::Interrupt::timer): return interrupt(code);
    case static_cast<uint32_t>(isa::Interrupt::external):
      return source ? fmt::format("{} {}", interrupt(code), source) : interrupt(code);
  }
  return fmt::format("interrupt {}", code);
}

// Privileged spec, 3.1.9 (mip and mie): MSIE is bit 3, MTIE bit 7, MEIE bit 11.
const char* enable_bit(uint32_t code) {
  switch (code) {
    case static_cast<uint32_t>(isa::Interrupt::software): return "MSIE";
    case static_cast<uint32_t>(isa::Interrupt::timer): return "MTIE";
    case static_cast<uint32_t>(isa::Interrupt::external): return "MEIE";
  }
  return nullptr;
}

}  // namespace spinlab::words

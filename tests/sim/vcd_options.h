// The VCD writer tests' setup (vcd_test.cpp, vcd_order_test.cpp): a small
// machine's options and a hart's state at a pc.
#pragma once

#include <cstdint>
#include <string>

#include "models/hooks.h"
#include "sim/out/vcd.h"

namespace spinlab::test {

// Two harts, three PLIC lines, two traced words, mtime a tenth of the
// cycle, a lookahead of 40 cycles.
inline VcdOptions options(const std::string& path) {
  VcdOptions o;
  o.path = path;
  o.harts = 2;
  o.clock_hz = 100'000'000;
  o.plic_sources = 3;
  o.words = {"0x80001000", "tickslock"};
  o.mtime_at = [](uint64_t cycle) { return cycle / 10; };
  o.lookahead_cycles = 40;
  return o;
}

// options() with trace.window FROM..TO.
inline VcdOptions windowed(const std::string& path, uint64_t from, uint64_t to = ~uint64_t{0}) {
  VcdOptions o = options(path);
  o.window_from = from;
  o.window_to = to;
  return o;
}

inline models::HartTrace at_pc(uint32_t pc, uint64_t retired = 0) {
  models::HartTrace t;
  t.pc = pc;
  t.insn = 0x00000013;  // nop
  t.retired = retired;
  return t;
}

}  // namespace spinlab::test

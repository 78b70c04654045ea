// The monitor reads the program's code to name places: the call a return
// address returns from, the instruction at a pc, where a function saves ra
// (sim/monitor/callers.cpp). Internal to sim/monitor/.
#pragma once

#include <cstdint>

namespace spinlab {

class ElfImage;

// A jal or jalr: a jump that links (a 32-bit instruction, or the one a
// compressed instruction expands to).
bool jumps_and_links(uint32_t insn);

// The instruction at `addr` as it executes (a compressed parcel expanded),
// and the length of its encoding; length 0 when no code section holds it.
uint32_t executed_at(const ElfImage& elf, uint32_t addr, unsigned& length);

// The call that returns to `ra`: a 4-byte jal/jalr at ra - 4, or, in a
// program built with C, a c.jal/c.jalr at ra - 2 (unprivileged 16.4; c.j and
// c.jr link nothing). Both can be read at ra - 2 only when ra - 4 does not
// hold a 32-bit jal/jalr.
uint32_t call_before(const ElfImage& elf, uint32_t ra);

}  // namespace spinlab

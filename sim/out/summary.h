// The end-of-run summary on the terminal (docs/terminal.md).
#pragma once

#include <cstdio>
#include <string>

#include "models/machine.h"
#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/out/run_result.h"

namespace spinlab {

// A hart's exceptions for the summary: "12 exceptions, first: illegal
// instruction at foo+0x8 (foo.c:12), mtval 0x00000000, cycle 1234"; empty
// when it took none.
std::string format_exceptions(const ElfImage& elf, const models::ExceptionStats& e);

// The end-of-run summary: why it stopped, cycles, exit code, per-hart counts
// and, for a hart that took exceptions (other than ecall), the first of them.
void print_summary(std::FILE* out, const Config& cfg, const ElfImage& elf, const RunOutcome& outcome);

}  // namespace spinlab

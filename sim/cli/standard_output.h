// Standard output, checked: what a command prints as its output (the
// firmware's console, the summary, a disassembly, a table) goes through
// standard_output(), a FILE* on fd 1 whose writes never fail to the writer.
// A failed write is kept instead, and told once, after the command has
// written every other output (docs/exit-codes.md): so a full disk under
// stdout costs no report, and fmt::print never throws half-way through a
// summary.
#pragma once

#include <cstdio>

namespace spinlab {

// The command's standard output.
std::FILE* standard_output();

// After the command: flushes standard_output(), and says how its writes
// went: 0 when every one went through; else 66 (ExitCode::no_input, as any
// output that cannot be written) after one line on stderr, `spinlab:
// standard output: REASON`.
int standard_output_status();

}  // namespace spinlab

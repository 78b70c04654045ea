// Standard output, checked: what a command prints as its output (the
// firmware's console, the summary, a disassembly, a table) goes through
// standard_output(), a FILE* on fd 1 whose writes never fail to the writer.
// A failed write is kept instead, and told once, after the command has
// written every other output (docs/exit-codes.md): so a full disk under
// stdout costs no report, and fmt::print never throws half-way through a
// summary. A reader that went away (a closed pipe: `spinlab run ... | head`)
// also asks the run to stop at its next cycle check, as SIGTERM does
// (sim/cli/signals.h): the report, the timeline and the VCD are completed.
#pragma once

#include <cstdio>

namespace spinlab {

// The command's standard output. The first call ignores SIGPIPE, so that a
// closed pipe is an error a write sees (EPIPE), not the end of the process.
std::FILE* standard_output();

// After the command: flushes standard_output(), and says how its writes
// went: 0 when every one went through; 141 (128 + SIGPIPE, as a shell
// shows a process a closed pipe ended) when the reader went away, with no
// line; else 66 (ExitCode::no_input, as any output that cannot be written)
// after one line on stderr, `spinlab: standard output: REASON`.
int standard_output_status();

}  // namespace spinlab

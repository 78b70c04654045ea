// `spinlab new DIR`: a first exercise to build against the firmware kit
// (docs/kit.md).
#pragma once

#include <cstdio>
#include <string>

namespace spinlab {

// Writes the starter exercise (the kit's starter/) into `dir`, which must be
// new or empty: spinlock.c, a Makefile that builds NAME.elf against the kit
// this spinlab uses, and NAME.toml running it on two harts, NAME being dir's
// last component. The Makefile's `make run` runs `spinlab` (its path). Says
// what it wrote and what to do next on `out`. Throws spinlab::Error.
void write_starter(const std::string& dir, const std::string& spinlab, std::FILE* out);

}  // namespace spinlab

// Where spinlab finds its data: the bundled firmware, the configs, the
// lessons and the firmware kit (docs/kit.md). firmware_dir(), config_dir()
// and docs_dir() are declared in sim/load/config.h, beside their users; all four
// are defined in sim/cli/paths.cpp, the one place that decides.
//
// Each directory is, in order: its SPINLAB_*_DIR environment variable when
// set; else, for an installed spinlab, the directory under the data
// directory beside the executable (BIN/../share/spinlab, wherever the
// prefix was moved); else the build tree the binary was built in.
#pragma once

#include <string>

namespace spinlab {

// SPINLAB_KIT_DIR: the firmware kit (spinlab.mk, include/, lib/, kernel.ld,
// starter/) that `spinlab new`'s Makefile builds against.
std::string kit_dir();

}  // namespace spinlab

// `spinlab disasm`: a program's code, one instruction a line, with the
// symbols as labels, in objdump's layout.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/out/insn_text.h"  // describe_insn, jump_target, insn_at: the listing's text

namespace spinlab {

// Throws spinlab::Error for a file that is not a usable RV32 ELF.
void disassemble_elf(const std::string& path, std::FILE* out);

}  // namespace spinlab

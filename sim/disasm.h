// `spinlab disasm`: a program's code, one instruction a line, with the
// symbols as labels, in objdump's layout.
#pragma once

#include <cstdio>
#include <string>

namespace spinlab {

// Throws spinlab::Error for a file that is not a usable RV32 ELF.
void disassemble_elf(const std::string& path, std::FILE* out);

}  // namespace spinlab

# Cross toolchain for the firmware the harts run: Debian's riscv64-unknown-elf-gcc
# (gcc 12) generating RV32IMA + Zicsr machine-mode code, bare metal (RV32IMAC
# for the programs that ask for it).
# Used by the firmware sub-build (firmware/subbuild.cmake); not by the host.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(RISCV_PREFIX riscv64-unknown-elf- CACHE STRING "Prefix of the RISC-V cross tools")
set(CMAKE_C_COMPILER ${RISCV_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${RISCV_PREFIX}gcc)
set(CMAKE_OBJDUMP ${RISCV_PREFIX}objdump CACHE FILEPATH "")

# There is no C library to link a test executable against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# gcc 12 defaults to ISA spec 20191213, where the CSR instructions and fence.i
# are the separate Zicsr and Zifencei extensions: without them in -march,
# csrr/csrw do not assemble.
set(RISCV_ARCH_FLAGS "-march=rv32ima_zicsr_zifencei -mabi=ilp32")
set(CMAKE_C_FLAGS_INIT "${RISCV_ARCH_FLAGS} -ffreestanding")
set(CMAKE_ASM_FLAGS_INIT "${RISCV_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -Wl,--no-warn-rwx-segments")

# libgcc (64-bit division and friends). There is no rv32ima multilib, and any
# _zicsr suffix in -march makes gcc fall back to the rv64 libgcc, which does
# not link with ilp32 objects. The rv32ia/ilp32 one is ABI-compatible with our
# code (it just does not use the M instructions), so name it explicitly.
# riscv_libgcc(VAR MARCH): VAR <- the ilp32 libgcc gcc picks for -march=MARCH.
function(riscv_libgcc var march)
  execute_process(
    COMMAND ${CMAKE_C_COMPILER} -march=${march} -mabi=ilp32 -print-libgcc-file-name
    OUTPUT_VARIABLE path
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0 OR NOT EXISTS "${path}")
    message(FATAL_ERROR "cannot find the ${march}/ilp32 libgcc of ${CMAKE_C_COMPILER}")
  endif()
  set(${var} ${path} PARENT_SCOPE)
endfunction()
riscv_libgcc(RISCV_LIBGCC rv32ia)

# A program may be built with the C extension instead (firmware_program's
# ARCH rv32imac): its objects are compiled with RISCV_ARCH_FLAGS_rv32imac,
# which come after RISCV_ARCH_FLAGS on the command line and so win, and it
# links the rv32imac/ilp32 libgcc, a multilib Debian ships.
set(RISCV_ARCH_FLAGS_rv32imac "-march=rv32imac_zicsr_zifencei")
riscv_libgcc(RISCV_LIBGCC_rv32imac rv32imac)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

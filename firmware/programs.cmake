# Every firmware program, one line each; sources are relative to firmware/.
# Read by the firmware build (which builds NAME.elf from the sources and the
# library) and by the host build (which learns the names, and what the
# end-to-end tests in tests/e2e expect of each test program).
#
#   firmware_program(NAME SOURCE...)
#   firmware_test(NAME SOURCE... [EXIT_CODE n] [HARTS n] [SPINLAB_ONLY]
#                 [SPINLAB_ARGS arg...])
#       A self-checking program, built with the test harness (tests/check.h).
#       tests/e2e runs it on spinlab (on HARTS harts, default 1, and with
#       SPINLAB_ARGS) and expects EXIT_CODE (default 0); unless SPINLAB_ONLY
#       it also runs it on QEMU, which must print the same and exit the same.

firmware_program(hello programs/hello.c)

firmware_test(isa_rv32i tests/isa_rv32i.c)
firmware_test(isa_m tests/isa_m.c)
firmware_test(isa_a tests/isa_a.c)
firmware_test(csr tests/csr.c)
firmware_test(traps tests/traps.c)
firmware_test(counters tests/counters.c)
firmware_test(misaligned tests/misaligned.c SPINLAB_ARGS --set machine.misaligned=emulate)
firmware_test(misaligned_trap tests/misaligned_trap.c SPINLAB_ONLY)
firmware_test(spec_strict tests/spec_strict.c SPINLAB_ONLY)
firmware_test(printf tests/printf.c)
firmware_test(harts tests/harts.c HARTS 4)
firmware_test(exit_code tests/exit_code.c EXIT_CODE 7)
firmware_test(tohost tests/tohost.c SPINLAB_ONLY)
firmware_test(tohost_exit3 tests/tohost_exit3.c SPINLAB_ONLY EXIT_CODE 3)

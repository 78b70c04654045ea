# A valid RISC-V executable, but 64-bit: spinlab must refuse it by name.
  .globl _start
_start:
  j _start

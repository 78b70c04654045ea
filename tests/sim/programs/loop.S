# The smallest program: used to build an RV64 ELF, which spinlab refuses.
  .globl _start
_start:
  j _start

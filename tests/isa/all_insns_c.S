# Every 16-bit parcel, for the disassembler test of the C extension: the
# test runs objdump -d -M no-aliases on the object built from this file and
# checks isa::disassemble() against every line (objdump names the compressed
# forms and prints ".2byte" for the rest, floating point included).
# Assembled with -march=rv32imac_zicsr_zifencei -mabi=ilp32.

  .text
  .option rvc
  .set parcel, 0
  .rept 0x10000
  .if (parcel & 3) != 3
  .insn 2, parcel
  .endif
  .set parcel, parcel + 1
  .endr

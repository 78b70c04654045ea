#!/bin/bash
# Runs a firmware ELF on QEMU's virt machine, made as much like spinlab's
# machine as QEMU 7.2 allows. The console goes to stdout; the exit code is
# the firmware's (through the test finisher), 124 on a timeout. With
# --machine spike, on QEMU's spike machine instead: RAM and HTIF only, the
# console and the exit through tohost (docs/htif.md).
#
#   run_qemu.sh [--harts N] [--machine virt|spike] QEMU ELF
set -u

harts=1
machine=virt
while [[ ${1-} == --harts || ${1-} == --machine ]]; do
  if [[ $1 == --harts ]]; then harts=$2; else machine=$2; fi
  shift 2
done
if (( $# != 2 )); then
  echo "usage: run_qemu.sh [--harts N] [--machine virt|spike] QEMU ELF" >&2
  exit 2
fi
qemu=$1
elf=$2

# The hart: RV32IMA + Zicsr + Zifencei, machine and user mode with PMP and
# debug triggers (no S, H or MMU, whose CSRs would exist), nothing spinlab
# lacks (F, D, B, Zihintpause, Sstc), ID CSRs zero. Then misa reads
# 0x40101101 on both (0x40101105 with C). The C extension only for a program
# built with it: the ELF header's e_flags (offset 36 in ELF32) has
# EF_RISCV_RVC (bit 0) set. spinlab's machine.isa does the same job
# (docs/config.md).
c=false
flags=$(od -An -tu4 -j36 -N4 "$elf" | tr -d ' ')
if [[ -n $flags ]] && (( flags & 1 )); then
  c=true
fi

cpu=rv32,c=$c,f=false,d=false,v=false,h=false,s=false,u=true
cpu+=,zba=false,zbb=false,zbc=false,Zihintpause=false,sstc=false
cpu+=,mmu=false,pmp=true,debug=true,marchid=0,mimpid=0

# -icount shift=0: minstret counts instructions (else QEMU reads it from the
# host's clock). -display/-serial/-monitor: only the UART on stdout, no
# monitor, no terminal handling.
exec timeout 60 "$qemu" -machine "$machine" -bios none -cpu "$cpu" -smp "$harts" \
  -icount shift=0 -display none -serial stdio -monitor none \
  -kernel "$elf" </dev/null

// Executing one instruction on chosen operands, in inline assembly so that
// the compiler can neither fold nor replace it.

#ifndef INSN_H
#define INSN_H

#include "types.h"

// rd = rs1 op rs2
#define RR(op, a, b) ({ uint32 _rd; \
  asm volatile(op " %0, %1, %2" : "=r"(_rd) : "r"((uint32)(a)), "r"((uint32)(b))); _rd; })

// rd = rs1 op imm
#define RI(op, a, imm) ({ uint32 _rd; \
  asm volatile(op " %0, %1, %2" : "=r"(_rd) : "r"((uint32)(a)), "i"(imm)); _rd; })

// 1 if the branch `op rs1, rs2` is taken, else 0.
#define BRANCH(op, a, b) ({ uint32 _taken; \
  asm volatile("li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:" \
               : "=&r"(_taken) : "r"((uint32)(a)), "r"((uint32)(b))); _taken; })

// rd = load op offset(addr)
#define LOAD(op, addr, off) ({ uint32 _rd; \
  asm volatile(op " %0, %2(%1)" : "=r"(_rd) : "r"(addr), "i"(off) : "memory"); _rd; })

// store op value, offset(addr)
#define STORE(op, value, addr, off) \
  asm volatile(op " %0, %2(%1)" : : "r"((uint32)(value)), "r"(addr), "i"(off) : "memory")

// rd = amo op rs2, (addr): the old value; the new one is in memory.
#define AMO(op, addr, b) ({ uint32 _rd; \
  asm volatile(op " %0, %2, (%1)" : "=r"(_rd) : "r"(addr), "r"((uint32)(b)) : "memory"); _rd; })

#endif

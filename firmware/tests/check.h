// The harness of the self-checking test programs.
//
// A test program runs groups of checks. check(got, want) compares a result
// with the value the spec requires; the first mismatch prints where it is
// and ends the run with the check's number (1, 2, ... in the order the checks
// run) as exit code. Every result also goes into its group's signature, a
// hash printed when the group ends ("alu: 31 checks, signature 8f3a0c11"), so
// that the same ELF's output on spinlab and on QEMU can be compared line by
// line. Print no cycle counts or times: they differ between the two.

#ifndef CHECK_H
#define CHECK_H

#include "types.h"
#include "riscv.h"

void group(const char *name);   // starts a group (and installs trap_vector)
void group_end(void);           // prints the group's line
int all_passed(void);           // prints the total; main returns its 0

#define check(got, want) check_at(__FILE_NAME__, __LINE__, (got), (want))
void check_at(const char *file, int line, uint32 got, uint32 want);
void note(uint32 value);        // into the signature, unchecked

// Catching traps. catch_trap() installs trap_vector (direct mode) and arms it
// for one trap: the vector records the trap, disarms, and returns to the
// instruction after the one that trapped (mepc + 4, or mepc + 2 after a
// compressed one in a program built with C) -- or, for a fetch access
// fault, where mepc is the bad
// target, to ra (so jump there with jalr ra). A trap while disarmed is
// reported and ends the run.
struct caught {
  uint32 armed;     // set by catch_trap(), cleared by the trap
  uint32 mcause;
  uint32 mepc;      // as the trap left it (before the + 4)
  uint32 mtval;
  uint32 mstatus;   // inside the handler
};
extern volatile struct caught caught;
extern char trap_vector[];

void catch_trap(void);
// Checks that the armed trap happened, with this cause at this pc.
#define check_trap(cause, epc) check_trap_at(__FILE_NAME__, __LINE__, (cause), (epc))
void check_trap_at(const char *file, int line, uint32 cause, uint32 epc);

// Runs `insn` (one instruction, which may use t0 and t1) and checks that it
// trapped with `cause` and mtval = `tval`, at its own address.
#define CHECK_TRAPS(insn, cause, tval) do {                            \
    uint32 _pc;                                                          \
    catch_trap();                                                        \
    asm volatile("auipc %0, 0\n\t" insn : "=r"(_pc) : : "t0", "t1", "memory"); \
    check_trap((cause), _pc + 4);                                        \
    check(caught.mtval, (tval));                                         \
  } while (0)

// An illegal instruction: mtval holds the instruction's bits.
#define CHECK_ILLEGAL(insn, bits) CHECK_TRAPS(insn, CAUSE_ILLEGAL_INSN, bits)

// Runs `insn` (which may use t0 and t1) and checks that it did not trap.
#define CHECK_NO_TRAP(insn) do {                                       \
    catch_trap();                                                        \
    asm volatile(insn : : : "t0", "t1", "memory");                       \
    check(caught.armed, 1);                                              \
    caught.armed = 0;                                                    \
  } while (0)

#endif

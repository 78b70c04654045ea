// faults: a firmware that takes exceptions, for the summary's and the
// report's exception counts (tests/cli/exceptions.sh). Its handler steps
// over the faulting instruction, as a handler that "recovers" by ignoring
// faults does: first a load from an address with no device (a load access
// fault), then FAULT_LOOPS illegal instructions in a loop, then an ecall
// (not counted: a request, not a fault), then it exits 0.

#include "defs.h"
#include "riscv.h"

#define FAULT_LOOPS 10

void skip_fault(void) __attribute__((interrupt("machine")));
void skip_fault(void)
{
  w_mepc(r_mepc() + 4);  // no compressed instructions: every one is 4 bytes
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  w_mtvec((uint32)skip_fault | MTVEC_DIRECT);
  volatile uint32 *volatile nothing = (volatile uint32 *)0x10;  // no device there
  uint32 v = *nothing;                                 // the first fault
  for (int i = 0; i < FAULT_LOOPS; ++i)
    asm volatile(".word 0");                           // illegal instruction
  asm volatile("ecall");
  printf("faults: survived, read %d\n", v);
  return 0;
}

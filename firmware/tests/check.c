// The test harness: checks, signatures, reporting traps (see check.h).

#include "defs.h"
#include "riscv.h"
#include "check.h"

// Exit codes are 8 bits; 255 is panic's.
#define MAX_CHECK_EXIT 254

volatile struct caught caught;

static const char *group_name;
static uint32 group_checks;
static uint32 signature;
static uint32 checks;       // in the whole program

void group(const char *name)
{
  group_name = name;
  group_checks = 0;
  signature = 0;
  caught.armed = 0;
  w_mtvec((uint32)trap_vector | MTVEC_DIRECT);
}

void group_end(void)
{
  printf("%s: %d checks, signature %08x\n", group_name, group_checks, signature);
}

int all_passed(void)
{
  printf("PASS: %d checks\n", checks);
  return 0;
}

// Rotate, xor, add: order-sensitive, and no multiply (the M extension is
// under test too).
void note(uint32 value)
{
  signature = ((signature << 5) | (signature >> 27)) ^ value;
  signature += 0x9e3779b9;
}

static int fail_code(void)
{
  return checks < MAX_CHECK_EXIT ? checks : MAX_CHECK_EXIT;
}

void check_at(const char *file, int line, uint32 got, uint32 want)
{
  checks++;
  group_checks++;
  note(got);
  if (got != want) {
    printf("FAIL check %d (%s:%d, %s): got %08x, want %08x\n",
           checks, file, line, group_name, got, want);
    exit(fail_code());
  }
}

void check_trap_at(const char *file, int line, uint32 cause, uint32 epc)
{
  check_at(file, line, caught.armed, 0);   // 1: no trap happened
  check_at(file, line, caught.mcause, cause);
  check_at(file, line, caught.mepc, epc);
}

void catch_trap(void)
{
  w_mtvec((uint32)trap_vector | MTVEC_DIRECT);
  caught.mcause = caught.mepc = caught.mtval = caught.mstatus = ~0u;
  caught.armed = 1;
}

// Called by trap_vector (on the trapping code's stack) for a trap nobody
// armed it for. The exit code is the number the next check would have had.
void trap_unexpected(uint32 mcause, uint32 mepc, uint32 mtval)
{
  checks++;
  printf("FAIL check %d (%s): unexpected trap, mcause %08x mepc %08x mtval %08x\n",
         checks, group_name, mcause, mepc, mtval);
  exit(fail_code());
}

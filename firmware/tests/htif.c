// htif: HTIF as Spike offers it, used the way riscv-tests' benchmarks do
// (benchmarks/common/syscalls.c): printf through the syscall proxy's
// SYS_write, putchar through the console device, a wait on fromhost after
// every command, and the end through SYS_exit with the number of the first
// failed check (0: all passed). It touches no device but HTIF, so it can also
// run on QEMU's spike machine (tests/e2e; docs/htif.md says what QEMU lacks).

#include "defs.h"

#define SYS_write  64
#define SYS_exit   93
#define SYS_getpid 172  // not offered: -ENOSYS

#define EBADF  9
#define EFAULT 14
#define ENOSYS 38


static int checks;

// The proxy, as syscalls.c has it: the call in magic_mem, its address in
// tohost, then wait for the host's answer in fromhost and clear it.
static int64 syscall(uint64 which, uint64 arg0, uint64 arg1, uint64 arg2)
{
  volatile uint64 magic_mem[8] __attribute__((aligned(64)));
  magic_mem[0] = which;
  magic_mem[1] = arg0;
  magic_mem[2] = arg1;
  magic_mem[3] = arg2;
  __sync_synchronize();

  tohost = (uint32)magic_mem;  // a 64-bit store: gcc writes the low half first
  while (fromhost == 0)
    ;
  fromhost = 0;

  __sync_synchronize();
  return (int64)magic_mem[0];
}

static void __attribute__((noreturn)) sys_exit(int code)
{
  syscall(SYS_exit, code, 0, 0);
  for (;;)
    ;
}

static int64 write_text(int fd, const char *s)
{
  return syscall(SYS_write, fd, (uint32)s, strlen(s));
}

// Formats with the library's snprintf and prints through SYS_write.
static char line[128];
#define hprintf(...) do { snprintf(line, sizeof(line), __VA_ARGS__); write_text(1, line); } while (0)

static void check_at(int lineno, int64 got, int64 want)
{
  checks++;
  if (got == want)
    return;
  hprintf("FAIL check %d (htif.c:%d): got %d, want %d\n", checks, lineno, (int)got, (int)want);
  sys_exit(checks);
}
#define check(got, want) check_at(__LINE__, (got), (want))

int main(int hartid)
{
  if (hartid != 0)
    park();

  const char *hello = "htif: hello through SYS_write\n";
  check(write_text(1, hello), strlen(hello));
  check(tohost, 0);  // the host cleared it
  check(fromhost, 0);  // we did
  check(write_text(2, "htif: fd 2 goes to the console too\n"), 35);

  // Errors come back negated, as from Linux.
  check(write_text(3, "nowhere"), -EBADF);
  check(syscall(SYS_write, 1, 0x10, 4), -EFAULT);  // no RAM at 0x10
  check(syscall(SYS_getpid, 0, 0, 0), -ENOSYS);

  // The console device, byte by byte (lib/htif.c waits for each answer).
  const char *text = "htif: putchar through device 1\n";
  for (const char *p = text; *p; p++)
    check(htif_putchar(*p), HTIF_CMD(1, 1, 0x100 | (uint8)*p));

  // getchar: there is no input, and no answer.
  tohost = HTIF_CMD(1, 0, 0);
  for (int i = 0; i < 100; i++)
    check(fromhost, 0);
  check(tohost, 0);

  // A magic_mem outside RAM: spinlab warns (on stderr) and answers anyway.
  tohost = 0x10;
  while (fromhost == 0)
    ;
  check(fromhost, 1);
  fromhost = 0;

  hprintf("htif: %d checks passed, %s\n", checks, "exiting through SYS_exit");
  sys_exit(0);
}

// 15-recursive (docs/lessons/15-recursive.md): a spinlock is not recursive.
// log_event() takes loglock to append to the log; when the log is full it
// calls flush_log() -- which takes loglock itself, on the same hart that
// already holds it. spin_lock's test-and-set finds the word set (by this
// very hart) and spins forever: the hart waits for itself.
//
// On spinlab the monitor stops the run (exit 126) with a recursive-deadlock
// finding naming both places. firmware.params.fixed = 1 calls
// flush_log_locked() instead, the variant for callers that already hold
// the lock (Linux names such functions __foo or foo_locked); the run ends
// with exit 0.
// spinlab only: on QEMU the run just hangs.

#include "defs.h"
#include "kernel.h"

#define LOG_SIZE  4       // entries before the log must be flushed
#define EVENTS    6       // log_event calls

FIRMWARE_PARAM(fixed, 0);

struct spinlock loglock = SPINLOCK_INIT("log");
static uint32 log[LOG_SIZE];
static int nlog;          // entries in log[]; under loglock
static int flushed;       // entries written out; under loglock

// Writes the log out. The caller must hold loglock.
static void flush_log_locked(void)
{
  flushed += nlog;
  nlog = 0;
}

// Writes the log out; takes loglock itself, for callers that do not hold it.
__attribute__((noinline)) static void flush_log(void)
{
  spin_lock(&loglock);
  flush_log_locked();
  spin_unlock(&loglock);
}

__attribute__((noinline)) static void log_event(uint32 what)
{
  spin_lock(&loglock);
  if (nlog == LOG_SIZE) {
    if (fixed)
      flush_log_locked();
    else
      flush_log();          // BUG: takes loglock again, which this hart holds
  }
  log[nlog++] = what;
  spin_unlock(&loglock);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  printf("recursive: log_event flushes with %s\n", fixed ? "flush_log_locked" : "flush_log");
  for (int i = 0; i < EVENTS; i++)
    log_event(i);
  printf("recursive: %d events logged, %d flushed, %d in the log\n", EVENTS, flushed, nlog);
  return 0;
}

// 16-abba (docs/lessons/16-abba.md): two locks taken in opposite orders.
// Hart 0 links files: dirlock, then inodelock. Hart 1 truncates them:
// inodelock, then dirlock. When both hold their first lock at once, each
// spins on the one the other holds: a deadlock across CPUs.
//
// On spinlab the monitor first warns of the lock-order inversion (lockdep's
// "possible circular locking dependency detected": the second hart's
// attempt closes the cycle A -> B -> A), then finds the deadlock and stops
// the run (exit 126).
//
// firmware.params.stagger = N makes hart 1 wait N cycles before it starts
// (both start when hart 0 has printed its first line): with N = 20000 hart 0 is done first, nothing deadlocks (exit 0) -- and the
// monitor still warns of the inversion, because the orders are there
// whatever the timing. firmware.params.fixed = 1 makes hart 1 take the locks
// in hart 0's order: no warning, no deadlock.
// spinlab only: on QEMU the deadlocking run just hangs.

#include "defs.h"
#include "../lib/clint.h"
#include "kernel.h"

#define ROUNDS  3         // operations per hart
#define WORK    300       // cycles of work under the locks

FIRMWARE_PARAM(stagger, 0);
FIRMWARE_PARAM(fixed, 0);

struct spinlock dirlock = SPINLOCK_INIT("dir");
struct spinlock inodelock = SPINLOCK_INIT("inode");
static int entries;       // directory entries; under dirlock
static int nlink;         // the file's links; under inodelock
static int size;          // the file's size; under inodelock
static int listed;        // the directory's entries when last truncated; under dirlock
static volatile uint32 go, finished;

// Hart 0: a new directory entry for the file, whose link count goes up.
__attribute__((noinline)) static void link_file(void)
{
  spin_lock(&dirlock);
  busy_wait(WORK);        // find a free slot in the directory
  spin_lock(&inodelock);
  entries++;
  nlink++;
  spin_unlock(&inodelock);
  spin_unlock(&dirlock);
}

// Hart 1: the file shrinks to 0; its directory entry's cached size too.
__attribute__((noinline)) static void truncate_file(void)
{
  if (fixed) {
    spin_lock(&dirlock);  // the global order: dirlock before inodelock
    spin_lock(&inodelock);
  } else {
    spin_lock(&inodelock);
    busy_wait(WORK);      // free the file's blocks
    spin_lock(&dirlock);  // BUG: the other order
  }
  size = 0;
  listed = entries;
  spin_unlock(&dirlock);
  spin_unlock(&inodelock);
}

int main(int hartid)
{
  if (hartid == 1) {
    while (!go)           // both start together (hart 0 prints first)
      ;
    busy_wait(stagger);
    for (int i = 0; i < ROUNDS; i++)
      truncate_file();
    count_and_wake(&finished, 0);
    park();
  }
  if (hartid != 0)
    park();
  printf("abba: hart 0 takes dirlock then inodelock; hart 1 %s (after %d cycles)\n",
         fixed ? "the same" : "inodelock then dirlock", stagger);
  go = 1;
  for (int i = 0; i < ROUNDS; i++)
    link_file();
  ipi_wait(&finished, 1);
  printf("abba: both harts did %d rounds (%d links, size %d, %d listed): no deadlock this time\n", ROUNDS, nlink,
         size, listed);
  return 0;
}

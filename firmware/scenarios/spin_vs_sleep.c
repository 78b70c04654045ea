// 18-spin-vs-sleep (docs/lessons/18-spin-vs-sleep.md): when is it cheaper to
// spin for a lock than to sleep on it? Two harts, and on each a `locker`
// thread and a `worker` thread. The lockers take one lock in turns, `rounds`
// times each, and hold it for `cs_cycles`; the workers have `worker_cycles`
// of work each that needs no lock. The run ends when all four are done, so
// the run's cycles measure the workload: fewer is better.
//
// use_mutex = 0: the lock is a spin lock. A locker that finds it taken spins
// (preemption off) until the other hart's locker lets go: it wastes the rest
// of the other's critical section, and its worker cannot run meanwhile.
// use_mutex = 1: the kernel's mutex. A locker that finds it taken sleeps: its
// hart switches to the worker, and back when the unlock wakes it (an IPI from
// the other hart) -- two context switches instead of the spin.
//
// Sleeping wins when the critical section is longer than the two switches
// (and the wakeup) it costs; spinning wins when it is shorter. switch_cost
// (the kernel's) makes every switch dearer, as a real machine's caches do;
// the program measures what a switch costs first, with two threads yielding
// to each other, and prints it.
//
//   spinlab sweep spin-vs-sleep --param firmware.params.cs_cycles=0..3000:100
//       --param firmware.params.use_mutex=0..1 --plot spin-vs-sleep.svg
// (one command line)

#include "defs.h"
#include "riscv.h"
#include "kernel.h"
#include "../lib/clint.h"

FIRMWARE_PARAM(use_mutex, 0);
FIRMWARE_PARAM(cs_cycles, 500);
FIRMWARE_PARAM(rounds, 20);
FIRMWARE_PARAM(worker_cycles, 300000);

#define PINGPONG 16   // yields each of the two measuring threads makes

static struct spinlock lk = SPINLOCK_INIT("lk");
static struct mutex mtx = MUTEX_INIT("mtx");
static uint32 work_per_1000;       // cycles of 1000 rounds of work(), measured
static uint32 pingpong_cycles;     // 2 * PINGPONG switches
static volatile uint32 go, done;   // hart 1 starts; hart 1 has finished
static uint32 hart1_up;            // hart 1 has come this far: see main()

// Computing that touches no memory and, unlike busy_wait, counts what it
// does, not the time that passes: a worker switched out for a while still
// has all its work left when it comes back.
static void work(uint32 n)
{
  for (uint32 i = 0; i < n; i++)
    asm volatile("");
}

static void locker(void *arg)
{
  (void)arg;
  for (uint32 i = 0; i < rounds; i++) {
    if (use_mutex) {
      mutex_lock(&mtx);
      busy_wait(cs_cycles);   // never switched out here: see the lesson
      mutex_unlock(&mtx);
    } else {
      spin_lock(&lk);
      busy_wait(cs_cycles);
      spin_unlock(&lk);
    }
  }
}

static void worker(void *arg)
{
  (void)arg;
  work(worker_cycles / work_per_1000 * 1000);   // to within 1000 rounds
}

// Two threads yield to each other: every yield is one context switch, as a
// thread sees it -- from its call of yield() to the other thread's return
// from its own.
static void ping(void *arg)
{
  (void)arg;
  yield();   // let pong start, so every timed yield lands in a running thread
  uint32 start = r_cycle();
  for (int i = 0; i < PINGPONG; i++)
    yield();
  pingpong_cycles = r_cycle() - start;
}

static void pong(void *arg)
{
  (void)arg;
  for (int i = 0; i < PINGPONG + 1; i++)
    yield();
}

static void hart1(void)
{
  __atomic_store_n(&hart1_up, 1, __ATOMIC_RELEASE);
  ipi_wait(&go, 1);
  trap_init();
  sched_start();
  count_and_wake(&done, 0);
  park();
}

int main(int hartid)
{
  if (hartid == 1)
    hart1();
  if (hartid != 0)
    park();
  // clint_harts() sets and reads back hart 1's msip, which hart 1 clears in
  // ipi_wait: with the bus busy (16 harts and more booting) the clear can
  // land between the write and the read, and the probe miss hart 1. Hart 1
  // says it is up before it waits, so a probe it has raced has a witness.
  if (clint_harts() < 2 && !__atomic_load_n(&hart1_up, __ATOMIC_ACQUIRE)) {
    printf("spin-vs-sleep: needs two harts (machine.harts = 2)\n");
    return 1;
  }
  trap_init();

  uint32 t = r_cycle();
  work(1000);
  work_per_1000 = r_cycle() - t;

  // Measure a switch on hart 0 alone, hart 1 still waiting.
  kthread_create(ping, 0, 0, "ping");
  kthread_create(pong, 0, 0, "pong");
  sched_start();
  uint32 sw = pingpong_cycles / (2 * PINGPONG);
  printf("spin-vs-sleep: a context switch costs %d cycles (switch_cost = %d of them)\n", sw, switch_cost);

  for (int h = 0; h < 2; h++) {
    kthread_create(locker, 0, h, "locker");
    kthread_create(worker, 0, h, "worker");
  }
  struct cpu *c0 = getcpu(0), *c1 = getcpu(1);
  uint32 switches0 = c0->switches[PREEMPT_IRQ] + c0->switches[SCHED_CALL];
  uint32 start = r_cycle();
  count_and_wake(&go, 1);
  sched_start();
  ipi_wait(&done, 1);
  uint32 took = r_cycle() - start;

  uint32 switches = c0->switches[PREEMPT_IRQ] + c0->switches[SCHED_CALL] - switches0 + c1->switches[PREEMPT_IRQ] +
                    c1->switches[SCHED_CALL];
  printf("spin-vs-sleep: %s, critical section %d cycles (%d.%d switches), %d rounds per hart\n",
         use_mutex ? "mutex" : "spin lock", cs_cycles, cs_cycles / sw, cs_cycles * 10 / sw % 10, rounds);
  printf("spin-vs-sleep: the workload took %d cycles: %d failed attempts, %d context switches\n", took,
         c0->attempts + c1->attempts, switches);
  return 0;
}

// softirq: the teaching kernel's bottom halves (kernel/softirq.c) on two
// harts: when softirqs run (after the handler, with interrupts on, not
// under local_bh_disable), preempt_count in each context, a trap nested in
// a softirq, tasklets never running on two harts at once where a softirq
// does, and ksoftirqd taking over after MAX_SOFTIRQ_RESTART rounds.
// Spinlab only: the two-hart groups depend on how the harts interleave.

#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "kernel.h"

// lib/'s drivers (clint.h, intr.h; not on the tests' include path).
void clint_send_ipi(int hart);
void clint_clear_ipi(int hart);
void intr_set_handler(int irq, void (*handler)(void));
#define IRQ_SOFTWARE 3
#define IRQ_TIMER 7

// What the IPI handler and the softirq action saw, in the order they ran.
static char order[32];
static int norder;
static uint32 h_count, h_mie, h_depth, h_nested_count;
static uint32 s_count, s_mie, s_irq, s_serving;
static volatile uint32 nest_in_softirq;   // the action sends itself an IPI once
static uint32 h_sp, n_sp, s_sp;             // sp in the handler, the nested one, the action

static uint32 cur_sp(void)
{
  uint32 sp;

  asm volatile("mv %0, sp" : "=r"(sp));
  return sp;
}

// Is sp in this hart's interrupt stack?
static uint32 on_irq_stack(uint32 sp)
{
  return sp - (uint32)irq_stack[r_mhartid()] < IRQ_STACK_SIZE;
}

static void log_run(char c)
{
  order[norder++] = c;
  order[norder] = 0;
}

static void self_ipi(void)
{
  clint_send_ipi(r_mhartid());
}

// The IPI handler: acknowledges, records, raises the softirq.
static void ipi_handler(void)
{
  struct cpu *c = mycpu();

  clint_clear_ipi(r_mhartid());
  if (in_serving_softirq()) {         // the trap nested in the softirq
    h_nested_count = c->preempt_count;
    n_sp = cur_sp();
    log_run('n');
  } else {
    h_count = c->preempt_count;
    h_mie = intr_get();
    h_depth = c->irq_depth;
    h_sp = cur_sp();
    log_run('h');
  }
  raise_softirq(SCENARIO_SOFTIRQ);
}

static void action(void)
{
  s_count = mycpu()->preempt_count;
  s_mie = intr_get();
  s_irq = in_irq();
  s_serving = in_serving_softirq();
  s_sp = cur_sp();
  log_run('s');
  if (nest_in_softirq) {
    nest_in_softirq = 0;
    self_ipi();                       // taken here: interrupts are on
  }
}

static void setup(void)
{
  trap_init();                        // group() pointed mtvec at the harness's vector
  intr_set_handler(IRQ_SOFTWARE, ipi_handler);
  open_softirq(SCENARIO_SOFTIRQ, action);
  w_mie(r_mie() | MIE_MSIE);
  norder = 0;
  order[0] = 0;
}

// An interrupt taken with interrupts off until then: the handler, then the
// softirq at irq_exit.
static void take_ipi(void)
{
  self_ipi();
  intr_on();                          // taken here
  intr_off();
}

// ---- the softirq runs after the handler, interrupts on -------------------

static void after_handler(void)
{
  struct cpu *c = mycpu();

  group("after handler");
  setup();
  uint32 runs = c->softirq_runs[SCENARIO_SOFTIRQ];
  take_ipi();
  check(strcmp(order, "hs"), 0);
  check(h_count, HARDIRQ_OFFSET);
  check(h_mie, 0);
  check(h_depth, 1);
  check(s_count, SOFTIRQ_OFFSET);     // the hardirq count is back to 0
  check(s_mie, 1);
  check(s_irq, 0);
  check(s_serving, 1);
  check(c->softirq_runs[SCENARIO_SOFTIRQ], runs + 1);
  check(c->softirq_pending, 0);
  check(c->preempt_count, 0);
  check(c->irq_depth, 0);
  check(in_interrupt(), 0);
  // Both on hart 0's interrupt stack; the frame stayed on the boot stack.
  check(on_irq_stack(h_sp), 1);
  check(on_irq_stack(s_sp), 1);
  check(on_irq_stack(cur_sp()), 0);
  check(c->irq_stack_busy, 0);
  group_end();
}

// ---- a trap nested in the softirq -----------------------------------------

static void nested_trap(void)
{
  struct cpu *c = mycpu();

  group("nested in softirq");
  setup();
  uint32 runs = c->softirq_runs[SCENARIO_SOFTIRQ];
  uint32 nested = c->nested;
  nest_in_softirq = 1;
  take_ipi();
  // The nested handler raised it again; its irq_exit found SOFTIRQ_OFFSET
  // and left it to the outer __do_softirq's next round.
  check(strcmp(order, "hsns"), 0);
  check(h_nested_count, SOFTIRQ_OFFSET + HARDIRQ_OFFSET);
  check(c->nested, nested + 1);
  check(c->softirq_runs[SCENARIO_SOFTIRQ], runs + 2);
  check(c->preempt_count, 0);
  check(intr_get(), 0);               // the outer trap's own mstatus came back
  check(on_irq_stack(n_sp), 1);       // the nested trap stayed on it, below the softirq
  check(n_sp < s_sp, 1);
  group_end();
}

// ---- local_bh_disable defers it to local_bh_enable -------------------------

static struct spinlock bhlock = SPINLOCK_INIT("bhlock");

static void bh_disable(void)
{
  struct cpu *c = mycpu();

  group("bh disable");
  setup();
  uint32 runs = c->softirq_runs[SCENARIO_SOFTIRQ];
  local_bh_disable();
  check(c->preempt_count, SOFTIRQ_DISABLE_OFFSET);
  check(in_softirq(), 1);
  check(in_serving_softirq(), 0);
  check(in_interrupt(), 1);
  take_ipi();
  check(strcmp(order, "h"), 0);
  check(h_count, SOFTIRQ_DISABLE_OFFSET + HARDIRQ_OFFSET);
  check(c->softirq_pending, 1u << SCENARIO_SOFTIRQ);   // not run at irq_exit
  intr_on();
  local_bh_enable();                  // runs it, preemption still off
  intr_off();
  check(strcmp(order, "hs"), 0);
  check(s_count, SOFTIRQ_OFFSET + 1);
  check(s_mie, 1);
  check(c->preempt_count, 0);
  check(c->softirq_runs[SCENARIO_SOFTIRQ], runs + 1);

  // spin_lock_bh: the lock's count and the softirq part, run at unlock.
  spin_lock_bh(&bhlock);
  check(c->preempt_count, SOFTIRQ_DISABLE_OFFSET + 1);
  check(bhlock.locked, 1);
  take_ipi();
  check(c->softirq_pending, 1u << SCENARIO_SOFTIRQ);
  intr_on();
  spin_unlock_bh(&bhlock);
  intr_off();
  check(strcmp(order, "hshs"), 0);
  check(s_count, SOFTIRQ_OFFSET + 1);
  check(bhlock.locked, 0);
  check(c->preempt_count, 0);

  // With interrupts off local_bh_enable leaves them pending; and raised in
  // process context with no threads, nothing runs it until then.
  local_bh_disable();
  take_ipi();
  local_bh_enable();
  check(c->softirq_pending, 1u << SCENARIO_SOFTIRQ);
  check(strcmp(order, "hshsh"), 0);
  intr_on();
  local_bh_disable();
  local_bh_enable();
  check(strcmp(order, "hshshs"), 0);
  raise_softirq(SCENARIO_SOFTIRQ);
  check(c->softirq_pending, 1u << SCENARIO_SOFTIRQ);
  local_bh_disable();
  local_bh_enable();
  intr_off();
  check(c->softirq_pending, 0);
  check(c->softirq_runs[SCENARIO_SOFTIRQ], runs + 4);
  group_end();
}

// ---- two harts: a softirq runs on both at once, a tasklet never -----------

static volatile uint32 barrier_count;
static volatile uint32 inside, max_inside;
static volatile uint32 runs_on[2];
static volatile uint32 tasklet_runs1;     // TASKLET_SOFTIRQ rounds on hart 1

static void barrier(uint32 n)
{
  __atomic_add_fetch(&barrier_count, 1, __ATOMIC_ACQ_REL);
  while (__atomic_load_n(&barrier_count, __ATOMIC_ACQUIRE) < n)
    ;
}

// Counts how many harts are inside at once (amomax: the highest ever).
static void work(void)
{
  uint32 n = __atomic_add_fetch(&inside, 1, __ATOMIC_ACQ_REL);
  asm volatile("amomax.w zero, %1, (%0)" : : "r"(&max_inside), "r"(n) : "memory");
  busy_wait(1000);
  __atomic_sub_fetch(&inside, 1, __ATOMIC_ACQ_REL);
  runs_on[r_mhartid()]++;
}

static void work_softirq(void)
{
  work();
}

static void work_tasklet(unsigned long data)
{
  (void)data;
  work();
}

static DECLARE_TASKLET(tl, work_tasklet, 0);

static void bh_run(void)
{
  local_bh_disable();
  local_bh_enable();
}

// Both harts run this between barriers (hart 0 checks after the second).
static void two_harts(int hart)
{
  open_softirq(SCENARIO_SOFTIRQ, work_softirq);
  intr_on();
  barrier(2);
  local_bh_disable();
  raise_softirq(SCENARIO_SOFTIRQ);
  local_bh_enable();
  barrier(4);
  if (hart == 0) {
    check(max_inside, 2);             // the same softirq, on both harts at once
    check(runs_on[0] + runs_on[1], 2);
    max_inside = 0;
    runs_on[0] = runs_on[1] = 0;
  }
  barrier(6);
  // Hart 1 schedules the tasklet while it runs on hart 0: SCHED is clear
  // again by then, so hart 1 queues it, finds RUN set, and queues it again
  // round after round until hart 0 is done; then it runs on hart 1.
  if (hart == 1) {
    while (__atomic_load_n(&inside, __ATOMIC_ACQUIRE) == 0)
      ;
    tasklet_runs1 = mycpu()->softirq_runs[TASKLET_SOFTIRQ];
  }
  local_bh_disable();
  tasklet_schedule(&tl);
  local_bh_enable();
  while (mycpu()->softirq_pending)    // left pending after MAX_SOFTIRQ_RESTART rounds
    bh_run();
  if (hart == 1)
    tasklet_runs1 = mycpu()->softirq_runs[TASKLET_SOFTIRQ] - tasklet_runs1;
  barrier(8);
  intr_off();
}

// ---- ksoftirqd takes over --------------------------------------------------

static volatile uint32 flood_runs, flood_in_irq_exit, flood_in_thread, flood_count;
static struct thread *volatile flood_thread;

static void flood(void)
{
  struct thread *t = mythread();

  flood_runs++;
  if (t == getcpu(0)->idle || strcmp(t->name, "worker") == 0) {
    flood_in_irq_exit++;
  } else {
    flood_in_thread++;
    flood_thread = t;
    flood_count = mycpu()->preempt_count;
  }
  if (flood_runs < 25)
    raise_softirq(SCENARIO_SOFTIRQ);  // back again: another round
}

static void flood_ipi(void)
{
  clint_clear_ipi(r_mhartid());
  raise_softirq(SCENARIO_SOFTIRQ);
}

static void worker(void *arg)
{
  (void)arg;
  self_ipi();                         // interrupts are on in a thread
  while (flood_runs < 25)
    yield();
}

static void ksoftirqd_takes_over(void)
{
  group("ksoftirqd");
  setup();
  open_softirq(SCENARIO_SOFTIRQ, flood);
  intr_set_handler(IRQ_SOFTWARE, flood_ipi);
  struct thread *w = kthread_create(worker, 0, 0, "worker");
  sched_start();                      // returns: ksoftirqd is not waited for
  check(w->state, T_ZOMBIE);
  check(flood_runs, 25);
  check(flood_in_irq_exit, MAX_SOFTIRQ_RESTART);
  check(flood_in_thread, 25 - MAX_SOFTIRQ_RESTART);
  check(strcmp(flood_thread->name, "ksoftirqd/0"), 0);
  check(flood_thread->state, T_SLEEPING);
  check(flood_count, SOFTIRQ_OFFSET);
  check(w->switched_out[PREEMPT_IRQ], 1);   // to ksoftirqd, at the trap's return
  check(mycpu()->softirq_pending, 0);
  group_end();
}

// ---- the interrupt stack from threads and from U mode ------------------------

static volatile uint32 ticks_user, ticks_kthread, ticks_off_stack, ipi_on_stack;
static volatile uint32 user_spins;

static void tick_handler(void)
{
  struct thread *t = mythread();

  if (!on_irq_stack(cur_sp()))
    ticks_off_stack++;
  if (t && t->user)
    ticks_user++;
  else if (t && t != mycpu()->idle)
    ticks_kthread++;
  clockintr();
}

static void stack_ipi(void)
{
  clint_clear_ipi(r_mhartid());
  ipi_on_stack = on_irq_stack(cur_sp());
}

static void user_spin(void)
{
  for (int i = 0; i < 20000; i++)     // a few slices' worth, no system call
    user_spins++;
  u_exit(0);
}

static void kthread_spin(void *arg)
{
  (void)arg;
  self_ipi();
  busy_wait(3 * 10 * sched_slice);    // three slices
}

static void irq_stack_from_threads(void)
{
  group("irq stack");
  setup();
  intr_set_handler(IRQ_TIMER, tick_handler);
  intr_set_handler(IRQ_SOFTWARE, stack_ipi);
  struct thread *k = kthread_create(kthread_spin, 0, 0, "kspin");
  uthread_create(user_spin, 0, "uspin");
  sched_start();
  check(k->state, T_ZOMBIE);
  check(user_spins, 20000);
  check(ipi_on_stack, 1);
  check(ticks_user > 0, 1);           // through uservec and usertrap
  check(ticks_kthread > 0, 1);        // through kernelvec and kerneltrap
  check(ticks_off_stack, 0);
  check(k->switched_out[PREEMPT_IRQ] > 0, 1);   // point 2, back on its own stack
  check(mycpu()->irq_stack_busy, 0);
  group_end();
}

int main(int hartid)
{
  if (hartid > 1)
    park();
  if (hartid == 1) {
    two_harts(1);
    park();
  }
  after_handler();
  nested_trap();
  bh_disable();
  group("two harts");
  trap_init();
  two_harts(0);
  check(max_inside, 1);               // the tasklet: never on both at once
  check(runs_on[0], 1);
  check(runs_on[1], 1);               // hart 1's schedule was not lost
  check(tasklet_runs1 > 1, 1);        // hart 1 found it running and tried again
  check(tl.state, 0);
  group_end();
  ksoftirqd_takes_over();
  irq_stack_from_threads();
  return all_passed();
}

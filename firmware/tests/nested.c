// nested: the teaching kernel's nested interrupts (kernel/trap.c), on one
// hart, with configs/tests/nested.toml's three PLIC sources. A handler
// that turns interrupts on lets other sources in, never its own: the timer
// (MTIE masked while its handler runs), the IPI (MSIE), a PLIC source (the
// hart's threshold at the claimed source's priority). Checks the order
// handlers ran in, irq_depth, preempt_count and cpu->nested in each.
// Spinlab only: the sources come at the config's cycles.

#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "kernel.h"

// lib/'s drivers (clint.h, intr.h; not on the tests' include path).
void clint_send_ipi(int hart);
void clint_clear_ipi(int hart);
void clint_set_timer(int hart, uint64 when);
void clint_disarm_timer(int hart);
void intr_set_handler(int irq, void (*handler)(void));
#define IRQ_SOFTWARE 3
#define IRQ_TIMER 7

#define LO 1      // the config's sources, by line
#define HI 2
#define EQ 3

static char order[32];
static int norder;
static volatile uint32 done;
static uint32 timer_entries, ipi_entries;
static uint32 inner_depth, inner_count, inner_nested, own_inside, mie_inside;

static void log_run(char c)
{
  order[norder++] = c;
  order[norder] = 0;
}

static void start(void)
{
  trap_init();                        // group() pointed mtvec at the harness's vector
  norder = 0;
  order[0] = 0;
  done = 0;
}

// Waits with interrupts on for the handlers to set done.
static void wait_done(void)
{
  intr_on();
  while (!done)
    ;
  intr_off();
}

// Records the nesting from inside the inner handler.
static void record_inner(void)
{
  struct cpu *c = mycpu();

  inner_depth = c->irq_depth;
  inner_count = c->preempt_count;
  inner_nested = c->nested;
}

// ---- the timer's handler lets the IPI in, not the timer ------------------

// Raises a softirq: it runs when the outermost handler (the timer's)
// exits, not at the nested one's irq_exit.
static void t_ipi(void)
{
  clint_clear_ipi(r_mhartid());
  log_run('I');
  record_inner();
  raise_softirq(SCENARIO_SOFTIRQ);
}

static void t_soft(void)
{
  log_run('s');
}

static void t_timer(void)
{
  log_run('T');
  if (++timer_entries == 1) {
    clint_set_timer(r_mhartid(), 0);  // due at once: pending, but masked
    clint_send_ipi(r_mhartid());
    mie_inside = r_mie();
    local_irq_enable();
    busy_wait(500);                   // the IPI nests here
    own_inside = timer_entries;       // the timer did not
    local_irq_disable();
  } else {
    clint_disarm_timer(r_mhartid());
    done = 1;
  }
  log_run('t');
}

static void timer_lets_ipi_in(void)
{
  struct cpu *c = mycpu();

  group("timer nests ipi");
  start();
  intr_set_handler(IRQ_TIMER, t_timer);
  intr_set_handler(IRQ_SOFTWARE, t_ipi);
  open_softirq(SCENARIO_SOFTIRQ, t_soft);
  uint32 nested = c->nested;
  w_mie(r_mie() | MIE_MSIE);
  timer_start(r_time64() + 100, 0);
  wait_done();
  // The second tick only after the first handler, its mask given back
  // before irq_exit: it is taken in the softirq (interrupts on), before 's'.
  check(strcmp(order, "TItTts"), 0);
  check(own_inside, 1);
  check(mie_inside & MIE_MTIE, 0);    // its own source masked
  check(mie_inside & MIE_MSIE, MIE_MSIE);
  check(inner_depth, 2);
  check(inner_count, 2 * HARDIRQ_OFFSET);
  check(inner_nested, nested + 1);
  check(c->nested, nested + 2);       // the IPI in the handler, the tick in the softirq
  check(c->irq_depth, 0);
  check(c->preempt_count, 0);
  check(r_mie() & MIE_MTIE, MIE_MTIE);   // given back
  w_mie(r_mie() & ~(MIE_MTIE | MIE_MSIE));
  group_end();
}

// ---- the IPI's handler does not nest with itself -----------------------------

static void i_ipi(void)
{
  clint_clear_ipi(r_mhartid());
  log_run('I');
  if (++ipi_entries == 1) {
    clint_send_ipi(r_mhartid());      // pending, but masked
    local_irq_enable();
    busy_wait(300);
    own_inside = ipi_entries;
    local_irq_disable();
  } else {
    done = 1;
  }
  log_run('i');
}

static void ipi_not_itself(void)
{
  struct cpu *c = mycpu();

  group("ipi not itself");
  start();
  intr_set_handler(IRQ_SOFTWARE, i_ipi);
  uint32 nested = c->nested;
  w_mie(r_mie() | MIE_MSIE);
  clint_send_ipi(r_mhartid());
  wait_done();
  check(strcmp(order, "IiIi"), 0);
  check(own_inside, 1);
  check(c->nested, nested);           // nothing nested
  check(r_mie() & MIE_MSIE, MIE_MSIE);
  w_mie(r_mie() & ~MIE_MSIE);
  group_end();
}

// ---- the PLIC: a higher priority nests, an equal one waits -----------------

static void lo_handler(void)
{
  log_run('L');
  local_irq_enable();
  busy_wait(6000);                    // hi and eq come meanwhile
  local_irq_disable();
  log_run('l');
}

static void hi_handler(void)
{
  log_run('H');
  record_inner();
  log_run('h');
}

static void eq_handler(void)
{
  log_run('E');
  done = 1;
  log_run('e');
}

static void plic_threshold(void)
{
  struct cpu *c = mycpu();

  group("plic threshold");
  start();
  uint32 nested = c->nested;
  request_irq_prio(LO, lo_handler, 2);
  request_irq_prio(HI, hi_handler, 5);
  request_irq_prio(EQ, eq_handler, 2);
  wait_done();
  check(strcmp(order, "LHhlEe"), 0);
  check(inner_depth, 2);
  check(inner_count, 2 * HARDIRQ_OFFSET);
  check(c->nested, nested + 1);
  check(c->irq_depth, 0);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  timer_lets_ipi_in();
  ipi_not_itself();
  plic_threshold();
  return all_passed();
}

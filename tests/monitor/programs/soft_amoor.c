/* Same-CPU deadlock through a software interrupt: hart0 holds uart_lock
 * with interrupts on and raises its own msip; the handler (uart_intr) takes
 * uart_lock. Lock loop: amoor, then plain loads while it reads non-zero
 * (test-and-test-and-set); release: a fence and a plain store of zero. */
#include "mon.h"

struct {
  uint32 locked;
  uint32 owner;
} uart_lock;
volatile uint32 sent;

__attribute__((noinline)) void lock_uart(volatile uint32 *lk) {
  for (;;) {
    uint32 old;
    asm volatile("amoor.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(lk) : "memory");
    if (old == 0) return;
    while (*lk != 0) {
    }
  }
}

__attribute__((noinline)) void unlock_uart(volatile uint32 *lk) {
  asm volatile("fence rw, w" ::: "memory");
  *lk = 0;
}

__attribute__((noinline)) void uart_intr(void) {
  lock_uart(&uart_lock.locked);
  sent++;
  unlock_uart(&uart_lock.locked);
}

void trap(uint32 mcause) {
  if (mcause != MCAUSE_SOFTWARE) finish(3);
  set_msip(0, 0);
  uart_intr();
}

int main(uint32 hart) {
  enable_irqs(MIE_MSIE);
  intr_on();
  lock_uart(&uart_lock.locked);
  unlock_uart(&uart_lock.locked);
  lock_uart(&uart_lock.locked);
  set_msip(hart, 1); /* "transmit done": the interrupt comes at once */
  delay(100);
  unlock_uart(&uart_lock.locked);
  return 0;
}

/* Cross-hart deadlock between two ticket locks of different layouts: hart 0
 * files mail under inbox (Linux's one-word lock) and then outbox (two
 * words); hart 1 takes them in the other order. Each gets its first lock and
 * waits forever for a turn on the other. */
#include "mon.h"

typedef struct {
  volatile uint32 val; /* next << 16 | owner */
} arch_spinlock_t;

struct turnstile {
  volatile uint32 next;
  volatile uint32 owner;
};

arch_spinlock_t inbox;
struct turnstile outbox;
volatile uint32 letters;

__attribute__((noinline)) void inbox_lock(void) {
  uint32 val = __atomic_fetch_add(&inbox.val, 1u << 16, __ATOMIC_SEQ_CST);
  while ((val & 0xffff) != (val >> 16)) val = (val & 0xffff0000u) | (inbox.val & 0xffff);
}

__attribute__((noinline)) void inbox_unlock(void) {
  *(volatile unsigned short *)&inbox.val = (unsigned short)(inbox.val + 1);
}

__attribute__((noinline)) void outbox_lock(void) {
  uint32 ticket = __atomic_fetch_add(&outbox.next, 1, __ATOMIC_SEQ_CST);
  while (outbox.owner != ticket) {
  }
}

__attribute__((noinline)) void outbox_unlock(void) { outbox.owner = outbox.owner + 1; }

__attribute__((noinline)) void file_mail(void) {
  inbox_lock();
  delay(50);
  outbox_lock();
  letters++;
  outbox_unlock();
  inbox_unlock();
}

__attribute__((noinline)) void send_mail(void) {
  outbox_lock();
  delay(50);
  inbox_lock();
  letters++;
  inbox_unlock();
  outbox_unlock();
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  if (hart == 0)
    file_mail();
  else if (hart == 1)
    send_mail();
  else
    for (;;) wfi();
  return 0;
}

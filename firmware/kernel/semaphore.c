// Sleeping locks: a counting semaphore, and a mutex built on one. A thread
// that cannot have one sleeps (its hart runs other threads) instead of
// spinning -- right for long waits, and only for threads: an interrupt
// handler, or a thread holding a spin lock, must never sleep
// (scenarios/irq_sleep.c, scenarios/sleep_in_atomic.c).
//
// Waiters queue in arrival order, and up() hands the count straight to the
// first one (as Linux's semaphore does), so they are served first come,
// first served: a thread that arrives later cannot take it first.

#include "defs.h"
#include "kernel.h"

// One sleeping thread, on its own stack, queued on the semaphore.
struct waiter {
  struct thread *thread;
  int up;                  // set by up(): the count is this waiter's
  struct waiter *next;
};

void sema_init(struct semaphore *s, const char *name, int count)
{
  spin_lock_init(&s->lock, name);
  s->count = count;
  s->head = s->tail = 0;
}

void down(struct semaphore *s)
{
  uint32 flags;

  spin_lock_irqsave(&s->lock, &flags);
  if (s->count > 0) {
    s->count--;
  } else {
    struct waiter w = { mythread(), 0, 0 };
    if (s->tail)
      s->tail->next = &w;
    else
      s->head = &w;
    s->tail = &w;
    while (!w.up)
      sleep(&w, &s->lock);   // releases s->lock while asleep
  }
  spin_unlock_irqrestore(&s->lock, flags);
}

int down_trylock(struct semaphore *s)
{
  uint32 flags;
  int busy = 1;

  spin_lock_irqsave(&s->lock, &flags);
  if (s->count > 0) {
    s->count--;
    busy = 0;
  }
  spin_unlock_irqrestore(&s->lock, flags);
  return busy;
}

void up(struct semaphore *s)
{
  uint32 flags;

  spin_lock_irqsave(&s->lock, &flags);
  struct waiter *w = s->head;
  if (w) {
    s->head = w->next;
    if (s->head == 0)
      s->tail = 0;
    w->up = 1;
    wakeup(w);
  } else {
    s->count++;
  }
  spin_unlock_irqrestore(&s->lock, flags);
}

// A semaphore of one, with an owner. Unlike Linux's mutex, no optimistic
// spinning and no handing over to a spinner: strictly FIFO.
void mutex_lock(struct mutex *m)
{
  down(&m->sem);
  m->owner = mythread();
}

int mutex_trylock(struct mutex *m)
{
  if (down_trylock(&m->sem))
    return 0;
  m->owner = mythread();
  return 1;
}

void mutex_unlock(struct mutex *m)
{
  if (m->owner != mythread())
    panic("mutex_unlock: not the owner");
  m->owner = 0;
  up(&m->sem);
}

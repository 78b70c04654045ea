/* A program for tests/sim: a lock, functions that take it, data objects.
 * elf_test.cpp finds lines by their text (the comments mark some). */
struct spinlock {
  volatile int locked;
  int owner;
};

struct spinlock tickslock;
int ticks;
static char scratch[64];

__attribute__((noinline)) void acquire(struct spinlock *lk) {
  while (__sync_lock_test_and_set(&lk->locked, 1) != 0)  /* acquire: spin */
    ;
  __sync_synchronize();
}

__attribute__((noinline)) void release(struct spinlock *lk) {
  __sync_synchronize();  /* release: fence */
  __sync_lock_release(&lk->locked);
}

int main(void) {
  acquire(&tickslock);
  ticks++;
  scratch[ticks & 63] = 1;
  release(&tickslock);
  return scratch[1];
}

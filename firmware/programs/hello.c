// hello: the default program. Hart 0 greets and computes a little; the other
// harts park, so the output is the same however many harts the machine has.

#include "defs.h"

// The n-th Fibonacci number, the slow way: a few thousand calls.
static uint32 fib(uint32 n)
{
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int hartid)
{
  if (hartid != 0)
    park();

  printf("hello from hart %d\n", hartid);
  uint32 f = fib(20);
  printf("fib(20) = %d = 0x%08x, %d / 7 = %d rem %d\n", f, f, f, f / 7, f % 7);
  return 0;
}

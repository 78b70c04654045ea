// exit_code: main's return value ends the run through the test finisher as
// the exit code: here 7, on QEMU and on spinlab alike.

#include "defs.h"

int main(int hartid)
{
  if (hartid != 0)
    park();
  printf("returning 7 from main\n");
  return 7;
}

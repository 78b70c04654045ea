// tohost_exit3 (spinlab only): ends the run through HTIF's tohost with code
// 3, which must become the run's exit code.

#include "defs.h"

int main(int hartid)
{
  if (hartid != 0)
    park();
  printf("ending through tohost with 3\n");
  htif_exit(3);
}

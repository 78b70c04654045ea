// tohost (spinlab only): ends the run through HTIF's tohost instead of the
// test finisher; the run's exit code must be 0. (QEMU's virt machine has no
// HTIF: there the program would never end.)

#include "defs.h"

int main(int hartid)
{
  if (hartid != 0)
    park();
  printf("ending through tohost with 0\n");
  htif_exit(0);
}

// lma: a program whose .data has a load address apart from where it runs
// (lma.ld: `> ram AT > rom`), copied by its own start-up code
// (lma_start.S). The loader must put each segment at its physical address,
// as QEMU does: loaded at .data's run address instead, the copy would read
// zeros from `rom` and overwrite the data with them.

#include "defs.h"
#include "check.h"

extern char __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];

// Initialised data of several shapes, all in .data (or .sdata).
int primes[8] = {2, 3, 5, 7, 11, 13, 17, 19};
char greeting[] = "hello from .data, copied from its load address";
volatile uint32 magic = 0xc0ffee42;
short halves[3] = {-1, 0x1234, -32768};
static uint32 counter = 100;  // a static in .sdata
uint32 zeroed[16];            // .bss: zeroed by the start-up code
// Set with firmware.params.lma_param (tests/e2e): spinlab writes it at its
// load address, so the start-up copy brings the value to .data.
volatile uint32 lma_param = 5;

int main(int hartid __attribute__((unused)))
{
  group("lma layout");
  // The layout the test relies on: .data runs in ram and is stored in rom.
  check((uint32)__data_start >= 0x80200000, 1);
  check((uint32)__data_load < 0x80200000, 1);
  check((uint32)__data_load != (uint32)__data_start, 1);
  group_end();

  group("lma .data");
  printf("%s\n", greeting);
  int sum = 0;
  for (int i = 0; i < 8; ++i)
    sum += primes[i];
  printf("primes: %d %d ... %d, sum %d\n", primes[0], primes[1], primes[7], sum);
  check(sum, 77);
  printf("magic %x, halves %d %d %d\n", magic, halves[0], halves[1], halves[2]);
  check(magic, 0xc0ffee42);
  check((uint32)halves[2], (uint32)-32768);
  // The copy is data like any other: it can be written.
  counter += 23;
  check(counter, 123);
  printf("lma_param %d\n", lma_param);
  group_end();

  group("lma .bss");
  uint32 any = 0;
  for (int i = 0; i < 16; ++i)
    any |= zeroed[i];
  check(any, 0);
  group_end();
  return all_passed();
}

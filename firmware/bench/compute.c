// bench_compute: the compute-bound case of bench/run.sh. Every hart, on its
// own data, does BENCH_WORK rounds of: fill a 256-byte buffer on its stack
// with pseudo-random words, then take its CRC-32 bit by bit. Mostly ALU
// instructions and branches, a load or store every ~50 instructions, and no
// shared data until the end, so the harts never wait for each other.
// Hart 0 prints the combined checksum, the same on spinlab and QEMU.

#include "defs.h"
#include "param.h"
#include "bench.h"

#ifndef BENCH_WORK
#define BENCH_WORK 1000  // rounds per hart (about 16,000 instructions each)
#endif

#define BUF_WORDS 64

static uint32 results[NHART];

// xorshift32 (Marsaglia): a cheap, well-mixed sequence.
static uint32 xorshift(uint32 x)
{
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

static void fill(uint32 *buf, uint32 seed)
{
  for (int i = 0; i < BUF_WORDS; i++) {
    seed = xorshift(seed);
    buf[i] = seed;
  }
}

// CRC-32 (the reflected polynomial of zlib), one bit at a time, no table.
static uint32 crc32(const uint8 *p, int n, uint32 crc)
{
  crc = ~crc;
  for (int i = 0; i < n; i++) {
    crc ^= p[i];
    for (int b = 0; b < 8; b++)
      crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
  }
  return ~crc;
}

static uint32 work(int hartid)
{
  uint32 buf[BUF_WORDS];
  uint32 crc = 0;
  for (uint32 round = 0; round < BENCH_WORK; round++) {
    fill(buf, (round + 1) * 0x9E3779B9u ^ (uint32)hartid);
    crc = crc32((const uint8 *)buf, sizeof(buf), crc);
  }
  return crc;
}

int main(int hartid)
{
  int n = bench_start(hartid);
  results[hartid] = work(hartid);
  bench_end(hartid, n);

  uint32 sum = 0;
  for (int h = 0; h < n; h++)
    sum = xorshift(sum ^ results[h]);
  printf("compute: %d harts, %d rounds each, checksum %08x\n", n, BENCH_WORK, sum);
  return 0;
}

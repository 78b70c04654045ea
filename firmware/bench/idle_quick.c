// bench_idle_quick: bench_idle with a tiny amount of work, for the smoke
// test of bench/run.sh (--quick).
#define BENCH_WORK 20
#include "idle.c"

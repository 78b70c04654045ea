/* What the benchmark programs (bench/run.sh) share: every hart runs main,
 * does the same fixed amount of work (BENCH_WORK units; each program says
 * what a unit is, and its _quick build for the smoke test does a few), and
 * the run ends when all of them are done. */
#ifndef BENCH_H
#define BENCH_H

/* First thing in main: the number of harts (hart 0 counts them; the others
 * get 0, as they do not need it). */
int bench_start(int hartid);

/* Last thing after the work: the harts other than 0 report and park; hart
 * 0 returns once all `harts` are done. */
void bench_end(int hartid, int harts);

#endif

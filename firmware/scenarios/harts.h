/* Running the same work on every hart (harts.c). */
#ifndef SCENARIOS_HARTS_H
#define SCENARIOS_HARTS_H

/* Every hart calls it from main. Each runs work(); hart 0 then sleeps until
 * all the others have finished (they wake it with an IPI: nothing spins, so
 * QEMU's one-hart-at-a-time icount mode is no obstacle) and returns the
 * number of harts. The other harts park. */
int on_every_hart(int hartid, void (*work)(void));

#endif

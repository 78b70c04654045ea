// htif_console: HTIF's console device and exit only, the part of HTIF that
// QEMU 7.2's spike machine has too: tests/e2e runs it there and on spinlab,
// which must print the same and exit the same. It touches no device (no
// UART, no finisher, which the spike machine lacks): every line goes out
// byte by byte through device 1, each byte's acknowledgement is checked, and
// the run ends through tohost with the number of bad acknowledgements as
// exit code (0: none).

#include "defs.h"

static int bad_acks;

static void print(const char *s)
{
  for (; *s; s++)
    if (htif_putchar(*s) != HTIF_CMD(1, 1, 0x100 | (uint8)*s))
      bad_acks++;
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  char line[80];
  print("htif_console: hello through device 1\n");
  for (int i = 1; i <= 3; i++) {
    snprintf(line, sizeof(line), "line %d of 3: %d squared is %d\n", i, i * 7, i * i * 49);
    print(line);
  }
  snprintf(line, sizeof(line), "htif_console: %d bad acknowledgements\n", bad_acks);
  print(line);
  // The exit, low half first: (code << 1) | 1.
  volatile uint32 *word = (volatile uint32 *)&tohost;
  word[0] = ((uint32)bad_acks << 1) | 1;
  word[1] = 0;
  park();
}

// Output to the console UART, a 16550 (only THR and LSR are used).
// No set-up is needed: QEMU's and spinlab's UARTs transmit at reset.

#include "memmap.h"
#include "defs.h"

#define UART_REG(r) ((volatile uint8 *)(UART0_BASE + (r)))

// Writes one character, waiting until the transmit holding register is free.
void uartputc(int c)
{
  while ((*UART_REG(UART_LSR) & UART_LSR_THRE) == 0)
    ;
  *UART_REG(UART_THR) = c;
}

// Waits until every character written has left the transmitter, so that
// nothing is lost when the run ends right after.
void uartflush(void)
{
  while ((*UART_REG(UART_LSR) & UART_LSR_TEMT) == 0)
    ;
}

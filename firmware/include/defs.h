/* What the firmware library offers every program (after xv6's defs.h). */
#ifndef DEFS_H
#define DEFS_H

#include "types.h"

/* start.S */
int main(int hartid);               /* every hart calls it; its return ends the run */
void park(void) __attribute__((noreturn));  /* interrupts off, wfi forever */
extern char stacks[];               /* hart h's stack: the STACK_SIZE bytes from stacks + h * STACK_SIZE */

/* uart.c */
void uartputc(int c);
void uartflush(void);

/* printf.c */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, int size, const char *fmt, __builtin_va_list ap);
void panic(const char *msg) __attribute__((noreturn));

/* exit.c */
#define PANIC_EXIT_CODE 255
void exit(int code) __attribute__((noreturn));

/* htif.c */
extern volatile uint64 tohost, fromhost;  /* the HTIF words (docs/htif.md) */
#define HTIF_CMD(dev, cmd, payload) (((uint64)(dev) << 56) | ((uint64)(cmd) << 48) | (uint64)(payload))
void htif_exit(int code) __attribute__((noreturn));
uint64 htif_putchar(int c);              /* the console device; returns fromhost's answer */

/* string.c (the compiler may call these on its own, even freestanding) */
typedef __SIZE_TYPE__ size_t;
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif

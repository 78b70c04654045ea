// Formatted output: printf() to the console, snprintf() to memory, panic().
// Conversions: %d %u %x %p %s %c %%, with an optional width and a '0' flag
// for zero padding (%08x, %4d). There is no lock yet: characters from harts
// printing at the same time interleave.

#include <stdarg.h>
#include "defs.h"

static const char digits[] = "0123456789abcdef";

// Where the characters go: the UART when buf is 0, else buf (which holds
// size - 1 characters and the terminating 0). len counts every character,
// stored or not.
struct out {
  char *buf;
  int size;
  int len;
};

static void putch(struct out *o, int c)
{
  if (o->buf == 0)
    uartputc(c);
  else if (o->len < o->size - 1)
    o->buf[o->len] = c;
  o->len++;
}

static void putstr(struct out *o, const char *s)
{
  if (s == 0)
    s = "(null)";
  for (; *s; s++)
    putch(o, *s);
}

// Prints x in `base`, `neg` for a minus sign, padded with `pad` to `width`.
static void putnum(struct out *o, uint32 x, uint32 base, int neg, int width, char pad)
{
  char buf[12];
  int i = 0;

  do {
    buf[i++] = digits[x % base];
    x /= base;
  } while (x != 0);

  int len = i + neg;
  if (neg && pad == '0')
    putch(o, '-');  // -0042, not 00-42
  for (; len < width; len++)
    putch(o, pad);
  if (neg && pad != '0')
    putch(o, '-');
  while (--i >= 0)
    putch(o, buf[i]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      putch(o, *fmt);
      continue;
    }
    const char *spec = fmt++;
    char pad = ' ';
    int width = 0;
    if (*fmt == '0') {
      pad = '0';
      fmt++;
    }
    for (; *fmt >= '0' && *fmt <= '9'; fmt++)
      width = width * 10 + (*fmt - '0');

    switch (*fmt) {
    case 'd': {
      int d = va_arg(ap, int);
      putnum(o, d < 0 ? -(uint32)d : (uint32)d, 10, d < 0, width, pad);
      break;
    }
    case 'u':
      putnum(o, va_arg(ap, uint32), 10, 0, width, pad);
      break;
    case 'x':
      putnum(o, va_arg(ap, uint32), 16, 0, width, pad);
      break;
    case 'p':
      putstr(o, "0x");
      putnum(o, (uint32)va_arg(ap, void *), 16, 0, 8, '0');
      break;
    case 's':
      putstr(o, va_arg(ap, const char *));
      break;
    case 'c':
      putch(o, va_arg(ap, int));
      break;
    case '%':
      putch(o, '%');
      break;
    case 0:  // the format ends inside a conversion: print what there was
      putstr(o, spec);
      fmt--;
      break;
    default:  // unknown conversion: print it as written
      while (spec <= fmt)
        putch(o, *spec++);
      break;
    }
  }
}

void printf(const char *fmt, ...)
{
  struct out o = { 0, 0, 0 };
  va_list ap;

  va_start(ap, fmt);
  format(&o, fmt, ap);
  va_end(ap);
}

// As C's: writes at most size - 1 characters and a 0 (if size > 0), and
// returns the length the whole output would have had.
int vsnprintf(char *buf, int size, const char *fmt, va_list ap)
{
  struct out o = { buf, size, 0 };

  format(&o, fmt, ap);
  if (size > 0)
    buf[o.len < size ? o.len : size - 1] = 0;
  return o.len;
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

// Reports an error the firmware cannot go on from, and ends the run.
void panic(const char *msg)
{
  printf("panic: %s\n", msg);
  exit(PANIC_EXIT_CODE);
}

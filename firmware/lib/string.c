// The memory functions the compiler may emit calls to on its own (for
// struct copies and zeroing), even in a freestanding program; and strings.

#include "defs.h"

void *memset(void *dst, int c, size_t n)
{
  uint8 *d = dst;
  while (n-- > 0)
    *d++ = c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
  return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
  uint8 *d = dst;
  const uint8 *s = src;
  if (s < d && s + n > d) {  // overlapping, dst above src: copy backwards
    d += n;
    s += n;
    while (n-- > 0)
      *--d = *--s;
  } else {
    while (n-- > 0)
      *d++ = *s++;
  }
  return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
  const uint8 *p = a, *q = b;
  for (; n > 0; n--, p++, q++)
    if (*p != *q)
      return *p - *q;
  return 0;
}

size_t strlen(const char *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

int strcmp(const char *a, const char *b)
{
  for (; *a && *a == *b; a++, b++)
    ;
  return (uint8)*a - (uint8)*b;
}

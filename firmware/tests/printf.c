// printf: the library's formatting (lib/printf.c), through snprintf, checked
// against the exact text expected; then the same through printf to the
// console, where the differential test compares it with QEMU's.

#include "defs.h"
#include "check.h"

static char buf[64];

// Formats into buf and checks the text and the returned length.
#define CHECK_FORMAT(want, ...) do {                                  \
    int _n = snprintf(buf, sizeof(buf), __VA_ARGS__);                   \
    if (strcmp(buf, (want)) != 0)                                       \
      printf("got \"%s\", want \"%s\"\n", buf, (want));            \
    check(strcmp(buf, (want)) == 0, 1);                                 \
    check(_n, strlen(want));                                            \
  } while (0)

static void conversions(void)
{
  group("printf conversions");
  CHECK_FORMAT("plain text", "plain text");
  CHECK_FORMAT("0 42 -42", "%d %d %d", 0, 42, -42);
  CHECK_FORMAT("2147483647 -2147483648", "%d %d", 0x7fffffff, (int)0x80000000);
  CHECK_FORMAT("0 4294967295", "%u %u", 0u, 0xffffffffu);
  CHECK_FORMAT("0 deadbeef ffffffff", "%x %x %x", 0u, 0xdeadbeefu, 0xffffffffu);
  CHECK_FORMAT("0x80001234", "%p", (void *)0x80001234);
  CHECK_FORMAT("0x00000000", "%p", (void *)0);
  CHECK_FORMAT("hello, world", "%s, %s", "hello", "world");
  const char *volatile none = 0;  // (volatile: the compiler warns of a literal 0)
  CHECK_FORMAT("(null)", "%s", none);
  CHECK_FORMAT("a%z", "%c%%%c", 'a', 'z');
  group_end();

  group("printf widths");
  CHECK_FORMAT("0000002a", "%08x", 42u);
  CHECK_FORMAT("12345678", "%04x", 0x12345678u);       // wider than the width
  CHECK_FORMAT("  42", "%4d", 42);
  CHECK_FORMAT("  -5 -005", "%4d %04d", -5, -5);
  CHECK_FORMAT("00007", "%05u", 7u);
  group_end();

  // What printf does not know it prints as written. (Through a variable, or
  // the compiler's format checking would rightly complain.)
  group("printf oddities");
  const char *volatile fmt = "[%q] [%-4d] 100%";
  CHECK_FORMAT("[%q] [%-4d] 100%", fmt);
  group_end();
}

static void truncation(void)
{
  group("snprintf truncation");
  char small[6];
  check(snprintf(small, sizeof(small), "%s", "abcdefgh"), 8);
  check(strcmp(small, "abcde") == 0, 1);
  check(snprintf(small, 1, "xyz"), 3);
  check(small[0], 0);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  conversions();
  truncation();
  printf("console: %d %u %x %08x %p %s %c %%\n", -1, 1u, 0xabcu, 0xabcu, (void *)0x80000000, "str", 'c');
  return all_passed();
}

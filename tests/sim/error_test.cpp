#include <gtest/gtest.h>

#include "sim/load/error.h"

namespace spinlab {
namespace {

TEST(FormatError, FileLineColumn) {
  EXPECT_EQ(format_error(Place{"a.toml", 3, 7}, "machine.harts: expected an integer"),
            "a.toml:3:7: machine.harts: expected an integer");
}

TEST(FormatError, FileLineWithoutColumn) {
  EXPECT_EQ(format_error(Place{"a.toml", 3, 0}, "bad"), "a.toml:3: bad");
}

TEST(FormatError, FileOffset) {
  EXPECT_EQ(format_error(Place{"p.elf", 0, 0, 0x34}, "is truncated"), "p.elf: offset 0x34: is truncated");
  EXPECT_EQ(format_error(Place{"p.elf", 0, 0, 0}, "is truncated"), "p.elf: offset 0x0: is truncated");
}

TEST(FormatError, FileOnly) {
  EXPECT_EQ(format_error(Place{"p.elf"}, "not an ELF file"), "p.elf: not an ELF file");
}

TEST(FormatError, NoPlace) { EXPECT_EQ(format_error(Place{}, "something"), "something"); }

TEST(FormatError, AlwaysOneLine) {
  EXPECT_EQ(format_error(Place{"a\nb.toml", 1, 2}, "got \"x\ny\""), "a\\nb.toml:1:2: got \"x\\ny\"");
}

TEST(Error, CarriesCodePlaceAndMessage) {
  Error e(ExitCode::bad_input, Place{"c.toml", 2, 9}, "machine.harts: expected an integer from 1 to 64, got 0");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().file, "c.toml");
  EXPECT_EQ(e.place().line, 2u);
  EXPECT_EQ(e.place().column, 9u);
  EXPECT_EQ(e.message(), "machine.harts: expected an integer from 1 to 64, got 0");
  EXPECT_STREQ(e.what(), "c.toml:2:9: machine.harts: expected an integer from 1 to 64, got 0");
}

}  // namespace
}  // namespace spinlab

// HTIF (models/htif.h) through RAM, as firmware uses it: 32-bit stores of
// each half, then the machine's call for the store that hit tohost/fromhost.
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/htif.h"
#include "models/kernel.h"
#include "models/ram.h"

namespace spinlab::models {
namespace {

constexpr uint32_t kBase = 0x8000'0000;
constexpr uint32_t kToHost = kBase + 0x1000, kFromHost = kBase + 0x1008;
constexpr uint32_t kMagic = kBase + 0x2000, kText = kBase + 0x3000;

uint64_t cmd(uint64_t dev, uint64_t c, uint64_t payload) { return (dev << 56) | (c << 48) | payload; }

struct Host {
  struct FreshKernel {
    FreshKernel() { fresh_systemc_kernel(); }
  } fresh;  // first: RAM is a module, made in a kernel that has not run
  Ram ram{kBase, 1u << 16};
  std::FILE* out = std::tmpfile();
  std::vector<std::string> warnings;
  Htif htif{ram, kToHost, kFromHost, out,
            [this](unsigned hart, uint32_t pc, const std::string& what) {
              warnings.push_back("hart" + std::to_string(hart) + " " + std::to_string(pc) + ": " + what);
            }};
  ~Host() { std::fclose(out); }

  // A store by firmware: RAM first, then HTIF, as Machine::grant() does.
  std::optional<int> sw(uint32_t addr, uint32_t value) {
    ram.write(addr, 4, value);
    return htif.hits(addr) ? htif.store(addr, 4, 0, 0x80000100) : std::nullopt;
  }
  // A 64-bit store as gcc writes it on RV32: low half, then high half.
  std::optional<int> sd(uint32_t addr, uint64_t value) {
    std::optional<int> low = sw(addr, static_cast<uint32_t>(value));
    EXPECT_FALSE(low) << "a low half alone did something";
    return sw(addr + 4, static_cast<uint32_t>(value >> 32));
  }
  uint64_t ld(uint32_t addr) {
    uint32_t lo = 0, hi = 0;
    ram.read(addr, 4, lo);
    ram.read(addr + 4, 4, hi);
    return (uint64_t{hi} << 32) | lo;
  }
  void put64(uint32_t addr, uint64_t v) {
    ram.write(addr, 4, static_cast<uint32_t>(v));
    ram.write(addr + 4, 4, static_cast<uint32_t>(v >> 32));
  }
  std::string output() {
    std::fflush(out);
    std::rewind(out);
    std::string s;
    for (int c; (c = std::fgetc(out)) != EOF;) s += static_cast<char>(c);
    return s;
  }
  int64_t call(uint64_t which, uint64_t a0, uint64_t a1, uint64_t a2) {
    put64(kMagic, which), put64(kMagic + 8, a0), put64(kMagic + 16, a1), put64(kMagic + 24, a2);
    EXPECT_FALSE(sd(kToHost, kMagic));
    EXPECT_EQ(ld(kToHost), 0u);    // taken
    EXPECT_EQ(ld(kFromHost), 1u);  // fesvr's answer to a proxied call
    EXPECT_FALSE(sd(kFromHost, 0));
    return static_cast<int64_t>(ld(kMagic));
  }
};

TEST(Htif, OnlyStoresToTheTwoWordsHit) {
  Host h;
  EXPECT_TRUE(h.htif.hits(kToHost));
  EXPECT_TRUE(h.htif.hits(kToHost + 7));
  EXPECT_TRUE(h.htif.hits(kFromHost + 4));
  EXPECT_FALSE(h.htif.hits(kToHost - 1));
  EXPECT_FALSE(h.htif.hits(kFromHost + 8));
}

TEST(Htif, ExitTakesEffectWhenTheHighHalfIsWritten) {
  Host h;
  EXPECT_FALSE(h.sw(kToHost, (3 << 1) | 1));  // low half: latched, nothing yet
  EXPECT_EQ(h.sw(kToHost + 4, 0), 3);
}

TEST(Htif, SysWriteGoesToTheConsole) {
  Host h;
  const std::string text = "hello\n";
  for (size_t i = 0; i < text.size(); ++i) h.ram.write(kText + uint32_t(i), 1, uint8_t(text[i]));
  EXPECT_EQ(h.call(Htif::kSysWrite, 1, kText, text.size()), 6);
  EXPECT_EQ(h.call(Htif::kSysWrite, 2, kText, 5), 5);
  EXPECT_EQ(h.output(), "hello\nhello");
}

TEST(Htif, ErrorsComeBackNegated) {
  Host h;
  EXPECT_EQ(h.call(Htif::kSysWrite, 3, kText, 1), -Htif::kEBADF);
  EXPECT_EQ(h.call(Htif::kSysWrite, 1, 0x10, 4), -Htif::kEFAULT);
  EXPECT_EQ(h.call(Htif::kSysWrite, 1, kBase + 0xfff0, 0x20), -Htif::kEFAULT);  // runs off the end of RAM
  EXPECT_EQ(h.call(172, 0, 0, 0), -Htif::kENOSYS);
  EXPECT_EQ(h.output(), "");
}

TEST(Htif, SysExitEndsTheRun) {
  Host h;
  h.put64(kMagic, Htif::kSysExit);
  h.put64(kMagic + 8, 42);
  EXPECT_EQ(h.sd(kToHost, kMagic), 42);
}

TEST(Htif, ConsolePutcharIsAcknowledgedWithTheByte) {
  Host h;
  EXPECT_FALSE(h.sd(kToHost, cmd(1, 1, 'A')));
  EXPECT_EQ(h.ld(kToHost), 0u);
  EXPECT_EQ(h.ld(kFromHost), cmd(1, 1, 0x100 | 'A'));
  EXPECT_EQ(h.output(), "A");
}

TEST(Htif, AnAnswerWaitsUntilTheFirmwareClearsFromhost) {
  Host h;
  h.sd(kToHost, cmd(1, 1, 'a'));
  h.sd(kToHost, cmd(1, 1, 'b'));  // fromhost still holds 'a''s answer
  EXPECT_EQ(h.ld(kFromHost), cmd(1, 1, 0x100 | 'a'));
  EXPECT_FALSE(h.sw(kFromHost, 0));  // the low half alone: not cleared yet
  EXPECT_EQ(h.ld(kFromHost), cmd(1, 1, 0) );
  EXPECT_FALSE(h.sw(kFromHost + 4, 0));
  EXPECT_EQ(h.ld(kFromHost), cmd(1, 1, 0x100 | 'b'));
  EXPECT_EQ(h.output(), "ab");
}

TEST(Htif, GetcharIsNeverAnswered) {
  Host h;
  EXPECT_FALSE(h.sd(kToHost, cmd(1, 0, 0)));
  EXPECT_EQ(h.ld(kToHost), 0u);
  EXPECT_EQ(h.ld(kFromHost), 0u);
}

TEST(Htif, MagicMemOutsideRamIsReportedAndAcknowledged) {
  Host h;
  EXPECT_FALSE(h.sd(kToHost, 0x10));
  EXPECT_EQ(h.ld(kFromHost), 1u);
  ASSERT_EQ(h.warnings.size(), 1u);
  EXPECT_EQ(h.warnings[0], "hart0 2147483904: HTIF syscall: magic_mem at 0x10 is outside RAM; the command is "
                           "acknowledged and ignored");
}

}  // namespace
}  // namespace spinlab::models

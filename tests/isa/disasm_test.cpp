// The disassembler against the real thing: objdump -d -M no-aliases on
// all_insns.o (assembled at build time), line by line.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "isa/decode.h"

namespace spinlab::isa {
namespace {

struct ObjdumpLine {
  uint32_t addr;
  uint32_t word;
  std::string text;  // mnemonic and operands, without objdump's annotations
};

// objdump appends what it knows about an address: " # 18 <first+0x18>" after
// jalr, " <label>" after branch and jump targets. The disassembler prints
// neither.
std::string strip_annotations(std::string text) {
  if (size_t hash = text.find(" # "); hash != std::string::npos)
    text.erase(hash);
  if (size_t sym = text.find(" <"); sym != std::string::npos)
    text.erase(sym);
  return text;
}

// "     4f4:\t04a0000f          \tfence\to,ir", or a 16-bit parcel's four
// digits: "     4f8:\t4501                \tc.li\ta0,0".
bool parse_line(const std::string& line, ObjdumpLine& out) {
  const size_t colon = line.find(":\t");
  if (colon == std::string::npos)
    return false;
  const std::string addr = line.substr(0, colon);
  const size_t end = line.find_first_of(" \t", colon + 2);
  if (end == std::string::npos)
    return false;
  const std::string word = line.substr(colon + 2, end - colon - 2);
  const size_t tab = line.find('\t', end);
  if (tab == std::string::npos || (word.size() != 8 && word.size() != 4) ||
      word.find_first_not_of("0123456789abcdef") != std::string::npos)
    return false;
  out.addr = static_cast<uint32_t>(std::stoul(addr, nullptr, 16));
  out.word = static_cast<uint32_t>(std::stoul(word, nullptr, 16));
  out.text = strip_annotations(line.substr(tab + 1));
  return true;
}

std::vector<ObjdumpLine> run_objdump(const char* object = SPINLAB_ALL_INSNS_OBJ) {
  std::vector<ObjdumpLine> lines;
  const std::string cmd = std::string(SPINLAB_OBJDUMP) + " -d -M no-aliases " + object;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p)
    return lines;
  std::string line;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) {
    line += buf;
    if (line.empty() || line.back() != '\n')
      continue;
    line.pop_back();
    ObjdumpLine l;
    if (parse_line(line, l))
      lines.push_back(l);
    line.clear();
  }
  EXPECT_EQ(pclose(p), 0) << cmd;
  return lines;
}

// Our text for each line equals objdump's (at most 20 mismatches shown).
void expect_same_as_objdump(const std::vector<ObjdumpLine>& lines) {
  unsigned mismatches = 0;
  for (const ObjdumpLine& l : lines) {
    const std::string ours = disassemble(l.word, l.addr);
    EXPECT_EQ(ours, l.text) << std::hex << l.addr << ": " << l.word;
    if (ours != l.text && ++mismatches > 20)
      FAIL() << "too many mismatches";
  }
}

TEST(Disassembler, MatchesObjdumpOnEveryLine) {
  const std::vector<ObjdumpLine> lines = run_objdump();
  // all_insns.S has some 5000 instructions (4096 of them one per CSR number).
  ASSERT_GT(lines.size(), 5000u);
  expect_same_as_objdump(lines);
}

TEST(Disassembler, FileCoversEveryTableRow) {
  std::set<const InsnDesc*> seen;
  for (const ObjdumpLine& l : run_objdump())
    seen.insert(decode(l.word));
  for (const InsnDesc& d : instruction_table())
    EXPECT_EQ(seen.count(&d), 1u) << d.name << " is missing from all_insns.S";
}

// all_insns_c.o holds every 16-bit parcel (built with C): objdump's name
// and operands for each, or ".2byte" where it has none.
TEST(Disassembler, MatchesObjdumpOnEveryCompressedParcel) {
  const std::vector<ObjdumpLine> lines = run_objdump(SPINLAB_ALL_INSNS_C_OBJ);
  ASSERT_EQ(lines.size(), 3u * 16384);
  expect_same_as_objdump(lines);
}

TEST(Disassembler, CompressedFileCoversEveryRow) {
  std::set<const CompressedDesc*> seen;
  for (const ObjdumpLine& l : run_objdump(SPINLAB_ALL_INSNS_C_OBJ))
    seen.insert(decode_compressed(static_cast<uint16_t>(l.word)));
  for (const CompressedDesc& d : compressed_table())
    EXPECT_EQ(seen.count(&d), 1u) << d.name << " is missing from all_insns_c.S";
}

TEST(DisassembleUnit, UnknownWordsPrintAsData) {
  EXPECT_EQ(disassemble(0x0000'007f, 0), ".4byte\t0x7f");
  EXPECT_EQ(disassemble(0xffff'ffff, 0), ".4byte\t0xffffffff");
  EXPECT_EQ(disassemble(0x0000'2008, 0), ".2byte\t0x2008") << "c.fld: no F here";
}

// A program built without C: objdump still walks 16-bit parcels but names
// none of them.
TEST(DisassembleUnit, ParcelsWithoutCPrintAsData) {
  EXPECT_EQ(disassemble(0x0000'4501, 0, false), ".2byte\t0x4501");
  EXPECT_EQ(disassemble(0x0000'4501, 0, true), "c.li\ta0,0");
  EXPECT_EQ(disassemble(0x1234'4501, 0, true), "c.li\ta0,0") << "the upper half is the next instruction's";
}

TEST(DisassembleUnit, TargetsAreAbsolute) {
  EXPECT_EQ(disassemble(0x0040'006f, 0x8000'0000), "jal\tzero,80000004");
  EXPECT_EQ(disassemble(0xfe00'0ce3, 0x8000'0010), "beq\tzero,zero,80000008");
}

}  // namespace
}  // namespace spinlab::isa

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

// "     4f4:\t04a0000f          \tfence\to,ir"
bool parse_line(const std::string& line, ObjdumpLine& out) {
  const size_t colon = line.find(":\t");
  if (colon == std::string::npos || colon + 2 + 8 > line.size())
    return false;
  const std::string addr = line.substr(0, colon);
  const std::string word = line.substr(colon + 2, 8);
  const size_t tab = line.find('\t', colon + 2 + 8);
  if (tab == std::string::npos || word.find_first_not_of("0123456789abcdef") != std::string::npos)
    return false;
  out.addr = static_cast<uint32_t>(std::stoul(addr, nullptr, 16));
  out.word = static_cast<uint32_t>(std::stoul(word, nullptr, 16));
  out.text = strip_annotations(line.substr(tab + 1));
  return true;
}

std::vector<ObjdumpLine> run_objdump() {
  std::vector<ObjdumpLine> lines;
  const std::string cmd = std::string(SPINLAB_OBJDUMP) + " -d -M no-aliases " + SPINLAB_ALL_INSNS_OBJ;
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

TEST(Disassembler, MatchesObjdumpOnEveryLine) {
  const std::vector<ObjdumpLine> lines = run_objdump();
  // all_insns.S has some 5000 instructions (4096 of them one per CSR number).
  ASSERT_GT(lines.size(), 5000u);
  unsigned mismatches = 0;
  for (const ObjdumpLine& l : lines) {
    const std::string ours = disassemble(l.word, l.addr);
    EXPECT_EQ(ours, l.text) << std::hex << l.addr << ": " << l.word;
    if (ours != l.text && ++mismatches > 20)
      FAIL() << "too many mismatches";
  }
}

TEST(Disassembler, FileCoversEveryTableRow) {
  std::set<const InsnDesc*> seen;
  for (const ObjdumpLine& l : run_objdump())
    seen.insert(decode(l.word));
  for (const InsnDesc& d : instruction_table())
    EXPECT_EQ(seen.count(&d), 1u) << d.name << " is missing from all_insns.S";
}

TEST(DisassembleUnit, UnknownWordsPrintAsData) {
  EXPECT_EQ(disassemble(0x0000'0000, 0), ".4byte\t0x0");
  EXPECT_EQ(disassemble(0xffff'ffff, 0), ".4byte\t0xffffffff");
}

TEST(DisassembleUnit, TargetsAreAbsolute) {
  EXPECT_EQ(disassemble(0x0040'006f, 0x8000'0000), "jal\tzero,80000004");
  EXPECT_EQ(disassemble(0xfe00'0ce3, 0x8000'0010), "beq\tzero,zero,80000008");
}

}  // namespace
}  // namespace spinlab::isa

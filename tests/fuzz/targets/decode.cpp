// The decoder and the disassembler on instruction words. The input is read
// as little-endian 32-bit words (a short tail padded with zeros), and each
// word's low half also as a 16-bit parcel. For every one:
// - decode() names a row whose mask/match the word fits, or says illegal;
// - disassemble() prints the row's name (or objdump's ".4byte" for a word
//   it does not name), for every pc, with and without the C extension;
// - a compressed parcel that expands does so to a 32-bit word that decodes,
//   to the row its compressed row says it expands to, and the parcel
//   disassembles under its own name; one with no row expands to nothing.
#include <cstdio>
#include <cstring>
#include <string>

#include "isa/decode.h"
#include "tests/fuzz/targets.h"

namespace spinlab::fuzz {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// The mnemonic column: up to the tab (or all of it).
std::string mnemonic(const std::string& text) { return text.substr(0, text.find('\t')); }

void check_word(uint32_t bits, uint32_t pc) {
  if ((bits & 3) != 3) return;  // a 16-bit parcel: check_parcel's
  const isa::InsnDesc* d = isa::decode(bits);
  if (d && (bits & d->mask) != d->match) fail(hex(bits) + " decodes to " + d->name + ", whose mask it does not fit");
  isa::make_op(bits, d);
  const std::string text = isa::disassemble(bits, pc);
  if (text.empty()) fail(hex(bits) + " disassembles to nothing");
  if (!d) {
    if (!starts_with(text, ".4byte\t")) fail(hex(bits) + " is illegal but disassembles as " + text);
    return;
  }
  // objdump prints some reserved encodings of a decoded row as data (a fence
  // with rd or rs1 set), one fence under another name, and an AMO's
  // ordering bits as a suffix; csrrw zero,cycle,zero is objdump's unimp.
  const std::string m = mnemonic(text), name = d->name;
  const bool ordered = m == name + ".aq" || m == name + ".rl" || m == name + ".aqrl";
  if (m != name && !ordered && m != ".4byte" && m != "fence.tso" && !(m == "unimp" && bits == 0xc0001073))
    fail(hex(bits) + " decodes to " + d->name + " but disassembles as " + text);
  if (isa::disassemble(bits, pc, false) != text) fail(hex(bits) + " disassembles differently without C");
}

void check_parcel(uint16_t parcel, uint32_t pc) {
  if ((parcel & 3) == 3) return;  // the low half of a 32-bit word
  const isa::CompressedDesc* c = isa::decode_compressed(parcel);
  const uint32_t expanded = isa::expand_compressed(parcel);
  const std::string text = isa::disassemble(parcel, pc);
  if (!starts_with(isa::disassemble(parcel, pc, false), ".2byte\t"))
    fail(hex(parcel) + " is named without the C extension");
  if (!c) {
    if (expanded != 0) fail(hex(parcel) + " has no compressed row but expands to " + hex(expanded));
    if (!starts_with(text, ".2byte\t")) fail(hex(parcel) + " has no row but disassembles as " + text);
    return;
  }
  if ((parcel & c->mask) != c->match) fail(hex(parcel) + " decodes to " + c->name + ", whose mask it does not fit");
  if (mnemonic(text) != c->name) fail(hex(parcel) + " decodes to " + c->name + " but disassembles as " + text);
  if (expanded == 0) return;  // a reserved encoding of a named form: illegal
  const isa::InsnDesc* d = isa::decode(expanded);
  if (!d) fail(hex(parcel) + " (" + c->name + ") expands to " + hex(expanded) + ", which is illegal");
  if (!c->expands_to || std::strcmp(c->expands_to, d->name) != 0)
    fail(hex(parcel) + " (" + c->name + ") expands to " + hex(expanded) + ", " + d->name + ", not " +
         (c->expands_to ? c->expands_to : "nothing"));
  check_word(expanded, pc);
}

}  // namespace

void decode_one(const uint8_t* data, size_t size) {
  uint32_t pc = 0x80000000u;
  for (size_t i = 0; i < size; i += 4, pc += 4) {
    uint8_t w[4] = {0, 0, 0, 0};
    std::memcpy(w, data + i, size - i < 4 ? size - i : 4);
    const uint32_t bits = w[0] | w[1] << 8 | w[2] << 16 | static_cast<uint32_t>(w[3]) << 24;
    check_word(bits, pc);
    check_parcel(static_cast<uint16_t>(bits), pc);
    check_parcel(static_cast<uint16_t>(bits >> 16), pc + 2);
  }
}

}  // namespace spinlab::fuzz

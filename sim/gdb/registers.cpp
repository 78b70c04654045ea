// GDB's view of a hart's registers, and the target description that tells
// GDB which there are. GDB's riscv target (gdb/riscv-tdep.c) looks registers
// up by name inside the features org.gnu.gdb.riscv.cpu and
// org.gnu.gdb.riscv.csr, and numbers CSRs from 65 on; the regnum attributes
// below give GDB's remote numbers (the `p`/`P` packets) the same values.
#include "sim/gdb/registers.h"

#include <fmt/format.h>

#include "isa/csr.h"
#include "isa/hart.h"

namespace spinlab::gdb {

namespace {

// The ABI names GDB's own riscv feature files use for x0..x31.
constexpr const char* kXNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
                                     "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                     "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

const char* x_type(unsigned r) {
  if (r == 1) return "code_ptr";
  if (r == 2 || r == 3 || r == 4 || r == 8) return "data_ptr";
  return "int";
}

bool is_csr(unsigned regnum, uint16_t& addr) {
  if (regnum < kFirstCsrRegnum || regnum >= kFirstCsrRegnum + 4096) return false;
  addr = static_cast<uint16_t>(regnum - kFirstCsrRegnum);
  return true;
}

}  // namespace

const std::string& target_xml() {
  static const std::string xml = [] {
    std::string s =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        "<architecture>riscv:rv32</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
    for (unsigned r = 0; r < 32; ++r)
      s += fmt::format("  <reg name=\"{}\" bitsize=\"32\" type=\"{}\" regnum=\"{}\"/>\n", kXNames[r], x_type(r), r);
    s += fmt::format("  <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"{}\"/>\n", kPcRegnum);
    s += "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
    for (uint16_t addr : isa::csr::implemented())
      s += fmt::format("  <reg name=\"{}\" bitsize=\"32\" type=\"int\" regnum=\"{}\" group=\"csr\"/>\n",
                       isa::csr::name(addr), kFirstCsrRegnum + addr);
    s += "</feature>\n</target>\n";
    return s;
  }();
  return xml;
}

RegAccess read_register(const isa::Hart& h, unsigned regnum, uint32_t& value) {
  uint16_t addr = 0;
  if (regnum < 32) value = h.x(regnum);
  else if (regnum == kPcRegnum) value = h.pc();
  else if (!is_csr(regnum, addr) || !isa::debug_csr_read(h, addr, value)) return RegAccess::no_such_register;
  return RegAccess::ok;
}

RegAccess write_register(isa::Hart& h, unsigned regnum, uint32_t value) {
  uint16_t addr = 0;
  if (regnum == 0) return RegAccess::ok;
  if (regnum < 32) {
    h.set_x(regnum, value);
    return RegAccess::ok;
  }
  if (regnum == kPcRegnum) {
    h.set_pc(value);
    return RegAccess::ok;
  }
  uint32_t old = 0;
  if (!is_csr(regnum, addr) || !isa::debug_csr_read(h, addr, old)) return RegAccess::no_such_register;
  if (addr == isa::csr::mip || !isa::debug_csr_write(h, addr, value)) return RegAccess::read_only;
  return RegAccess::ok;
}

}  // namespace spinlab::gdb

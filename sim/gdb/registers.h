// The registers GDB sees of a hart: x0..x31 and pc as GDB's riscv target
// numbers them (0..31, 32), and the CSRs the hart has at 65 + the CSR's
// number (GDB's RISCV_FIRST_CSR_REGNUM), described to GDB by the target
// description this file writes (qXfer:features:read:target.xml).
#pragma once

#include <cstdint>
#include <string>

namespace spinlab::isa {
class Hart;
}

namespace spinlab::gdb {

constexpr unsigned kPcRegnum = 32;
constexpr unsigned kFirstCsrRegnum = 65;
// The registers of a `g` packet: x0..x31, pc.
constexpr unsigned kGRegisters = 33;

// The target description: architecture riscv:rv32, the feature
// org.gnu.gdb.riscv.cpu (x0..x31 by their ABI names, pc) and
// org.gnu.gdb.riscv.csr (every CSR the hart has, by objdump's name).
const std::string& target_xml();

enum class RegAccess : uint8_t { ok, no_such_register, read_only };

// Register `regnum` of hart `h`, as GDB numbers it.
RegAccess read_register(const isa::Hart& h, unsigned regnum, uint32_t& value);
// x0 takes any write and stays 0 (as the ISA's x0 does); the CSRs a debugger
// may not write are the read-only ones by address (mhartid, cycle, ...) and
// mip, which the devices drive.
RegAccess write_register(isa::Hart& h, unsigned regnum, uint32_t value);

}  // namespace spinlab::gdb

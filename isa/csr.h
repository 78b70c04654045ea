// Machine-mode CSRs (and the few user-mode ones): addresses and the state behind them. The table of which
// CSR exists, who may write it and how it reads lives in isa/csr.cpp.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace spinlab::isa {

namespace csr {
// Addresses (privileged spec, tables 2.2-2.5).
constexpr uint16_t mstatus = 0x300, misa = 0x301, mie = 0x304, mtvec = 0x305;
constexpr uint16_t mcounteren = 0x306;
constexpr uint16_t mscratch = 0x340, mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344;
constexpr uint16_t mcycle = 0xB00, minstret = 0xB02, mcycleh = 0xB80, minstreth = 0xB82;
constexpr uint16_t cycle = 0xC00, time = 0xC01, instret = 0xC02;
constexpr uint16_t cycleh = 0xC80, timeh = 0xC81, instreth = 0xC82;
constexpr uint16_t pmpcfg0 = 0x3A0, pmpaddr0 = 0x3B0;  // pmpcfg0..3, pmpaddr0..15
constexpr uint16_t tselect = 0x7A0, tdata1 = 0x7A1, tdata2 = 0x7A2, tdata3 = 0x7A3, tinfo = 0x7A4;
constexpr uint16_t mvendorid = 0xF11, marchid = 0xF12, mimpid = 0xF13, mhartid = 0xF14;

// mstatus fields
constexpr uint32_t mstatus_mie_bit = 1u << 3;
constexpr uint32_t mstatus_mpie_bit = 1u << 7;
constexpr uint32_t mstatus_mpp_shift = 11;
constexpr uint32_t mstatus_mpp_mask = 3u << mstatus_mpp_shift;  // M (3) or U (0)
constexpr uint32_t mstatus_mprv_bit = 1u << 17;
constexpr uint32_t mstatus_tw_bit = 1u << 21;

// mcounteren: the counters U mode may read (3.1.12); the hpm bits are 0.
constexpr uint32_t mcounteren_cy = 1u << 0, mcounteren_tm = 1u << 1, mcounteren_ir = 1u << 2;

// misa: MXL=1 (32-bit), extensions A, I, M, U; C (bit 2) when the hart has it.
constexpr uint32_t misa_value = (1u << 30) | (1u << 0) | (1u << 8) | (1u << 12) | (1u << 20);
constexpr uint32_t misa_c_bit = 1u << 2;

// The name objdump uses for a CSR address, or "" when it has none we know.
std::string_view name(uint16_t addr);
// Every CSR the hart has, by address, in the CSR table's order (a
// debugger's register list: sim/gdb/registers.cpp).
std::vector<uint16_t> implemented();
}  // namespace csr

class Hart;
// A debugger's access to a CSR, whatever the hart's privilege mode: false
// when the hart has no such CSR or (a write) it is read-only by its address.
// A write has the effects the instruction's write has (WARL masks).
bool debug_csr_read(const Hart& h, uint16_t addr, uint32_t& value);
bool debug_csr_write(Hart& h, uint16_t addr, uint32_t value);

struct Csrs {
  uint32_t mstatus = csr::mstatus_mpp_mask;  // MPP = M at reset (3.4: reset state)
  uint32_t mie = 0;
  uint32_t mip = 0;  // MSIP/MTIP/MEIP: driven by devices, read-only to software
  uint32_t mtvec = 0;
  uint32_t mcounteren = 0;
  uint32_t mscratch = 0;
  uint32_t mepc = 0;
  uint32_t mcause = 0;
  uint32_t mtval = 0;
  uint32_t mhartid = 0;
  uint64_t minstret = 0;

  bool mstatus_mie() const { return (mstatus & csr::mstatus_mie_bit) != 0; }
};

}  // namespace spinlab::isa

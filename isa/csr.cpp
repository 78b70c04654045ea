// The CSR file: which CSRs exist, how each reads and which bits a write may
// change (privileged spec 1.12, chapter 3), plus the names objdump prints.
#include "isa/csr.h"

#include <array>
#include <string>
#include <unordered_map>

#include "isa/hart.h"

namespace spinlab::isa {

namespace {

constexpr uint32_t kLow32 = 0xffff'ffffu;

// mie/mip bits this machine has: MSI, MTI, MEI (privileged spec 3.1.9).
constexpr uint32_t kInterruptBits = (1u << 3) | (1u << 7) | (1u << 11);

// Counter halves. A write to one half keeps the other (privileged spec 3.1.11:
// on RV32 the high and low halves are separately writable).
uint64_t with_low(uint64_t counter, uint32_t low) { return (counter & ~uint64_t{kLow32}) | low; }
uint64_t with_high(uint64_t counter, uint32_t high) { return (counter & kLow32) | (uint64_t{high} << 32); }
uint32_t low(uint64_t v) { return static_cast<uint32_t>(v); }
uint32_t high(uint64_t v) { return static_cast<uint32_t>(v >> 32); }

// The counters mcounteren can let U mode read: cycle, time, instret (3.1.12).
// There are no hpmcounters, so their bits are read-only 0.
constexpr uint32_t kCounterenBits = csr::mcounteren_cy | csr::mcounteren_tm | csr::mcounteren_ir;

// PMP CSRs (3.7.1): pmpcfg0..3 and pmpaddr0..15, one row each. A pmpcfg
// write can change which accesses need a check.
template <unsigned N>
uint32_t read_pmpcfg(const Hart& h) { return h.pmp().read_cfg(N); }
template <unsigned N>
void write_pmpcfg(Hart& h, uint32_t v) {
  h.pmp().write_cfg(N, v);
  h.update_checks();
}
template <unsigned I>
uint32_t read_pmpaddr(const Hart& h) { return h.pmp().read_addr(I); }
template <unsigned I>
void write_pmpaddr(Hart& h, uint32_t v) { h.pmp().write_addr(I, v); }

// WARL MODE (3.1.7): 0 direct, 1 vectored; values >= 2 are reserved, so the
// old mode is kept while BASE is still written.
void write_mtvec(Hart& h, uint32_t v) {
  uint32_t mode = v & 3;
  if (mode >= 2)
    mode = h.csrs().mtvec & 3;
  h.csrs().mtvec = (v & ~3u) | mode;
}

void write_minstret(Hart& h, uint64_t v) {
  h.csrs().minstret = v;
  // The write replaces this instruction's own increment (3.1.11).
  h.suppress_minstret_increment();
}

struct CsrRow {
  uint16_t addr;
  uint32_t (*read)(const Hart&);
  void (*write)(Hart&, uint32_t);  // nullptr for the read-only CSRs (addr[11:10] == 3)
};

// clang-format off
const CsrRow kCsrs[] = {
  {csr::mstatus,  [](const Hart& h) { return h.csrs().mstatus; },
                  [](Hart& h, uint32_t v) { h.write_mstatus(v); }},
  // misa is WARL and this machine cannot change its extensions: writes are ignored.
  {csr::misa,     [](const Hart& h) { return csr::misa_value | (h.compressed() ? csr::misa_c_bit : 0); },
                  [](Hart&, uint32_t) {}},
  {csr::mie,      [](const Hart& h) { return h.csrs().mie; },
                  [](Hart& h, uint32_t v) { h.csrs().mie = v & kInterruptBits; }},
  // MSIP/MTIP/MEIP are read-only, driven by the CLINT and PLIC through
  // set_pending(); no other bit exists, so a write changes nothing.
  {csr::mip,      [](const Hart& h) { return h.csrs().mip; }, [](Hart&, uint32_t) {}},
  {csr::mtvec,    [](const Hart& h) { return h.csrs().mtvec; }, write_mtvec},
  {csr::mcounteren, [](const Hart& h) { return h.csrs().mcounteren; },
                  [](Hart& h, uint32_t v) { h.csrs().mcounteren = v & kCounterenBits; }},
  {csr::mscratch, [](const Hart& h) { return h.csrs().mscratch; },
                  [](Hart& h, uint32_t v) { h.csrs().mscratch = v; }},
  // mepc[0] is always zero, and mepc[1] too with IALIGN=32, i.e. without C
  // (3.1.14; C cannot change at run time here, so masking writes suffices).
  {csr::mepc,     [](const Hart& h) { return h.csrs().mepc; },
                  [](Hart& h, uint32_t v) { h.csrs().mepc = v & ~h.ialign_mask(); }},
  {csr::mcause,   [](const Hart& h) { return h.csrs().mcause; },
                  [](Hart& h, uint32_t v) { h.csrs().mcause = v; }},
  {csr::mtval,    [](const Hart& h) { return h.csrs().mtval; },
                  [](Hart& h, uint32_t v) { h.csrs().mtval = v; }},
  {csr::mcycle,   [](const Hart& h) { return low(h.mcycle()); },
                  [](Hart& h, uint32_t v) { h.write_mcycle(with_low(h.mcycle(), v)); }},
  {csr::mcycleh,  [](const Hart& h) { return high(h.mcycle()); },
                  [](Hart& h, uint32_t v) { h.write_mcycle(with_high(h.mcycle(), v)); }},
  {csr::minstret, [](const Hart& h) { return low(h.minstret()); },
                  [](Hart& h, uint32_t v) { write_minstret(h, with_low(h.minstret(), v)); }},
  {csr::minstreth,[](const Hart& h) { return high(h.minstret()); },
                  [](Hart& h, uint32_t v) { write_minstret(h, with_high(h.minstret(), v)); }},
  // Unprivileged read-only shadows (Zicntr).
  {csr::cycle,    [](const Hart& h) { return low(h.mcycle()); }, nullptr},
  {csr::cycleh,   [](const Hart& h) { return high(h.mcycle()); }, nullptr},
  {csr::time,     [](const Hart& h) { return low(h.read_time()); }, nullptr},
  {csr::timeh,    [](const Hart& h) { return high(h.read_time()); }, nullptr},
  {csr::instret,  [](const Hart& h) { return low(h.minstret()); }, nullptr},
  {csr::instreth, [](const Hart& h) { return high(h.minstret()); }, nullptr},
  {csr::pmpcfg0 + 0, read_pmpcfg<0>, write_pmpcfg<0>}, {csr::pmpcfg0 + 1, read_pmpcfg<1>, write_pmpcfg<1>},
  {csr::pmpcfg0 + 2, read_pmpcfg<2>, write_pmpcfg<2>}, {csr::pmpcfg0 + 3, read_pmpcfg<3>, write_pmpcfg<3>},
  {csr::pmpaddr0 + 0, read_pmpaddr<0>, write_pmpaddr<0>}, {csr::pmpaddr0 + 1, read_pmpaddr<1>, write_pmpaddr<1>},
  {csr::pmpaddr0 + 2, read_pmpaddr<2>, write_pmpaddr<2>}, {csr::pmpaddr0 + 3, read_pmpaddr<3>, write_pmpaddr<3>},
  {csr::pmpaddr0 + 4, read_pmpaddr<4>, write_pmpaddr<4>}, {csr::pmpaddr0 + 5, read_pmpaddr<5>, write_pmpaddr<5>},
  {csr::pmpaddr0 + 6, read_pmpaddr<6>, write_pmpaddr<6>}, {csr::pmpaddr0 + 7, read_pmpaddr<7>, write_pmpaddr<7>},
  {csr::pmpaddr0 + 8, read_pmpaddr<8>, write_pmpaddr<8>}, {csr::pmpaddr0 + 9, read_pmpaddr<9>, write_pmpaddr<9>},
  {csr::pmpaddr0 + 10, read_pmpaddr<10>, write_pmpaddr<10>}, {csr::pmpaddr0 + 11, read_pmpaddr<11>, write_pmpaddr<11>},
  {csr::pmpaddr0 + 12, read_pmpaddr<12>, write_pmpaddr<12>}, {csr::pmpaddr0 + 13, read_pmpaddr<13>, write_pmpaddr<13>},
  {csr::pmpaddr0 + 14, read_pmpaddr<14>, write_pmpaddr<14>}, {csr::pmpaddr0 + 15, read_pmpaddr<15>, write_pmpaddr<15>},
  // Trigger module (debug spec 1.0, 5.5). tdata3 (textra32) is all zero:
  // no extra match conditions. tinfo ignores writes.
  {csr::tselect,  [](const Hart& h) { return h.triggers().tselect(); },
                  [](Hart& h, uint32_t v) { h.triggers().write_tselect(v); }},
  {csr::tdata1,   [](const Hart& h) { return h.triggers().read_tdata1(); },
                  [](Hart& h, uint32_t v) {
                    h.triggers().write_tdata1(v);
                    h.update_checks();
                  }},
  {csr::tdata2,   [](const Hart& h) { return h.triggers().read_tdata2(); },
                  [](Hart& h, uint32_t v) { h.triggers().write_tdata2(v); }},
  {csr::tdata3,   [](const Hart&) { return 0u; }, [](Hart&, uint32_t) {}},
  {csr::tinfo,    [](const Hart&) { return Triggers::tinfo(); }, [](Hart&, uint32_t) {}},
  // ID registers: 0 means "not implemented / non-commercial" (3.1.2-3.1.4).
  {csr::mvendorid,[](const Hart&) { return 0u; }, nullptr},
  {csr::marchid,  [](const Hart&) { return 0u; }, nullptr},
  {csr::mimpid,   [](const Hart&) { return 0u; }, nullptr},
  {csr::mhartid,  [](const Hart& h) { return h.hartid(); }, nullptr},
};
// clang-format on

constexpr size_t kCsrCount = sizeof(kCsrs) / sizeof(kCsrs[0]);

// Address -> row, built once, so a CSR instruction costs one load.
const CsrRow* find_csr(uint16_t addr) {
  static const auto index = [] {
    std::array<int8_t, 4096> idx;
    idx.fill(-1);
    for (size_t i = 0; i < kCsrCount; ++i)
      idx[kCsrs[i].addr] = static_cast<int8_t>(i);
    return idx;
  }();
  if (addr >= index.size() || index[addr] < 0)
    return nullptr;
  return &kCsrs[index[addr]];
}

// Names objdump (binutils 2.40) prints for CSR numbers in objects built for
// privileged spec 1.11, which is what gas records for our firmware. Ranges
// expand to prefix<N>suffix for N = first .. first+count-1.
struct CsrName {
  uint16_t addr;
  const char* name;
  uint8_t first = 0;
  uint8_t count = 0;  // 0: a single name
  const char* suffix = "";
};

// clang-format off
const CsrName kNames[] = {
  // User level (N extension in 1.11), F, V, Zkr.
  {0x000, "ustatus"}, {0x001, "fflags"}, {0x002, "frm"}, {0x003, "fcsr"}, {0x004, "uie"},
  {0x005, "utvec"}, {0x008, "vstart"}, {0x009, "vxsat"}, {0x00a, "vxrm"}, {0x00f, "vcsr"},
  {0x015, "seed"}, {0x040, "uscratch"}, {0x041, "uepc"}, {0x042, "ucause"}, {0x043, "utval"},
  {0x044, "uip"},
  // Supervisor, Smstateen, Sstc, AIA.
  {0x100, "sstatus"}, {0x102, "sedeleg"}, {0x103, "sideleg"}, {0x104, "sie"}, {0x105, "stvec"},
  {0x106, "scounteren"}, {0x10c, "sstateen", 0, 4}, {0x114, "sieh"}, {0x140, "sscratch"},
  {0x141, "sepc"}, {0x142, "scause"}, {0x143, "stval"}, {0x144, "sip"}, {0x14d, "stimecmp"},
  {0x150, "siselect"}, {0x151, "sireg"}, {0x154, "siph"}, {0x15c, "stopei"},
  {0x15d, "stimecmph"}, {0x180, "satp"},
  // Virtual supervisor (H extension).
  {0x200, "vsstatus"}, {0x204, "vsie"}, {0x205, "vstvec"}, {0x214, "vsieh"},
  {0x240, "vsscratch"}, {0x241, "vsepc"}, {0x242, "vscause"}, {0x243, "vstval"},
  {0x244, "vsip"}, {0x24d, "vstimecmp"}, {0x250, "vsiselect"}, {0x251, "vsireg"},
  {0x254, "vsiph"}, {0x25c, "vstopei"}, {0x25d, "vstimecmph"}, {0x280, "vsatp"},
  // Machine trap setup and handling.
  {0x300, "mstatus"}, {0x301, "misa"}, {0x302, "medeleg"}, {0x303, "mideleg"}, {0x304, "mie"},
  {0x305, "mtvec"}, {0x306, "mcounteren"}, {0x308, "mvien"}, {0x309, "mvip"},
  {0x30c, "mstateen", 0, 4}, {0x313, "midelegh"}, {0x314, "mieh"}, {0x318, "mvienh"},
  {0x319, "mviph"}, {0x31c, "mstateen", 0, 4, "h"}, {0x320, "mcountinhibit"},
  {0x323, "mhpmevent", 3, 29}, {0x340, "mscratch"}, {0x341, "mepc"}, {0x342, "mcause"},
  {0x343, "mtval"}, {0x344, "mip"}, {0x350, "miselect"}, {0x351, "mireg"}, {0x354, "miph"},
  {0x35c, "mtopei"},
  // Physical memory protection (1.11: 4 cfg, 16 addr).
  {0x3a0, "pmpcfg", 0, 4}, {0x3b0, "pmpaddr", 0, 16},
  {0x5a8, "scontext"},
  // Hypervisor.
  {0x600, "hstatus"}, {0x602, "hedeleg"}, {0x603, "hideleg"}, {0x604, "hie"},
  {0x605, "htimedelta"}, {0x606, "hcounteren"}, {0x607, "hgeie"}, {0x608, "hvien"},
  {0x609, "hvictl"}, {0x60a, "henvcfg"}, {0x60c, "hstateen", 0, 4}, {0x613, "hidelegh"},
  {0x615, "htimedeltah"}, {0x618, "hvienh"}, {0x61a, "henvcfgh"}, {0x61c, "hstateen", 0, 4, "h"},
  {0x643, "htval"}, {0x644, "hip"}, {0x645, "hvip"}, {0x646, "hviprio1"}, {0x647, "hviprio2"},
  {0x64a, "htinst"}, {0x655, "hviph"}, {0x656, "hviprio1h"}, {0x657, "hviprio2h"},
  {0x680, "hgatp"}, {0x6a8, "hcontext"},
  {0x723, "mhpmevent", 3, 29, "h"},
  // Debug and trigger module.
  {0x7a0, "tselect"}, {0x7a1, "tdata1"}, {0x7a2, "tdata2"}, {0x7a3, "tdata3"}, {0x7a4, "tinfo"},
  {0x7a5, "tcontrol"}, {0x7a8, "mcontext"}, {0x7aa, "mscontext"}, {0x7b0, "dcsr"},
  {0x7b1, "dpc"}, {0x7b2, "dscratch0"}, {0x7b3, "dscratch1"},
  // Counters.
  {0xb00, "mcycle"}, {0xb02, "minstret"}, {0xb03, "mhpmcounter", 3, 29},
  {0xb80, "mcycleh"}, {0xb82, "minstreth"}, {0xb83, "mhpmcounter", 3, 29, "h"},
  {0xc00, "cycle"}, {0xc01, "time"}, {0xc02, "instret"}, {0xc03, "hpmcounter", 3, 29},
  {0xc20, "vl"}, {0xc21, "vtype"}, {0xc22, "vlenb"},
  {0xc80, "cycleh"}, {0xc81, "timeh"}, {0xc82, "instreth"}, {0xc83, "hpmcounter", 3, 29, "h"},
  {0xda0, "scountovf"}, {0xdb0, "stopi"}, {0xe12, "hgeip"}, {0xeb0, "vstopi"},
  // Machine information.
  {0xf11, "mvendorid"}, {0xf12, "marchid"}, {0xf13, "mimpid"}, {0xf14, "mhartid"},
  {0xfb0, "mtopi"},
};
// clang-format on

}  // namespace

std::string_view csr::name(uint16_t addr) {
  static const auto names = [] {
    std::unordered_map<uint16_t, std::string> m;
    for (const CsrName& n : kNames) {
      if (n.count == 0) {
        m.emplace(n.addr, n.name);
        continue;
      }
      for (unsigned i = 0; i < n.count; ++i)
        m.emplace(n.addr + i, n.name + std::to_string(n.first + i) + n.suffix);
    }
    return m;
  }();
  auto it = names.find(addr);
  return it == names.end() ? std::string_view{} : std::string_view{it->second};
}

// csr[9:8] is the lowest mode that may touch a CSR (privileged 2.1). In U
// mode the counters also need their mcounteren bit (3.1.12).
bool Hart::csr_allowed(uint16_t addr) const {
  if (((addr >> 8) & 3) > static_cast<unsigned>(priv_))
    return false;
  const bool counter = (addr & 0xf60) == 0xc00;  // 0xc00-0xc1f, 0xc80-0xc9f
  return !(counter && priv_ == Priv::user && !((csr_.mcounteren >> (addr & 0x1f)) & 1));
}

bool Hart::csr_read(uint16_t addr, uint32_t& value) const {
  const CsrRow* row = find_csr(addr);
  if (!row || !csr_allowed(addr))
    return false;
  value = row->read(*this);
  return true;
}

bool Hart::csr_write(uint16_t addr, uint32_t value) {
  const CsrRow* row = find_csr(addr);
  // csr[11:10] == 0b11 marks a read-only CSR; writing one is an illegal
  // instruction (privileged spec 2.1).
  if (!row || (addr >> 10) == 3 || !row->write || !csr_allowed(addr))
    return false;
  row->write(*this, value);
  return true;
}

std::vector<uint16_t> csr::implemented() {
  std::vector<uint16_t> all;
  for (const CsrRow& row : kCsrs) all.push_back(row.addr);
  return all;
}

bool debug_csr_read(const Hart& h, uint16_t addr, uint32_t& value) {
  const CsrRow* row = find_csr(addr);
  if (!row) return false;
  value = row->read(h);
  return true;
}

bool debug_csr_write(Hart& h, uint16_t addr, uint32_t value) {
  const CsrRow* row = find_csr(addr);
  if (!row || (addr >> 10) == 3 || !row->write) return false;
  row->write(h, value);
  return true;
}

}  // namespace spinlab::isa

// The shared bus, an sc_module: one transaction in flight, routed by an
// address map to the target sockets bound to `devices`. What an access does
// (loads, stores, LR/SC, AMOs as one indivisible read-modify-write while the
// bus is held) is isa::perform, and the LR reservations live here; the
// targets only read and write. The harts' requests come in on `harts` (one
// b_transport per transaction, its BusAccess extension saying which hart and
// which request); arbitration and timing are driven by the Machine's
// scheduler, which owns time.
//
// RAM is reached through its DMI pointer (read at start of simulation), so a
// RAM access costs a range test and a memcpy; every other target gets a
// b_transport with one reused payload, and the latency it annotates is how
// long the bus is held.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include "isa/mem.h"
#include "models/timing.h"

namespace spinlab::models {

using spinlab::Arbitration;
class Device;

struct BusStats {
  uint64_t transactions = 0;
  uint64_t wait_cycles = 0;  // cycles between asking for the bus and getting it
  uint64_t hold_cycles = 0;  // cycles holding it
};

// What rides on a hart's transaction: who asks, what, and the answer.
struct BusAccess : tlm::tlm_extension<BusAccess> {
  unsigned hart = 0;
  isa::MemRequest request;
  isa::MemResponse response;
  uint32_t latency_cycles = 0;  // the annotated delay in cycles, so the cluster need not divide
  tlm::tlm_extension_base* clone() const override { return new BusAccess(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const BusAccess&>(e); }
};

// The harts' side is a plain target socket bound to the bus itself: one
// virtual call per transaction.
class Bus : public sc_core::sc_module, public isa::Target, public tlm::tlm_fw_transport_if<> {
 public:
  struct Mapping {
    std::string name;
    uint32_t base;
    uint32_t size;
    unsigned socket;          // index into `devices`
    const Device* device;     // a built-in device (nullptr: one plugged in)
    uint32_t latency_cycles;  // what an access costs that never reaches the target (a failed SC)
  };

  tlm::tlm_target_socket<32> harts;
  tlm_utils::multi_passthrough_initiator_socket<Bus, 32> devices;

  Bus(sc_core::sc_module_name name, unsigned harts, Arbitration arbitration, const sc_core::sc_time& period);

  // Maps `target` at [base, base + size) and binds it. Throws
  // std::invalid_argument naming both when the range overlaps a mapping's.
  void map(const std::string& name, uint32_t base, uint32_t size, tlm::tlm_target_socket<32>& target,
           const Device* device, uint32_t latency_cycles);
  // A built-in device at its own range, with its own latency.
  void map(Device& d);
  const Mapping* route(uint32_t addr) const;
  const std::vector<Mapping>& mappings() const { return map_; }

  // Performs r for `hart` as one transaction; `latency_cycles` is how long the
  // bus is held (an address with no device still costs one cycle to find out).
  isa::MemResponse access(unsigned hart, const isa::MemRequest& r, uint32_t& latency_cycles);
  // The built-in device the last transaction went to (nullptr: RAM, none or
  // one plugged in).
  const Device* last_device() const { return last_device_; }
  // Whether `addr` is in the DMI region (RAM): an access there touches no device.
  bool direct(uint32_t addr) const { return addr - dmi_base_ < dmi_size_; }
  // The DMI region: what the harts fetch from. Valid from start of simulation.
  const uint8_t* dmi_bytes() const { return dmi_ptr_; }
  uint32_t dmi_base() const { return dmi_base_; }
  uint32_t dmi_size() const { return dmi_size_; }
  // Reads or writes through transport_dbg: no side effects (a PLIC claim
  // register reads without claiming). False where nothing answers.
  bool debug_read(uint32_t addr, unsigned size, uint32_t& value);
  // `len` bytes at `addr` read (or written) through the target's
  // transport_dbg, for a debugger: no effects, no time. False unless one
  // target holds them all and answers for every byte.
  bool debug_transfer(uint32_t addr, uint8_t* data, uint32_t len, bool write);

  // Which of the harts whose bit is set in `requesting` gets the bus next.
  unsigned arbitrate(const std::vector<unsigned>& requesting);
  void record(unsigned hart, uint64_t wait_cycles, uint32_t hold_cycles);

  isa::Reservations& reservations() { return reservations_; }
  const std::vector<BusStats>& stats() const { return stats_; }

  // isa::Target: routes each part of an access by address (isa::perform).
  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;

  // Asks the targets for DMI, once; the first grant becomes the fast path.
  // At start of simulation, or earlier when someone needs the pointer then.
  void acquire_dmi();
  void start_of_simulation() override;

  // tlm_fw_transport_if, the harts' side: b_transport carries a BusAccess;
  // the rest is not offered there (the harts fetch through DMI on their own).
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase&, sc_core::sc_time&) override {
    gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return tlm::TLM_COMPLETED;
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) override { return false; }
  unsigned int transport_dbg(tlm::tlm_generic_payload&) override { return 0; }

 private:
  bool dmi_read(uint32_t addr, unsigned size, uint32_t& value) const;
  bool forward(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value);

  std::vector<Mapping> map_;
  // The targets' forward interfaces, [Mapping::socket], taken at binding so
  // the bus works before elaboration ends (tests) and costs one call after.
  std::vector<tlm::tlm_fw_transport_if<>*> targets_;
  isa::Reservations reservations_;
  Arbitration arbitration_;
  unsigned last_owner_;
  std::vector<BusStats> stats_;
  sc_core::sc_time period_;
  // The fast path: RAM's bytes, granted by DMI.
  uint8_t* dmi_ptr_ = nullptr;
  uint32_t dmi_base_ = 0;
  uint32_t dmi_size_ = 0;
  uint32_t dmi_latency_cycles_ = 1;
  sc_core::sc_time dmi_latency_;
  bool dmi_asked_ = false;
  // The transaction in progress: its payload (reused, no allocation), the
  // delay its first target call annotated, and its built-in device.
  tlm::tlm_generic_payload gp_;
  tlm::tlm_generic_payload dbg_gp_;
  sc_core::sc_time first_delay_;
  bool called_ = false;
  const Device* last_device_ = nullptr;
};

}  // namespace spinlab::models

// What every built-in device of the platform is: an sc_module with a TLM-2.0
// target socket on the 32-bit bus. The bus hands each access to the socket
// with the address as an offset from the device's base; the device's own
// register code (read/write, isa::Target) sees bus addresses, as the
// firmware's memmap.h names them.
//
//   b_transport:   does the access (a read can have effects: a PLIC claim)
//                  and adds the device's latency, cycles x clock period, to
//                  the annotated delay;
//   transport_dbg: the same read without effects (peek), for the monitor,
//                  tracing and a debugger; writes only where they have none
//                  beyond memory (RAM).
//
// A device keeps its own time: what it does later (a timer compare, a frame
// arriving) is an sc_event it notifies for itself, and its SC_METHOD drives
// its interrupt lines (sc_out<bool>). The machine never names a device: it
// learns of their next activity from SystemC, and asks them through the
// virtual questions below (can_raise, exit_request).
#pragma once

#include <cstdint>
#include <optional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::models {

class Device : public sc_core::sc_module, public isa::Target {
 public:
  tlm_utils::simple_target_socket<Device, 32> socket;

  // `base`, `size`: the bus range the device answers to.
  Device(sc_core::sc_module_name name, uint32_t base, uint32_t size);

  uint32_t base() const { return base_; }
  uint32_t size() const { return size_; }
  // What one access costs: `cycles` of `period` each, added by b_transport.
  void set_latency(uint32_t cycles, const sc_core::sc_time& period);
  uint32_t latency_cycles() const { return latency_cycles_; }
  const sc_core::sc_time& period() const { return period_; }

  // A read without side effects (transport_dbg). The default is read(), for
  // the devices whose reads change nothing.
  virtual bool peek(uint32_t addr, unsigned size, uint32_t& value) { return read(addr, size, value); }
  // A write for transport_dbg: only where writing has no effect beyond the
  // stored bytes (RAM). The default refuses.
  virtual bool poke(uint32_t, unsigned, uint32_t) { return false; }
  // Whether the device, left alone, can still raise interrupt `irq` of hart
  // `hart` (an armed timer, events still to come). The machine's "asleep"
  // stop asks every device; false: it never will.
  virtual bool can_raise(unsigned /*hart*/, isa::Interrupt /*irq*/) const { return false; }
  // The exit code the last write asked the run to end with (the test
  // finisher), nullopt for none.
  virtual std::optional<int> exit_request() const { return std::nullopt; }
  // RAM grants DMI; nothing else does.
  virtual bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) { return false; }

  // The cycle the device is at: the machine's cycle counter when one was
  // given (set_cycle_source), else SystemC's clock.
  uint64_t cycle_now() const { return cycle_ ? *cycle_ : sc_cycle(); }
  // The machine's cycle counter. The machine then brings SystemC's clock up
  // to it only for the device's events, not for each access: SystemC may lag
  // behind it (never past a pending event), and what the device does at an
  // access is dated by the counter. Unset in a user's sc_main.
  void set_cycle_source(const uint64_t* cycle) { cycle_ = cycle; }
  // How far ahead cycle `at` is, as a SystemC delay from SystemC's clock.
  sc_core::sc_time cycles_from_now(uint64_t at) const;
  // Arms `e` for cycle `at` alone (~0: for nothing). A cycle beyond SystemC's
  // last time is armed at that time instead: the device wakes then, finds
  // nothing due and arms again (no run gets that far).
  void notify_at_cycle(sc_core::sc_event& e, uint64_t at) const;

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& d) { return get_direct_mem_ptr(gp, d); }
  uint64_t sc_cycle() const { return sc_core::sc_time_stamp().value() / period_.value(); }

  uint32_t base_;
  uint32_t size_;
  uint32_t latency_cycles_ = 1;
  sc_core::sc_time period_{10, sc_core::SC_NS};
  sc_core::sc_time latency_{10, sc_core::SC_NS};
  const uint64_t* cycle_ = nullptr;
};

}  // namespace spinlab::models

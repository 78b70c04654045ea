// A countdown timer with an interrupt output: a user's own TLM-2.0 model,
// written against SystemC and TLM alone. It knows nothing of spinlab; the
// platform maps its socket at an address and wires `irq` to an interrupt
// controller, here or in any other TLM platform.
//
// Registers, 32 bits each, at offsets from its base (word accesses only):
//   0x00 LOAD      rw  ticks from enabling to expiry (and between expiries)
//   0x04 CTRL      rw  bit 0 ENABLE, bit 1 PERIODIC, bit 2 IRQ_ENABLE;
//                      writing ENABLE 0 -> 1 starts a countdown from LOAD,
//                      writing it 1 -> 0 stops it
//   0x08 STATUS    r   bit 0 EXPIRED: a countdown reached 0 since the last ack
//                  w   write 1 to bit 0 to acknowledge (clear) it
//   0x0c COUNT     r   ticks left in the running countdown (0 when stopped)
//   0x10 EXPIRIES  r   countdowns that reached 0 since reset
// irq = STATUS.EXPIRED && CTRL.IRQ_ENABLE: a level, high until acknowledged.
//
// The timer keeps its own time: a countdown is an sc_event notified at the
// sc_time it ends, not a counter ticked every cycle.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace example {

class Timer : public sc_core::sc_module {
 public:
  static constexpr uint32_t kLoad = 0x00, kCtrl = 0x04, kStatus = 0x08, kCount = 0x0c, kExpiries = 0x10;
  static constexpr uint32_t kEnable = 1u << 0, kPeriodic = 1u << 1, kIrqEnable = 1u << 2;
  static constexpr uint32_t kExpired = 1u << 0;
  // The register window it decodes: offsets are taken modulo this, so it
  // works whether the bus hands it offsets (the TLM convention) or whole
  // addresses at a base aligned to it.
  static constexpr uint32_t kWindow = 0x1000;

  tlm_utils::simple_target_socket<Timer, 32> socket;
  sc_core::sc_out<bool> irq;

  // `tick`: the time one count takes; `latency`: what an access costs the
  // initiator, annotated on b_transport.
  Timer(sc_core::sc_module_name name, sc_core::sc_time tick, sc_core::sc_time latency);

  // The registers as a reader sees them at sc_time `at` (for tests and
  // transport_dbg): no side effect.
  uint32_t peek(uint32_t offset, sc_core::sc_time at) const;

 private:
  SC_HAS_PROCESS(Timer);
  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& tx);
  // A register write taking effect at sc_time `at`.
  void write(uint32_t offset, uint32_t value, sc_core::sc_time at);
  // SC_METHOD on expired_: the countdown reached 0.
  void on_expiry();
  void start(sc_core::sc_time at);
  // SC_METHOD on level_changed_: drives irq. The line has one writer, this
  // process: b_transport runs in the initiator's process, so a register
  // write only notifies level_changed_ (SystemC refuses a signal two
  // processes write).
  void drive_irq();

  const sc_core::sc_time tick_;
  const sc_core::sc_time latency_;
  uint32_t load_ = 0;
  uint32_t ctrl_ = 0;
  uint32_t status_ = 0;
  uint32_t expiries_ = 0;
  sc_core::sc_time ends_at_;  // when the running countdown reaches 0
  sc_core::sc_event expired_;
  sc_core::sc_event level_changed_;
};

}  // namespace example

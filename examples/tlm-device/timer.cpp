// The timer's behaviour (timer.h has its registers). Loosely timed: an access
// takes effect at the initiator's local time, sc_time_stamp() + delay, and
// costs it `latency`, which b_transport adds to the delay.
#include "timer.h"

#include <cstring>

namespace example {

using sc_core::sc_time;

Timer::Timer(sc_core::sc_module_name name, sc_time tick, sc_time latency)
    : sc_module(name), socket("socket"), irq("irq"), tick_(tick), latency_(latency) {
  socket.register_b_transport(this, &Timer::b_transport);
  socket.register_transport_dbg(this, &Timer::transport_dbg);
  SC_METHOD(on_expiry);
  sensitive << expired_;
  dont_initialize();
  SC_METHOD(drive_irq);
  sensitive << level_changed_;
  dont_initialize();
}

uint32_t Timer::peek(uint32_t offset, sc_time at) const {
  switch (offset % kWindow) {
    case kLoad: return load_;
    case kCtrl: return ctrl_;
    case kStatus: return status_;
    case kExpiries: return expiries_;
    case kCount: {
      if (!(ctrl_ & kEnable) || load_ == 0 || at >= ends_at_) return 0;
      // Ticks left, rounded up: a count reads LOAD right at the start and 1
      // during the last tick.
      const sc_time left = ends_at_ - at;
      return static_cast<uint32_t>((left.value() + tick_.value() - 1) / tick_.value());
    }
    default: return 0;
  }
}

void Timer::b_transport(tlm::tlm_generic_payload& tx, sc_time& delay) {
  const uint64_t offset = tx.get_address() % kWindow;
  // Word accesses to a register only: what a driver does. Anything else is
  // an error the initiator sees (a bus error), not a silent no-op.
  if (tx.get_data_length() != 4 || tx.get_streaming_width() < 4) {
    tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (tx.get_byte_enable_ptr()) {
    tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (offset % 4 != 0 || offset > kExpiries) {
    tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const sc_time at = sc_core::sc_time_stamp() + delay;
  uint32_t value = 0;
  if (tx.is_read()) {
    value = peek(static_cast<uint32_t>(offset), at);
    std::memcpy(tx.get_data_ptr(), &value, 4);  // the host is little-endian, as RISC-V
  } else if (tx.is_write()) {
    std::memcpy(&value, tx.get_data_ptr(), 4);
    write(static_cast<uint32_t>(offset), value, at);
  }
  delay += latency_;
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Reads without side effects (a debugger, a trace); registers are not
// written this way, since every write has one. Returns the bytes transferred.
unsigned Timer::transport_dbg(tlm::tlm_generic_payload& tx) {
  if (!tx.is_read()) return 0;
  const sc_time now = sc_core::sc_time_stamp();
  unsigned char* data = tx.get_data_ptr();
  for (unsigned i = 0; i < tx.get_data_length(); ++i) {
    const uint32_t offset = static_cast<uint32_t>((tx.get_address() + i) % kWindow);
    data[i] = static_cast<unsigned char>(peek(offset & ~3u, now) >> (8 * (offset & 3u)));
  }
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
  return tx.get_data_length();
}

void Timer::write(uint32_t offset, uint32_t value, sc_time at) {
  switch (offset) {
    case kLoad: load_ = value; break;  // used from the next start or period
    case kCtrl: {
      const uint32_t was = ctrl_;
      ctrl_ = value & (kEnable | kPeriodic | kIrqEnable);
      if ((ctrl_ & kEnable) && !(was & kEnable)) start(at);
      if (!(ctrl_ & kEnable)) expired_.cancel();
      break;
    }
    case kStatus: status_ &= ~(value & kExpired); break;
    default: break;  // COUNT and EXPIRIES are read-only
  }
  level_changed_.notify(sc_core::SC_ZERO_TIME);  // the line follows in the next delta cycle
}

// A countdown from LOAD, starting at `at`. LOAD 0 counts nothing: no expiry.
void Timer::start(sc_time at) {
  expired_.cancel();
  if (load_ == 0) return;
  ends_at_ = at + sc_time::from_value(tick_.value() * load_);  // exact: no floating point
  expired_.notify(ends_at_ - sc_core::sc_time_stamp());
}

void Timer::on_expiry() {
  status_ |= kExpired;
  ++expiries_;
  if (ctrl_ & kPeriodic)
    start(sc_core::sc_time_stamp());  // the next period counts from this expiry: no drift
  else
    ctrl_ &= ~kEnable;
  level_changed_.notify(sc_core::SC_ZERO_TIME);
}

// The line is a level: high while an expiry is unacknowledged and enabled.
void Timer::drive_irq() { irq.write((status_ & kExpired) && (ctrl_ & kIrqEnable)); }

}  // namespace example

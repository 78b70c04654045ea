#include "models/device_base.h"

#include <cstring>

namespace spinlab::models {

Device::Device(sc_core::sc_module_name name, uint32_t base, uint32_t size)
    : sc_module(name), socket("socket"), base_(base), size_(size) {
  socket.register_b_transport(this, &Device::b_transport);
  socket.register_transport_dbg(this, &Device::transport_dbg);
  socket.register_get_direct_mem_ptr(this, &Device::dmi);
}

void Device::set_latency(uint32_t cycles, const sc_core::sc_time& period) {
  latency_cycles_ = cycles;
  period_ = period;
  latency_ = sc_core::sc_time::from_value(period.value() * cycles);
}

sc_core::sc_time Device::cycles_from_now(uint64_t at) const {
  const uint64_t now = sc_cycle();
  return at <= now ? sc_core::SC_ZERO_TIME : sc_core::sc_time::from_value(period_.value() * (at - now));
}

void Device::notify_at_cycle(sc_core::sc_event& e, uint64_t at) const {
  e.cancel();
  if (at == ~uint64_t{0}) return;
  const uint64_t last = sc_core::sc_max_time().value() / period_.value() / 2;
  e.notify(cycles_from_now(at < last ? at : last));
}

// One access of 1, 2 or 4 bytes (the bus splits a misaligned one); the
// address is the offset from base. The latency is charged even when the
// device refuses: the bus was held to find out.
void Device::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  delay += latency_;
  const unsigned len = gp.get_data_length();
  if (len == 0 || len > 4 || gp.get_byte_enable_ptr() || gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const uint32_t addr = base_ + static_cast<uint32_t>(gp.get_address());
  uint32_t v = 0;
  bool ok = false;
  if (gp.is_read()) {
    ok = read(addr, len, v);
    if (ok) std::memcpy(gp.get_data_ptr(), &v, len);  // the host is little-endian like RISC-V
  } else if (gp.is_write()) {
    std::memcpy(&v, gp.get_data_ptr(), len);
    ok = write(addr, len, v);
  }
  gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// Any length, a word at a time where aligned and a byte otherwise; returns
// the bytes done, stopping at the first refusal.
unsigned int Device::transport_dbg(tlm::tlm_generic_payload& gp) {
  const unsigned len = gp.get_data_length();
  uint8_t* data = gp.get_data_ptr();
  const uint32_t start = base_ + static_cast<uint32_t>(gp.get_address());
  unsigned done = 0;
  while (done < len) {
    const uint32_t addr = start + done;
    const unsigned n = (addr & 3) == 0 && len - done >= 4 ? 4 : 1;
    uint32_t v = 0;
    if (gp.is_read()) {
      if (!peek(addr, n, v)) break;
      std::memcpy(data + done, &v, n);
    } else {
      std::memcpy(&v, data + done, n);
      if (!poke(addr, n, v)) break;
    }
    done += n;
  }
  return done;
}

}  // namespace spinlab::models

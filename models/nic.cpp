#include "models/nic.h"

#include "firmware/include/memmap.h"

namespace spinlab::models {

Nic::Nic(sc_core::sc_module_name name, const NicSpec& spec, uint32_t base, Ram& ram)
    : Device(name, base, NIC_STRIDE), irq_out("irq"), spec_(spec), ram_(ram), gen_(spec.seed) {
  next_ = spec_.first_cycle;
  SC_METHOD(drive);
  sensitive << changed_ << frame_;
}

uint64_t Nic::draw(uint64_t lo, uint64_t hi) {
  const uint64_t span = hi - lo + 1;  // at most 2^32 where it is used
  return lo + ((static_cast<uint64_t>(gen_()) * span) >> 32);
}

// The line is level: high while an enabled status bit is set.
void Nic::drive() {
  fire(cycle_now());
  irq_out.write(line());
  notify_at_cycle(frame_, next_);
}

void Nic::fire(uint64_t now) {
  while (next_ <= now) {
    deliver();
    plan_next();
  }
}

// The draws happen in frame order whatever the driver does, so the same seed
// gives the same frames (lengths and arrival cycles) in every run.
void Nic::plan_next() {
  if (spec_.count != 0 && seq_ >= spec_.count) {
    next_ = kNever;
    return;
  }
  if (++in_burst_ < spec_.burst_frames) {
    next_ += spec_.burst_gap_cycles;
    return;
  }
  in_burst_ = 0;
  const uint64_t j = spec_.gap_jitter_cycles;
  next_ += j ? draw(spec_.gap_cycles - j, spec_.gap_cycles + j) : spec_.gap_cycles;
}

bool Nic::ring_in_ram() const {
  const uint64_t end = uint64_t{ring_base_} + uint64_t{ring_size_} * NIC_DESC_BYTES;
  return ring_size_ != 0 && ring_base_ >= ram_.base() && end <= uint64_t{ram_.base()} + ram_.size();
}

void Nic::deliver() {
  const uint32_t seq = static_cast<uint32_t>(seq_++);
  const uint32_t length = static_cast<uint32_t>(draw(spec_.frame_min_bytes, spec_.frame_max_bytes));
  // One slot stays empty, so HEAD == TAIL means empty and never full.
  if (!ring_in_ram() || (head_ + 1) % ring_size_ == tail_) {
    ++overruns_;
    irq_status_ |= NIC_IRQ_OVERRUN;
  } else {
    const uint32_t slot = ring_base_ + head_ * NIC_DESC_BYTES;
    ram_.write(slot, 4, length);
    ram_.write(slot + 4, 4, seq);
    head_ = (head_ + 1) % ring_size_;
    ++received_;
    irq_status_ |= NIC_IRQ_RX;
  }
}

bool Nic::read(uint32_t addr, unsigned size, uint32_t& value) {
  if (size != 4) return false;
  switch (addr - base()) {
    case NIC_RING_BASE: value = ring_base_; break;
    case NIC_RING_SIZE: value = ring_size_; break;
    case NIC_HEAD: value = head_; break;
    case NIC_TAIL: value = tail_; break;
    case NIC_IRQ_STATUS: value = irq_status_; break;
    case NIC_IRQ_ENABLE: value = irq_enable_; break;
    case NIC_RX_FRAMES: value = static_cast<uint32_t>(received_); break;
    case NIC_OVERRUNS: value = static_cast<uint32_t>(overruns_); break;
    default: value = 0; break;
  }
  return true;
}

bool Nic::write(uint32_t addr, unsigned size, uint32_t value) {
  if (size != 4) return false;
  constexpr uint32_t kIrqBits = NIC_IRQ_RX | NIC_IRQ_OVERRUN;
  switch (addr - base()) {
    // A new ring starts empty: the device and the driver both at slot 0.
    case NIC_RING_BASE:
      ring_base_ = value & ~(NIC_DESC_BYTES - 1);
      head_ = tail_ = 0;
      break;
    case NIC_RING_SIZE:
      if (value > NIC_RING_MAX) break;  // ignored: the ring keeps its size
      ring_size_ = value;
      head_ = tail_ = 0;
      break;
    case NIC_TAIL:
      if (ring_size_) tail_ = value % ring_size_;
      break;
    case NIC_IRQ_STATUS: irq_status_ &= ~(value & kIrqBits); break;
    case NIC_IRQ_ENABLE: irq_enable_ = value & kIrqBits; break;
    default: break;
  }
  if (sc_core::sc_is_running()) changed_.notify(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace spinlab::models

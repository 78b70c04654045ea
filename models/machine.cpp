#include "models/machine.h"

#include <algorithm>
#include <string>

#include "firmware/include/memmap.h"

namespace spinlab::models {

namespace {
constexpr uint64_t kNever = ~uint64_t{0};
// How often SystemC's clock is brought up to the machine's cycle counter.
constexpr uint64_t kSyncCycles = 1u << 20;
}  // namespace

const char* to_string(StopReason r) {
  switch (r) {
    case StopReason::running: return "running";
    case StopReason::finisher: return "the firmware wrote the test finisher";
    case StopReason::tohost: return "the firmware wrote tohost";
    case StopReason::cycle_limit: return "the cycle limit was reached";
    case StopReason::asleep: return "every hart sleeps in wfi and nothing can wake one";
  }
  return "?";
}

Machine::Machine(sc_core::sc_module_name name, const MachineSpec& spec)
    : sc_module(name),
      spec_(spec),
      ram_(RAM_BASE, spec.ram_bytes),
      uart_(spec.console),
      clint_(spec.harts, spec.mtime_divider, &now_),
      plic_(spec.plic_sources, spec.harts),
      irq_(spec.irq_sources, plic_),
      bus_(spec.harts, spec.arbitration),
      period_(1e12 / static_cast<double>(spec.clock_hz), sc_core::SC_PS) {
  uart_.set_base(UART0_BASE);
  bus_.map("ram", RAM_BASE, spec.ram_bytes, &ram_, spec.latency.ram);
  bus_.map("uart", UART0_BASE, UART0_SIZE, &uart_, spec.latency.uart);
  bus_.map("finisher", FINISHER_BASE, FINISHER_SIZE, &finisher_, spec.latency.finisher);
  bus_.map("clint", CLINT_BASE, CLINT_SIZE, &clint_, spec.latency.clint);
  bus_.map("plic", PLIC_BASE, PLIC_SIZE, &plic_, spec.latency.plic);
  bus_.map("irqsrc", IRQSRC_BASE, IRQSRC_SIZE, &irq_, spec.latency.irqsrc);
  for (unsigned h = 0; h < spec.harts; ++h) {
    std::string n = "hart" + std::to_string(h);
    cores_.push_back(std::make_unique<Core>(n.c_str(), h, spec_.cost));
    isa::Hart& hart = cores_.back()->hart;
    hart.set_code_memory(ram_.code());
    hart.set_misaligned_allowed(spec.misaligned_emulate);
    hart.set_time_source(&clint_);
  }
  requesting_.reserve(spec.harts);
  SC_THREAD(scheduler);
}

Machine::~Machine() = default;

bool Machine::load(uint32_t addr, const uint8_t* data, uint32_t size) { return ram_.load(addr, data, size); }

void Machine::reset(uint32_t entry) {
  for (auto& c : cores_) {
    c->hart.reset(entry);
    c->phase = Core::Phase::ready;
    c->at = 0;
  }
  now_ = 0;
  update_interrupts(0);
}

void Machine::run() {
  sc_core::sc_start();
  uart_.flush();
}

void Machine::stop(StopReason why, int code) {
  stop_reason_ = why;
  exit_code_ = code;
}

// The earliest cycle at which any core other than `except` acts.
uint64_t Machine::next_event(const Core* except) const {
  uint64_t t = next_device_;
  for (const auto& c : cores_) {
    if (c.get() == except) continue;
    if (c->phase == Core::Phase::ready) t = std::min(t, c->at);
    else if (c->phase == Core::Phase::bus_wait) t = std::min(t, std::max(c->at, bus_free_at_));
  }
  return t;
}

// Gives the bus to one of the cores asking for it at `now` and performs the
// access at once: the whole transaction (an AMO's read and write included)
// happens while this core holds the bus, so nothing can come between.
void Machine::grant(uint64_t now) {
  requesting_.clear();
  for (const auto& c : cores_)
    if (c->phase == Core::Phase::bus_wait && c->at <= now) requesting_.push_back(c->hart.hartid());
  if (requesting_.empty()) return;
  unsigned h = requesting_.size() == 1 ? requesting_.front() : bus_.arbitrate(requesting_);
  Core& c = *cores_[h];
  const isa::MemRequest r = c.hart.mem_request();
  uint32_t latency = 0;
  isa::MemResponse resp = bus_.access(h, r, latency);
  bus_.record(h, now - c.at, latency);
  bus_free_at_ = now + latency;
  c.finish_access(now, latency, resp);

  // A claim is a read that changes the PLIC; CLINT and PLIC writes move
  // interrupt lines. Either way the harts' mip must follow at once.
  if (r.addr - PLIC_BASE < PLIC_SIZE || (resp.wrote && (r.addr - CLINT_BASE < CLINT_SIZE || r.addr - IRQSRC_BASE < IRQSRC_SIZE)))
    update_interrupts(now);
  if (!resp.wrote) return;
  if (auto code = finisher_.exit_code()) {
    now_ = now + latency;
    stop(StopReason::finisher, *code);
  } else if (spec_.tohost && (r.addr & ~3u) == *spec_.tohost) {
    uint32_t value = 0;
    ram_.read(*spec_.tohost, 4, value);
    if (value & 1) {
      now_ = now + latency;
      stop(StopReason::tohost, static_cast<int>(value >> 1));
    }
  }
}

// Runs core `c` alone for as long as nothing else can happen first: every
// other event is at `limit` or later, and c's steps before then touch only
// its own registers (memory goes through the bus, which waits for grant()).
void Machine::run_core(Core& c, uint64_t limit) {
  do {
    now_ = c.at;  // what the CLINT's mtime reads
    c.step(c.at);
  } while (c.phase == Core::Phase::ready && c.at < limit);
}

void Machine::scheduler() {
  while (stop_reason_ == StopReason::running) {
    uint64_t t = next_event(nullptr);
    if (t == kNever) {
      stop(StopReason::asleep, 0);
      break;
    }
    if (t >= spec_.max_cycles) {
      now_ = spec_.max_cycles;
      stop(StopReason::cycle_limit, 0);
      break;
    }
    now_ = t;
    if (next_device_ <= t) {
      if (irq_.next_event() <= t) irq_.fire(t);
      update_interrupts(t);
    }
    if (bus_free_at_ <= t) grant(t);
    if (stop_reason_ != StopReason::running) break;
    for (auto& c : cores_) {
      if (c->phase != Core::Phase::ready || c->at != t) continue;
      uint64_t limit = std::min(next_event(c.get()), spec_.max_cycles);
      run_core(*c, limit);
    }
    if (now_ - synced_ >= kSyncCycles) sync_systemc();
  }
  sync_systemc();
  sc_core::sc_stop();
}

void Machine::update_interrupts(uint64_t now) {
  next_timer_ = kNever;
  for (auto& c : cores_) {
    unsigned h = c->hart.hartid();
    c->hart.set_pending(isa::Interrupt::software, clint_.msip(h));
    bool mtip = clint_.mtip_at(h, now);
    c->hart.set_pending(isa::Interrupt::timer, mtip);
    c->hart.set_pending(isa::Interrupt::external, plic_.meip(h));
    if (!mtip) next_timer_ = std::min(next_timer_, clint_.mtip_rises_at(h));
    if (c->phase == Core::Phase::asleep && c->hart.wakeup_pending()) c->wake(now);
  }
  next_device_ = std::min(next_timer_, irq_.next_event());
}

void Machine::sync_systemc() {
  if (now_ > synced_) sc_core::wait(period_ * static_cast<double>(now_ - synced_));
  synced_ = now_;
}

}  // namespace spinlab::models

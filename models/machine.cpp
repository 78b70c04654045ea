#include "models/machine.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "firmware/include/memmap.h"
#include "models/sanitizer_stack.h"

namespace spinlab::models {

namespace {
constexpr uint64_t kNever = ~uint64_t{0};

BusKind bus_kind(isa::MemOp op) {
  return op == isa::MemOp::load || op == isa::MemOp::lr ? BusKind::read
         : op == isa::MemOp::store                      ? BusKind::write
                                                        : BusKind::amo;
}

// A traced word at `addr` (word-aligned) is written by r, when r writes.
bool touches(const isa::MemRequest& r, uint32_t addr) { return (r.addr & ~3u) <= addr && addr < r.addr + r.size; }

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
    case StopReason::deadlock: return "deadlock detected";
    case StopReason::killed: return "the debugger killed the run";
    case StopReason::interrupted: return "interrupted (SIGINT, SIGTERM or a closed standard output)";
  }
  return "?";
}

Machine::Machine(sc_core::sc_module_name name, const MachineSpec& spec)
    : sc_module(name),
      spec_(spec),
      period_(static_cast<double>(cycle_picoseconds(spec.clock_hz)), sc_core::SC_PS),
      msip_("msip", spec.harts),
      mtip_("mtip", spec.harts),
      meip_("meip", spec.harts),
      lines_("line", spec.plic_sources + 1),
      line_owner_(spec.plic_sources + 1),
      ram_(RAM_BASE, spec.ram_bytes),
      uart_(UART0_BASE, spec.console),
      clint_(spec.harts, spec.mtime_divider, &now_),
      plic_(spec.plic_sources, spec.harts),
      irq_(spec.irq_sources),
      bus_("bus", spec.harts, spec.arbitration, period_),
      bus_port_("bus_port") {
  const Latencies& l = spec.latency;
  ram_.set_latency(l.ram, period_);
  uart_.set_latency(l.uart, period_);
  finisher_.set_latency(l.finisher, period_);
  clint_.set_latency(l.clint, period_);
  plic_.set_latency(l.plic, period_);
  irq_.set_latency(l.irqsrc, period_);
  devices_ = {&ram_, &uart_, &finisher_, &clint_, &plic_, &irq_};
  for (size_t i = 0; i < spec.nics.size(); ++i) {
    const uint32_t base = NIC_BASE + NIC_STRIDE * static_cast<uint32_t>(i);
    nics_.push_back(std::make_unique<Nic>(spec.nics[i].name.c_str(), spec.nics[i], base, ram_));
    nics_.back()->set_latency(l.nic, period_);
    devices_.push_back(nics_.back().get());
  }
  // Built-in devices date what they do by the cycle counter: an access needs
  // no sync of SystemC's clock (transact).
  for (Device* d : devices_) d->set_cycle_source(&now_);
  // The address map: RAM first, so the rare miss of the DMI range is found fast.
  for (Device* d : devices_) bus_.map(*d);
  // Interrupt lines: devices -> PLIC sources -> harts, CLINT -> harts.
  for (unsigned s = 1; s <= spec.plic_sources; ++s) plic_.irq_in[s - 1].bind(lines_[s]);
  for (size_t i = 0; i < spec.irq_sources.size(); ++i) {
    const IrqSourceSpec& src = spec.irq_sources[i];
    irq_.irq_out[i].bind(lines_[src.line]);
    line_owner_[src.line] = src.name.empty() ? "irqsrc" : src.name;
  }
  for (auto& n : nics_) {
    n->irq_out.bind(lines_[n->spec().line]);
    line_owner_[n->spec().line] = n->spec().name;
  }
  for (unsigned h = 0; h < spec.harts; ++h) {
    clint_.msip_out[h].bind(msip_[h]);
    clint_.mtip_out[h].bind(mtip_[h]);
    plic_.meip_out[h].bind(meip_[h]);
  }
  bus_port_.bind(bus_.harts);
  hart_gp_.set_extension(&access_);
  for (unsigned h = 0; h < spec.harts; ++h) {
    std::string n = "hart" + std::to_string(h);
    cores_.push_back(std::make_unique<Core>(n.c_str(), h, spec_.cost));
    isa::Hart& hart = cores_.back()->hart;
    hart.set_misaligned_allowed(spec.misaligned_emulate);
    hart.set_compressed(spec.compressed);
    hart.set_pmp_granularity(spec.pmp_granularity_bytes);
    hart.set_time_source(&clint_);
  }
  if (spec.tohost) {
    Htif::Warn warn = spec.htif_warn ? spec.htif_warn : [](unsigned, uint32_t, const std::string&) {};
    htif_ = std::make_unique<Htif>(ram_, *spec.tohost, spec.fromhost, spec.console, std::move(warn));
  }
  requesting_.reserve(spec.harts);
  one_cycle_ = !spec.skip_idle;
  SC_THREAD(scheduler);
}

// The payload would free an extension still set; this one is a member.
Machine::~Machine() { hart_gp_.clear_extension(&access_); }

// The harts fetch from RAM's DMI pointer, which the bus holds from now on.
void Machine::start_of_simulation() {
  bus_.acquire_dmi();  // whichever start_of_simulation comes first
  for (auto& c : cores_) c->hart.set_code_memory({bus_.dmi_bytes(), bus_.dmi_base(), bus_.dmi_size()});
}

void Machine::attach(const DeviceMapping& m, const DevicePorts& p) {
  if (!p.socket) throw std::invalid_argument("device " + m.name + ": no target socket");
  if (p.irq && m.irq_line != 0) {
    if (m.irq_line > spec_.plic_sources)
      throw std::invalid_argument("device " + m.name + ": interrupt line " + std::to_string(m.irq_line) +
                                  " is not a PLIC source (1.." + std::to_string(spec_.plic_sources) + ")");
    if (!line_owner_[m.irq_line].empty())
      throw std::invalid_argument("device " + m.name + ": interrupt line " + std::to_string(m.irq_line) +
                                  " is already " + line_owner_[m.irq_line] + "'s");
  }
  bus_.map(m.name, m.base, m.size, *p.socket, nullptr, 1);
  if (p.irq && m.irq_line == 0) {
    unwired_.push_back(std::make_unique<sc_core::sc_signal<bool>>(sc_core::sc_gen_unique_name("unwired")));
    p.irq->bind(*unwired_.back());
  } else if (p.irq) {
    p.irq->bind(lines_[m.irq_line]);
    line_owner_[m.irq_line] = m.name;
    attached_irq_ = true;
  }
}

std::optional<uint32_t> Machine::peek(uint32_t addr) const {
  uint32_t v = 0;
  return bus_.debug_read(addr & ~3u, 4, v) ? std::optional<uint32_t>(v) : std::nullopt;
}

bool Machine::load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros) {
  return ram_.load(addr, data, size, zeros);
}

void Machine::reset(uint32_t entry) {
  for (auto& c : cores_) {
    c->hart.reset(entry);
    c->phase = spec_.start_hart0_only && c->hart.hartid() != 0 ? Core::Phase::held : Core::Phase::ready;
    c->at = 0;
    c->issued_at = kNever;  // no step yet
    c->reset_contexts();
    c->exceptions = {};
  }
  now_ = 0;
  if (capturing()) start_capture();
  if (wants_ & Hooks::kWaveform) {
    traced_lines_.assign(plic_.sources() + 1, 0);
    for (uint32_t addr : spec_.watch) trace_word(0, addr);
    for (const auto& c : cores_)
      if (c->phase == Core::Phase::held)
        for (Hooks* k : waveform_hooks_) k->stall(0, c->hart.hartid(), Stall::wfi);
  }
  update_interrupts(0);
}

void Machine::run() {
  while (run_until_stop().why != StopInfo::Why::run_ended) {
  }
}

StopInfo Machine::run_until_stop() {
  debug_.resume();
  if (!sc_core::sc_end_of_simulation_invoked()) {
    // Whatever follows may throw: AddressSanitizer must know the stack first.
    try {
      sc_core::sc_start();
    } catch (...) {
      resync_sanitizer_stack();
      throw;
    }
    resync_sanitizer_stack();
  }
  uart_.flush();
  if (debug_.stopped()) return debug_.last_stop();
  StopInfo s;
  s.pc = cores_[0]->hart.pc();
  s.cycle = now_;
  s.ended = stop_reason_;
  return s;
}

bool Machine::peek(uint32_t addr, uint8_t* data, uint32_t len) const { return bus_.debug_transfer(addr, data, len, false); }

// The predecode cache needs no word of this: a hit is checked against the
// bytes fetched now (isa/hart.h).
bool Machine::poke(uint32_t addr, const uint8_t* data, uint32_t len) {
  return bus_.debug_transfer(addr, const_cast<uint8_t*>(data), len, true);
}

void Machine::hold(unsigned i) {
  Core& c = *cores_.at(i);
  if (c.phase == Core::Phase::stilled) return;
  // A hold moves harts' times in ways no step shows: a waveform waiting for
  // its first cycle is told the state now and hears every change from here.
  if (capturing()) go_live(now_ + 1);
  // Stopped at its own boundary: it meets that boundary again when released
  // (a second event there, and a breakpoint there stops it again).
  if (debug_.parked() == static_cast<int>(i)) history_changed_ = true;
  holding_ = one_cycle_ = true;
  c.stilled_from = c.phase;
  c.phase = Core::Phase::stilled;
  stale_ = true;
}

// A held hart goes on from where it was: its next event stays where it
// was, or comes now if it fell due while held. The hold changed nothing
// when no held hart was due before now (at now: after the hart stopped at
// its boundary, in hart order), no interrupt woke one, and none waited for
// the bus meanwhile; else the run is no longer the one without holds.
void Machine::release_holds() {
  if (!holding_) return;
  const int parked = debug_.parked();
  for (auto& p : cores_) {
    Core& c = *p;
    if (c.phase != Core::Phase::stilled) continue;
    c.phase = c.stilled_from;
    const unsigned h = c.hart.hartid();
    bool exact = true;
    switch (c.phase) {
      case Core::Phase::ready:
        exact = c.at > now_ || (c.at == now_ && parked >= 0 && h > static_cast<unsigned>(parked));
        break;
      case Core::Phase::bus_wait: exact = c.at > now_; break;
      case Core::Phase::asleep: exact = !c.hart.wakeup_pending(); break;
      case Core::Phase::held: exact = !msip_[h].read(); break;
      case Core::Phase::stilled: break;
    }
    history_changed_ = history_changed_ || !exact;
    if (c.phase == Core::Phase::ready || c.phase == Core::Phase::bus_wait) c.at = std::max(c.at, now_);
    // Woken by what became pending while it was held (update_interrupts
    // kept its mip, but wakes only those asleep or not started).
    if ((c.phase == Core::Phase::asleep && c.hart.wakeup_pending()) ||
        (c.phase == Core::Phase::held && msip_[h].read()))
      c.wake(now_);
  }
  holding_ = false;
  stale_ = true;
}

void Machine::stop(StopReason why, int code) {
  stop_reason_ = why;
  exit_code_ = code;
}

// The cycle at which core c acts next: steps, or asks for the bus (not
// before the bus is free); kNever while it sleeps or is held.
uint64_t Machine::core_event(const Core& c) const {
  if (c.phase == Core::Phase::ready) return c.at;
  if (c.phase == Core::Phase::bus_wait) return std::max(c.at, bus_free_at_);
  return kNever;
}

// The earliest cycle at which any core acts, and (bus_next) the earliest at
// which one asks for the bus.
uint64_t Machine::core_events(uint64_t& bus_next) const {
  uint64_t t = kNever;
  bus_next = kNever;
  for (const auto& c : cores_) {
    t = std::min(t, core_event(*c));
    if (c->phase == Core::Phase::bus_wait) bus_next = std::min(bus_next, c->at);
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
  // Every grant goes through arbitration, so round-robin always knows the
  // last owner, contested or not.
  unsigned h = bus_.arbitrate(requesting_);
  Core& c = *cores_[h];
  const isa::MemRequest r = c.hart.mem_request();
  uint32_t latency = 0;
  // The monitor wants the word a store overwrites: read without effects,
  // and only in memory the bus reaches directly (DMI: RAM), where locks live.
  const bool hart_events = wants_ & Hooks::kHartEvents;
  uint32_t old_value = 0;
  if (hart_events && r.op != isa::MemOp::load && bus_.direct(r.addr)) bus_.debug_read(r.addr & ~3u, 4, old_value);
  const bool capturing = this->capturing();
  if (capturing) {
    capture(c, c.hart.csrs().mip);
    if (r.op != isa::MemOp::load && r.op != isa::MemOp::lr)
      for (size_t i = 0; i < spec_.watch.size(); ++i)
        if (touches(r, spec_.watch[i])) ram_.read(spec_.watch[i], 4, watched_[i].before);
  }
  if (ahead_until_ >= now) [[unlikely]]
    if (reaches_runners(r)) undo_ahead(now, 0);
  isa::MemResponse resp = transact(h, r, latency);
  bus_.record(h, now - c.at, latency);
  bus_free_at_ = now + latency;
  isa::StepStatus status = c.finish_access(now, latency, resp);
  if (capturing) {
    Shown& s = shown_[h];
    s.after = Shown::After::granted;
    s.at = now;
    last_grant_ = {now, now + latency, static_cast<int>(h), r.addr, bus_kind(r.op)};
    if (resp.wrote)
      for (size_t i = 0; i < spec_.watch.size(); ++i) {
        Watched& w = watched_[i];
        if (touches(r, spec_.watch[i])) {
          ram_.read(spec_.watch[i], 4, w.value);
          w.at = now + latency;
        }
      }
  }
  if (wants_ & Hooks::kSteps)
    for (Hooks* k : step_hooks_) k->step(now, c.hart, status, &r, &resp);
  if (hart_events) {
    const uint32_t old = r.op == isa::MemOp::load ? resp.rdata : old_value, pc = c.hart.last_pc();
    for (Hooks* k : hart_event_hooks_) k->access(now, h, pc, r, resp, old);
    observe(c, status, now);
  }
  if (wants_ & Hooks::kWaveform) {
    const BusKind kind = bus_kind(r.op);
    for (Hooks* k : waveform_hooks_) {
      k->stall(now, h, Stall::bus);
      k->bus(now, static_cast<int>(h), r.addr, kind);
      k->bus(now + latency, -1, 0, BusKind::idle);
    }
    if (resp.wrote)
      for (uint32_t addr : spec_.watch)
        if (touches(r, addr)) trace_word(now + latency, addr);
  }
  after_transaction(now, h, r, resp, latency);
  if (ahead_until_ >= now) [[unlikely]]
    if (stop_reason_ != StopReason::running) undo_ahead(now, 0);
  if (debug_.armed() && stop_reason_ == StopReason::running) debug_.after_access(h, c.hart.last_pc(), r, resp, now);
}

// The bus transaction itself: one b_transport into the bus, which routes r
// to its target and performs it. A plugged-in device sees SystemC's clock at
// this cycle: its register write arms its events from here. A built-in one
// reads the cycle counter (Device::set_cycle_source), so SystemC's clock
// stays where it is: a sync is two coroutine switches and a pass of the
// kernel, ~1000 host instructions (callgrind). RAM is reached
// through the DMI pointer the bus holds, as TLM-2.0 allows an initiator
// granted DMI: no payload, no extension lookup (a fifth of an idle hart's
// cost went to them, callgrind).
__attribute__((always_inline)) inline isa::MemResponse Machine::transact(unsigned h, const isa::MemRequest& r,
                                                                         uint32_t& latency) {
  if (bus_.direct(r.addr)) return bus_.access(h, r, latency);
  const Bus::Mapping* m = bus_.route(r.addr);
  if (m && !m->device) sync_to(now_);
  access_.hart = h;
  access_.request = r;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  bus_port_->b_transport(hart_gp_, delay);
  latency = access_.latency_cycles;  // = delay / period_
  return access_.response;
}

// What a transaction done at `now` changes beyond memory: interrupt lines,
// and the end of the run (a device asking for it, tohost).
void Machine::after_transaction(uint64_t now, unsigned h, const isa::MemRequest& r, const isa::MemResponse& resp,
                                uint32_t latency) {
  if (!bus_.direct(r.addr)) {
    // A device access can move lines (a claim is a read that does): they
    // settle in delta cycles at SystemC's clock (at or before this cycle,
    // with nothing pending between), and the harts' mip follows.
    settle();
    update_interrupts(now);
    if (!resp.wrote) return;
    if (const Device* d = bus_.last_device())
      if (std::optional<int> code = d->exit_request()) {
        now_ = now + latency;
        stop(StopReason::finisher, *code);
      }
  } else if (resp.wrote && htif_ && htif_->hits(r.addr)) {
    if (std::optional<int> code = htif_->store(r.addr, r.size, h, cores_[h]->hart.last_pc())) {
      now_ = now + latency;
      stop(StopReason::tohost, *code);
    }
  }
}

// One step of core c at its cycle, and everything that hears of it. Always
// inlined: a call costs ~13 host instructions of register saves, a fifth of
// a busy hart's step (callgrind).
template <bool kHooks>
__attribute__((always_inline)) inline bool Machine::step_core(Core& c, const isa::Hart::Decoded* e) {
  now_ = c.at;  // what the CLINT's mtime reads
  if (kHooks && debug_.armed()) {
    debug_.before_step(c);
    if (c.phase == Core::Phase::stilled) return false;  // held at the boundary it stopped at: not stepped
  }
  // With hooks the debugger may have moved the pc: the entry is looked up here.
  isa::StepStatus status = kHooks ? c.step(c.at) : c.step(c.at, e);
  // An external interrupt's context names the PLIC source its handler will claim.
  if (status == isa::StepStatus::interrupt &&
      (c.hart.csrs().mcause & 0xffff) == static_cast<uint32_t>(isa::Interrupt::external))
    c.set_context_source(external_source(c.hart.hartid()));
  // A memory instruction finishes at its bus grant (grant() reports it).
  if (kHooks && (wants_ & Hooks::kSteps) && status != isa::StepStatus::memory)
    for (Hooks* k : step_hooks_) k->step(c.issued_at, c.hart, status, nullptr, nullptr);
  if (kHooks && (wants_ & Hooks::kWaveform)) trace_step(c);
  // observe() acts on traps, mret, wfi, sp and MIE changes: most steps
  // are none of these and skip the call. The tests are combined without
  // short-circuits: one branch instead of four.
  if (wants_ & Hooks::kHartEvents) {
    const isa::Hart& h = c.hart;
    const bool plain = status == isa::StepStatus::retired && h.cost() != isa::Cost::mret;
    const unsigned untold =
        unsigned{!plain} | unsigned{h.x(2) != c.observed_sp} | unsigned{h.csrs().mstatus_mie() != c.observed_mie};
    if (untold) {
      observe(c, status, c.issued_at);
      return true;
    }
  }
  return false;
}

// Core c's next steps may be plain ones (Machine::run_plain).
__attribute__((always_inline)) inline bool Machine::plain_ok(const Core& c) const {
  const isa::Hart& h = c.hart;
  return h.plain_ready() &&
         (!(wants_ & Hooks::kHartEvents) || (h.x(2) == c.observed_sp && h.csrs().mstatus_mie() == c.observed_mie));
}

// A hart's plain instructions come out the same whatever the other harts
// do meanwhile, but for a store into them and the end of the run. Not an
// interrupt either: a hart's interrupt inputs change only at a device's
// event (`cap` is before the next) and at a device access (which undoes
// the run first), so none becomes pending before the cycle it ran to.
// Returns `cap`, or 0 when no hart may run ahead (a core's plain
// instructions come only while plain_ok and without hooks).
inline uint64_t Machine::ahead_cap(uint64_t cap) const { return run_ahead_ && !one_cycle_ && !capturing() ? cap : 0; }

// Runs core `c` alone for as long as nothing else can happen first: every
// other event is at `limit` or later, and c's steps before then touch only
// its own registers (memory goes through the bus, which waits for grant()).
// Without hooks, a run of plain instructions (isa::Hart::plain_entry) goes
// through Core::run_plain: what step_core<false> would do for each. A plain
// step changes neither sp nor MIE, so the hart-event hooks hear of none of
// them as long as they have heard of both as they are (plain_ok; after an
// `auipc sp` they have not: observe() waits for the instruction that
// completes sp).
void Machine::run_core(Core& c, uint64_t limit, uint64_t cap) {
  // Without hooks a step skips their tests (three loads and branches a
  // step). They are asked again only after a call to the hart-event hooks,
  // the one call a hookless step makes (step_core).
  bool hooks = hooked();
  do {
    if (hooks) {
      step_core<true>(c, nullptr);
      continue;
    }
    // The entry is looked up once, for the plain run or the step.
    const isa::Hart::Decoded* e = c.hart.entry();
    if (e && e->plain && plain_ok(c)) {
      c.run_plain(e, limit);
      now_ = c.issued_at;  // what step_core leaves: the cycle of the last step
    } else if (step_core<false>(c, e)) {
      hooks = hooked();
      if (stop_reason_ != StopReason::running && ahead_until_ >= c.issued_at)
        undo_ahead(c.issued_at, c.hart.hartid() + 1);
    }
    // A request to RAM due before `limit`, with the bus free: the next pass
    // of the scheduler's loop would grant it first thing at its cycle (no
    // other core acts and no device event is due by then), so it is granted
    // here. A device's register is left to the loop: its access can move
    // the device's next event, which `limit` was taken from.
    // Not a store into code another core ran ahead through: grant() would
    // move that core back before `limit`.
    if (c.phase == Core::Phase::bus_wait && !hooks && c.at < limit && bus_free_at_ <= c.at &&
        stop_reason_ == StopReason::running && bus_.direct(c.hart.mem_request().addr) &&
        !(ahead_until_ >= c.at && reaches_runners(c.hart.mem_request()))) {
      now_ = c.at;
      grant(c.at);
      hooks = hooked();  // the hart-event hooks heard the access
    }
  } while (c.phase == Core::Phase::ready && c.at < limit && stop_reason_ == StopReason::running);
  // Its next event is the earliest of all: it may go on past the others'.
  if (c.at < cap && c.phase == Core::Phase::ready && !hooks && stop_reason_ == StopReason::running)
    take_ahead_chance(c, cap);
}

// A run ahead costs a copy of the hart's registers; a spin loop's one or
// two plain instructions between its accesses do not repay it. So after a
// short run the core steps as before for its next kAheadBackOff chances.
// (Which way it goes changes no result, only the host time.) Inline: the
// back-off is counted on the hot paths, the run itself is out of line.
inline void Machine::take_ahead_chance(Core& c, uint64_t cap) {
  if (c.ahead_back_off) --c.ahead_back_off;
  else run_ahead(c, cap);
}

__attribute__((noinline)) void Machine::run_ahead(Core& c, uint64_t cap) {
  if (!plain_ok(c)) return;
  if (const isa::Hart::Decoded* d = c.hart.plain_entry()) {
    const uint64_t before = c.hart.minstret();
    c.run_ahead(d, cap, ahead_lo_, ahead_hi_);
    ahead_until_ = std::max(ahead_until_, c.issued_at);
    ++ahead_stats_.runs;
    if (c.hart.minstret() - before < kAheadShortRun) c.ahead_back_off = kAheadBackOff;
  }
}

// A device access may do anything (a DMA into code, an interrupt line); a
// store into RAM matters where a core ran ahead (an instruction is at most
// four bytes).
__attribute__((noinline)) bool Machine::reaches_runners(const isa::MemRequest& r) const {
  if (!bus_.direct(r.addr)) return true;
  return r.op != isa::MemOp::load && r.op != isa::MemOp::lr && r.addr <= ahead_hi_ + 3 && r.addr + r.size > ahead_lo_;
}

__attribute__((noinline)) void Machine::undo_ahead(uint64_t cycle, size_t first_after) {
  for (size_t i = 0; i < cores_.size(); ++i) {
    Core& c = *cores_[i];
    const uint64_t from = i < first_after ? cycle + 1 : cycle;
    if (c.ahead && c.issued_at >= from) c.back_to(from), ++ahead_stats_.undone;
    c.ahead = false;
  }
  ahead_until_ = 0;
  stale_ = true;  // a core's next event moved back
}

// Busy harts in lock-step: from cycle u on, cycle by cycle, the harts ready
// at a cycle step once each in hart order, for as long as each cycle is one
// the scheduler's loop would spend on nothing else (no device event, no bus
// grant, no limit, sync or progress report due) and at least two cores act
// within a cycle of each other (else one of them can run ahead, which the
// loop does better). That is the order the loop gives them, cycle, then
// hart, without its per-cycle limits and suffix minima; m2 is the second
// earliest core event (a tie: equal to u). Returns the earliest core event
// after the last cycle run, bus_next the earliest bus request.
uint64_t Machine::lockstep(uint64_t u, uint64_t m2, uint64_t& bus_next) {
  // The loop would next do something else than step harts at the first
  // cycle due for a device event, the cycle limit or a grant (the bus free
  // and a request due); and it syncs or reports progress after a cycle run
  // at or past `after` (now_ is the cycle last run).
  const uint64_t end = std::min({next_device_, spec_.max_cycles, switch_at_});
  const uint64_t after = std::min(progress_at_, synced_ + kSyncCycles);
  const uint64_t cap = ahead_cap(std::min(end, progress_at_));
  // Asked again only after a call to the hart-event hooks, the one call a
  // hookless step makes (step_core).
  bool hooks = hooked();
  // Without hooks, a core whose next steps may be plain (plain_ok) takes
  // each plain one without step_core. What plain_ok tests changes only by
  // the core's own other steps while the harts are in lock-step: no device
  // or bus acts on them.
  // plain_[i]: 1 yes, 0 no, 2 not asked yet (asked when a plain entry
  // comes: code that is mostly not plain never asks).
  const size_t n = cores_.size();
  std::fill(plain_.begin(), plain_.end(), 2);
  while (u < std::min(end, std::max(bus_free_at_, bus_next)) && m2 <= u + 1 && now_ < after) {
    uint64_t m1 = kNever;
    m2 = kNever;
    bus_next = kNever;
    // A core is ready at u (the earliest event, and no grant is due by
    // then): the cycle last run is u whichever steps.
    now_ = u;
    for (size_t i = 0; i < n; ++i) {
      Core& c = *cores_[i];
      if (c.phase == Core::Phase::ready && c.at == u) {
        // The entry is looked up once, for the plain step or the step.
        const isa::Hart::Decoded* d = hooks ? nullptr : c.hart.entry();
        if (d && d->plain && (plain_[i] == 1 || (plain_[i] == 2 && (plain_[i] = plain_ok(c))))) {
          c.step_plain(*d, u);
          if (c.at < cap) take_ahead_chance(c, cap);
          const uint64_t e = c.at;  // still ready
          if (e < m2) m2 = e < m1 ? m1 : e, m1 = std::min(m1, e);
          continue;
        }
        if (hooks) {
          step_core<true>(c, nullptr);
        } else if (step_core<false>(c, d)) {
          hooks = hooked();
          if (stop_reason_ != StopReason::running && ahead_until_ >= u) undo_ahead(u, i + 1);
        }
        if (stop_reason_ != StopReason::running) return u;  // the loop ends the run
        plain_[i] = 2;
      }
      const uint64_t e = core_event(c);
      if (e < m2) m2 = e < m1 ? m1 : e, m1 = std::min(m1, e);
      if (c.phase == Core::Phase::bus_wait) bus_next = std::min(bus_next, c.at);
    }
    u = m1;
  }
  return u;
}

bool Machine::can_wake() const {
  constexpr uint32_t kMtie = 1u << static_cast<unsigned>(isa::Interrupt::timer);
  constexpr uint32_t kMeie = 1u << static_cast<unsigned>(isa::Interrupt::external);
  for (const auto& c : cores_) {
    if (c->phase != Core::Phase::asleep) continue;
    const uint32_t mie = c->hart.csrs().mie;
    const unsigned h = c->hart.hartid();
    for (const Device* d : devices_) {
      if ((mie & kMtie) && d->can_raise(h, isa::Interrupt::timer)) return true;
      if ((mie & kMeie) && d->can_raise(h, isa::Interrupt::external)) return true;
    }
    // A plugged-in device cannot be asked: while SystemC has anything
    // pending, it may be what raises its line.
    if ((mie & kMeie) && attached_irq_ && next_device_ != kNever) return true;
  }
  return false;
}

void Machine::scheduler() {
  // The cores' earliest event and earliest bus request, kept from the end of
  // one cycle's pass to the start of the next, so that a cycle costs O(N)
  // however many harts are busy in it (the limits below were O(N) per hart).
  uint64_t cores_next = 0, bus_next = 0;
  const size_t n = cores_.size();
  later_.assign(n + 1, kNever);
  plain_.assign(n, 0);
  while (stop_reason_ == StopReason::running) {
    if (stale_) {
      cores_next = core_events(bus_next);
      stale_ = false;
      one_cycle_ = !spec_.skip_idle || holding_;
    }
    uint64_t t = std::min(next_device_, cores_next);
    // Only device events are left: if none of them can wake a sleeping hart,
    // nothing ever will (msip can only be written by a running hart).
    if (t == kNever || (t == next_device_ && cores_next == kNever && !can_wake())) {
      if (holding_) {  // a held hart still can: the holds end (Machine::hold)
        release_holds();
        continue;
      }
      stop(StopReason::asleep, 0);
      break;
    }
    if (!spec_.skip_idle) t = std::min(t, now_ + 1);
    // Every hart has stepped before switch_at_ and none at it or after.
    if (t >= switch_at_) go_live(switch_at_);
    if (t >= spec_.max_cycles) {
      now_ = spec_.max_cycles;
      stop(StopReason::cycle_limit, 0);
      break;
    }
    now_ = t;
    if (next_device_ <= t || !spec_.skip_idle) devices_at(t);
    // grant() looks only at requests due by t; bus_next is the earliest.
    if (bus_free_at_ <= t && bus_next <= t) grant(t);
    if (stop_reason_ != StopReason::running) break;
    // A core ready at t runs until the next event of any other core or
    // device: the earliest of the cores before it, as they are after running
    // this cycle, and of those after it, which have not run yet (later_).
    for (size_t i = n; i-- > 0;) later_[i] = std::min(later_[i + 1], core_event(*cores_[i]));
    // A lone hart runs until the next progress report at most: the next
    // iteration picks it up at the same cycle, so the history is the same.
    const uint64_t cap = std::min({next_device_, spec_.max_cycles, progress_at_, switch_at_});
    const uint64_t ahead = ahead_cap(cap);
    uint64_t before = kNever, second = kNever;
    bus_next = kNever;
    for (size_t i = 0; i < n; ++i) {
      Core& c = *cores_[i];
      if (c.phase == Core::Phase::ready && c.at == t) {
        if (stop_reason_ != StopReason::running) break;
        // next_device_ cannot move while cores run (only grant() and
        // devices_at() change devices), so cap holds for the whole pass.
        uint64_t limit = std::min(cap, std::min(before, later_[i + 1]));
        if (one_cycle_) limit = t + 1;
        run_core(c, limit, ahead);
      }
      const uint64_t e = core_event(c);
      if (e < second) second = e < before ? before : e, before = std::min(before, e);
      if (c.phase == Core::Phase::bus_wait) bus_next = std::min(bus_next, c.at);
    }
    cores_next = before;
    // Lock-step only pays when two cores act within a cycle of each other
    // and no grant is due first (the contended case: tested here, no call).
    if (second <= before + 1 && before < std::max(bus_free_at_, bus_next) && !one_cycle_ &&
        stop_reason_ == StopReason::running)
      cores_next = lockstep(before, second, bus_next);
    if (now_ - synced_ >= kSyncCycles) {
      sync_systemc();
      stale_ = true;  // whatever ran in SystemC's time may have woken a hart
    }
    if (now_ >= progress_at_) {
      progress_at_ = now_ + progress_every_;
      progress_(now_);
    }
  }
  if (capturing()) go_live(now_ + 1);  // the run ended before a window began
  for (Hooks* k : hooks_) k->finish(now_);
  sync_systemc();
  sc_core::sc_stop();
}

// The interrupt controller's source hart h would claim now (0: none): what
// an external interrupt's context names.
unsigned Machine::external_source(unsigned h) const { return plic_.claimable(h); }

// The devices' events due at `t` happen (SystemC runs up to t and settles),
// and the harts' interrupt inputs are read. Visited every cycle when
// skip_idle is off: SystemC only runs where something is pending.
void Machine::devices_at(uint64_t t) {
  if (next_device_ <= t) sync_to(t);
  update_interrupts(t);
}

void Machine::update_interrupts(uint64_t now) {
  for (auto& c : cores_) {
    unsigned h = c->hart.hartid();
    const bool msip = msip_[h].read();
    const uint32_t mip = c->hart.csrs().mip;
    c->hart.set_pending(isa::Interrupt::software, msip);
    c->hart.set_pending(isa::Interrupt::timer, mtip_[h].read());
    c->hart.set_pending(isa::Interrupt::external, meip_[h].read());
    bool wake = (c->phase == Core::Phase::asleep && c->hart.wakeup_pending()) ||
                (c->phase == Core::Phase::held && msip);
    if (capturing() && (wake || c->hart.csrs().mip != mip)) capture(*c, mip);
    if (wake) {
      c->wake(now);
      if (capturing()) shown_[h].after = Shown::After::woke, shown_[h].at = c->at;
      for (Hooks* k : waveform_hooks_) k->stall(c->at, h, Stall::none);
    }
  }
  // Before the run, the devices' methods have not run yet: the first cycle
  // looks (devices_at(0)).
  next_device_ = sc_core::sc_is_running() ? device_horizon() : 0;
  if (wants_ & Hooks::kWaveform) trace_lines(now);
}

uint64_t Machine::device_horizon() const {
  if (sc_core::sc_pending_activity_at_current_time()) return synced_;
  if (!sc_core::sc_pending_activity_at_future_time()) return kNever;
  const sc_core::sc_time d = sc_core::sc_time_to_pending_activity();
  return synced_ + (d.value() + period_.value() - 1) / period_.value();
}

void Machine::sync_to(uint64_t t) {
  if (t > synced_) {
    sc_core::wait(sc_core::sc_time::from_value(period_.value() * (t - synced_)));
    synced_ = t;
  }
  settle();
}

void Machine::settle() {
  while (sc_core::sc_pending_activity_at_current_time()) sc_core::wait(sc_core::SC_ZERO_TIME);
}

// SystemC's clock follows the cycle counter now and then, and at the end;
// never past a device's pending event (the run is over: no device acts).
void Machine::sync_systemc() {
  const uint64_t t = next_device_ == kNever || now_ < next_device_ ? now_ : next_device_ - 1;
  if (t > synced_) {
    sc_core::wait(sc_core::sc_time::from_value(period_.value() * (t - synced_)));
    synced_ = t;
  }
}

}  // namespace spinlab::models

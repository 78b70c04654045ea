// What the machine tells its hooks (models/hooks.h): adding and removing
// them, the hart events (traps, mret, wfi, stack switches, MIE), the
// waveform of each step, line and traced word, and for a waveform that
// waits for a later cycle (Hooks::waveform_from) the state kept meanwhile
// and reported when it goes live. The scheduler that calls these is
// models/machine.cpp.
#include "models/machine.h"

#include <algorithm>
#include <vector>

namespace spinlab::models {

namespace {
constexpr uint64_t kNever = ~uint64_t{0};
}  // namespace

void Machine::add_hooks(Hooks& h) {
  if (std::find(hooks_.begin(), hooks_.end(), &h) != hooks_.end()) return;
  hooks_.push_back(&h);
  const unsigned wants = h.wants();
  if (wants & Hooks::kHartEvents) hart_event_hooks_.push_back(&h);
  if (wants & Hooks::kSteps) step_hooks_.push_back(&h);
  if (wants & Hooks::kWaveform) {
    // A window's hook needs nothing before its first cycle but the state
    // there: go_live() reports it.
    if (const uint64_t from = h.waveform_from(); from > 0) {
      deferred_.push_back(&h);
      switch_at_ = std::min(switch_at_, from);
      if (deferred_.size() == 1) start_capture();
    } else {
      waveform_hooks_.push_back(&h);
    }
  }
  update_wants();
}

void Machine::remove_hooks(Hooks& h) {
  for (std::vector<Hooks*>* v : {&hooks_, &hart_event_hooks_, &step_hooks_, &waveform_hooks_, &deferred_})
    v->erase(std::remove(v->begin(), v->end(), &h), v->end());
  if (deferred_.empty()) switch_at_ = kNever;
  update_wants();
}

void Machine::update_wants() {
  wants_ = 0;
  if (!hart_event_hooks_.empty()) wants_ |= Hooks::kHartEvents;
  if (!step_hooks_.empty()) wants_ |= Hooks::kSteps;
  if (!waveform_hooks_.empty()) wants_ |= Hooks::kWaveform;
}

HartTrace Machine::trace_state(const Core& c) const {
  const isa::Hart& h = c.hart;
  HartTrace t;
  t.pc = h.last_pc();
  t.insn = h.last_bits();
  t.retired = h.minstret();
  t.mstatus_mie = h.csrs().mstatus_mie();
  t.mip = h.csrs().mip;
  t.mie = h.csrs().mie;
  t.irq_depth = c.irq_depth;
  t.context = c.context();
  t.priv = static_cast<uint8_t>(h.priv());
  // An instruction that takes more than one cycle shows as "multicycle" for
  // all of them, so the waveform marks it from the cycle it issued.
  t.stall = c.at > c.issued_at + 1 ? Stall::multicycle : Stall::none;
  return t;
}

void Machine::trace_step(const Core& c) {
  const isa::Hart& h = c.hart;
  const HartTrace t = trace_state(c);
  for (Hooks* k : waveform_hooks_) {
    k->hart(c.issued_at, h.hartid(), t);
    if (c.phase == Core::Phase::bus_wait) k->stall(c.at, h.hartid(), Stall::bus);
    else if (c.phase == Core::Phase::asleep) k->stall(c.at, h.hartid(), Stall::wfi);
  }
}

void Machine::start_capture() {
  shown_.assign(cores_.size(), Shown{});
  for (size_t i = 0; i < cores_.size(); ++i) shown_[i].held_at_reset = cores_[i]->phase == Core::Phase::held;
  last_grant_ = Grant{};
  watched_.assign(spec_.watch.size(), Watched{});
  for (size_t i = 0; i < spec_.watch.size(); ++i) ram_.read(spec_.watch[i], 4, watched_[i].value);
}

void Machine::capture(Core& c, uint32_t mip) {
  Shown& s = shown_[c.hart.hartid()];
  if (s.step == c.issued_at) return;  // kept since that step, or no step yet
  s.step = c.issued_at;
  s.state = trace_state(c);
  s.state.mip = mip;
  s.after = Shown::After::none;
}

// What trace_step, grant, update_interrupts and reset would have told the
// deferred hooks, as it stands before cycle `at`: each signal's last value
// with its date, and the values dated at `at` or later (a wait for the bus,
// its release, a traced word written with latency) after it.
void Machine::go_live(uint64_t at) {
  std::vector<Hooks*> live;
  live.swap(deferred_);
  switch_at_ = kNever;
  const uint64_t before = at > 0 ? at - 1 : 0;
  for (Hooks* k : live) {
    for (const auto& p : cores_) {
      const Core& c = *p;
      const unsigned h = c.hart.hartid();
      const Shown& s = shown_[h];
      const bool changed = s.step == c.issued_at;  // since its last step, by other than a step
      const Core::Phase phase = c.phase;           // none stilled: hold() goes live first
      if (c.issued_at != kNever) k->hart(c.issued_at, h, changed ? s.state : trace_state(c));
      else if (s.held_at_reset) k->stall(0, h, Stall::wfi);
      if (phase == Core::Phase::bus_wait) k->stall(c.at, h, Stall::bus);
      else if (phase == Core::Phase::asleep) k->stall(c.at, h, Stall::wfi);
      else if (phase == Core::Phase::ready && changed && s.after == Shown::After::granted)
        k->stall(s.at, h, Stall::bus);
      else if (phase == Core::Phase::ready && changed && s.after == Shown::After::woke) k->stall(s.at, h, Stall::none);
    }
    if (last_grant_.at != kNever) {
      k->bus(last_grant_.at, last_grant_.owner, last_grant_.addr, last_grant_.kind);
      k->bus(last_grant_.free_at, -1, 0, BusKind::idle);
    }
    for (unsigned s = 1; s <= plic_.sources(); ++s)
      if (plic_.line(s)) k->irq_line(before, s, true);
    for (unsigned i = 0; i < watched_.size(); ++i) {
      const Watched& w = watched_[i];
      if (w.at >= at) k->word(before, i, w.before);  // written later than the state
      k->word(w.at, i, w.value);
    }
  }
  waveform_hooks_.insert(waveform_hooks_.end(), live.begin(), live.end());
  update_wants();
  if (traced_lines_.empty()) {
    traced_lines_.assign(plic_.sources() + 1, 0);
    for (unsigned s = 1; s <= plic_.sources(); ++s) traced_lines_[s] = plic_.line(s);
  }
}

void Machine::trace_lines(uint64_t now) {
  for (unsigned s = 1; s < traced_lines_.size(); ++s) {
    bool level = plic_.line(s);
    if (level != static_cast<bool>(traced_lines_[s])) {
      traced_lines_[s] = level;
      for (Hooks* k : waveform_hooks_) k->irq_line(now, s, level);
    }
  }
}

void Machine::trace_word(uint64_t now, uint32_t addr) {
  for (unsigned i = 0; i < spec_.watch.size(); ++i) {
    if (spec_.watch[i] != addr) continue;
    uint32_t value = 0;
    ram_.read(addr, 4, value);
    for (Hooks* k : waveform_hooks_) k->word(now, i, value);
  }
}

// What a hook hears of the trap hart h just took.
TrapInfo Machine::trap_info(const isa::Hart& h) {
  TrapInfo t;
  t.mcause = h.csrs().mcause;
  t.mepc = h.csrs().mepc;
  t.mtval = h.csrs().mtval;
  t.from_user = (h.csrs().mstatus & isa::csr::mstatus_mpp_mask) == 0;  // MPP: the mode it came from
  if (h.last_trap_by_pmp()) t.pmp_entry = h.pmp_refusal().entry < 0 ? TrapInfo::kNoEntry : h.pmp_refusal().entry;
  return t;
}

void Machine::observe(Core& c, isa::StepStatus status, uint64_t cycle) {
  const isa::Hart& h = c.hart;
  unsigned id = h.hartid();
  if (status == isa::StepStatus::exception || status == isa::StepStatus::interrupt) {
    const TrapInfo t = trap_info(h);
    for (Hooks* k : hart_event_hooks_) k->trap(cycle, id, t);
  } else if (status == isa::StepStatus::retired && h.cost() == isa::Cost::mret) {
    for (Hooks* k : hart_event_hooks_) k->mret(cycle, id, h.pc(), h.priv() == isa::Priv::user);
  } else if (status == isa::StepStatus::wfi && c.phase == Core::Phase::asleep) {
    for (Hooks* k : hart_event_hooks_) k->wfi(cycle, id, h.last_pc());
  }
  // sp moved by other than `addi sp, sp, imm` (a function's frame): a stack
  // switch, which the monitor tells from a thread's frame. One compare per
  // instruction; the decode only when sp changed.
  // A load into sp writes it at its bus grant (grant() observes it then).
  if (h.x(2) != c.observed_sp && status != isa::StepStatus::memory) {
    const uint32_t insn = h.last_insn();
    constexpr uint32_t kAddiSpSp = 0x10113, kAddiSpSpMask = 0xfffff;  // opcode OP-IMM, funct3 0, rd = rs1 = x2
    constexpr uint32_t kUpperSp = 0x117, kUpperSpMask = 0xfdf;        // auipc or lui (0x17, 0x37), rd = x2
    if ((insn & kUpperSpMask) == kUpperSp) {
      // `lw sp, symbol` and `la sp, symbol` are auipc + lw/addi: the sp in
      // between is no stack. Told with the instruction that completes it.
      c.sp_partial = true;
    } else {
      const uint32_t old_sp = c.observed_sp;
      c.observed_sp = h.x(2);
      if (c.sp_partial || (insn & kAddiSpSpMask) != kAddiSpSp)
        for (Hooks* k : hart_event_hooks_) k->stack_switched(cycle, id, h.last_pc(), old_sp, h.x(2));
      c.sp_partial = false;
    }
  }
  bool mie = h.csrs().mstatus_mie();
  if (mie != c.observed_mie) {
    c.observed_mie = mie;
    for (Hooks* k : hart_event_hooks_) k->interrupts_enabled(cycle, id, mie, h.last_pc());
  }
}

}  // namespace spinlab::models

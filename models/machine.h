// The machine: N cores (the hart cluster), one shared bus, and the devices
// (RAM, UART, test finisher, CLINT, PLIC, interrupt sources, NICs, and any
// attached), each an sc_module with a TLM-2.0 target socket the bus routes
// to; interrupt lines are signals (docs/architecture.md has the picture).
// The scheduler is the cluster's single SystemC process: it advances a cycle
// counter from event to event (an instruction finishing, a bus grant), never
// ticking through cycles in which nothing happens. The devices keep their own
// time with sc_events; the cluster brings SystemC's clock to a cycle only
// where a device acts (the next pending SystemC activity) or is accessed.
//
// Order within one cycle is fixed, so runs are deterministic: first the bus is
// granted (arbitration decides among the harts asking), then the harts that
// are ready step in hart order.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/bus.h"
#include "models/clint.h"
#include "models/core.h"
#include "models/debug.h"
#include "models/device.h"
#include "models/device_base.h"
#include "models/finisher.h"
#include "models/hooks.h"
#include "models/htif.h"
#include "models/irq_source.h"
#include "models/nic.h"
#include "models/plic.h"
#include "models/ram.h"
#include "models/timing.h"
#include "models/uart.h"

namespace spinlab::models {

struct MachineSpec {
  unsigned harts = 1;
  uint64_t clock_hz = 100'000'000;
  uint32_t mtime_divider = 10;  // mtime counts at clock_hz / mtime_divider
  unsigned plic_sources = 31;   // PLIC interrupt sources 1..plic_sources
  std::vector<IrqSourceSpec> irq_sources;
  std::vector<NicSpec> nics;  // NIC i's registers at NIC_BASE + NIC_STRIDE * i
  bool start_hart0_only = false;  // harts other than 0 wait for their msip
  // Jump over cycles in which nothing happens (the default). Off, the
  // scheduler visits every cycle and samples the devices each time: slower,
  // and by design identical in every result (a test holds it to that).
  bool skip_idle = true;
  std::vector<uint32_t> watch;  // RAM words reported to the tracer on every write
  uint32_t ram_bytes = 16u << 20;
  bool misaligned_emulate = false;
  bool compressed = true;  // the C extension (machine.isa = "rv32imac")
  uint32_t pmp_granularity_bytes = 4;  // a power of two >= 4
  Arbitration arbitration = Arbitration::round_robin;
  Latencies latency;
  Costs cost;
  uint64_t max_cycles = 1'000'000'000;
  std::optional<uint32_t> tohost;    // address of the HTIF tohost word, if the ELF has one
  std::optional<uint32_t> fromhost;  // and of fromhost, where HTIF answers (models/htif.h)
  Htif::Warn htif_warn;              // told of HTIF commands that cannot be carried out
  std::FILE* console = stdout;       // where the UART (and HTIF's console and SYS_write) writes
};

enum class StopReason : uint8_t {
  running,
  finisher,     // the firmware wrote the test finisher
  tohost,       // the firmware ended the run through HTIF (exit or SYS_exit)
  cycle_limit,  // max_cycles reached
  asleep,       // every hart sleeps in wfi and nothing can wake one
  deadlock,     // a hook (the lock monitor) found a deadlock and stopped the run
  killed,       // a debugger ended the run (GDB's kill: sim/gdb/server.h)
  interrupted,  // SIGINT or SIGTERM asked the run to stop (sim/cli/signals.h): its outputs are still written
};

const char* to_string(StopReason r);

class Machine : public sc_core::sc_module {
 public:
  Machine(sc_core::sc_module_name name, const MachineSpec& spec);
  ~Machine() override;

  // Copies an image into RAM and zeroes `zeros` bytes after it; false when
  // it does not fit.
  bool load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros = 0);
  // Maps a device of someone else's at `m.base` and wires its interrupt
  // output to PLIC source `m.irq_line` (models/device.h) through a signal
  // the platform owns. Call before run(), during elaboration. Throws
  // std::invalid_argument, naming both, when the range overlaps another
  // device, or the line is out of range or taken.
  void attach(const DeviceMapping& m, const DevicePorts& p);
  // Every hart starts at `entry` with a0 = mhartid.
  void reset(uint32_t entry);
  // Runs the SystemC kernel until the run stops (through any debug stops).
  void run();
  // Runs until a debug stop (models/debug.h) or the end of the run; called
  // again, continues exactly where it stopped. After the end it returns
  // run_ended at once.
  StopInfo run_until_stop();
  // Breakpoints, watchpoints, step and pause (docs/debug-hooks.md).
  Debug& debug() { return debug_; }
  // Tells `h` of the run as it happens: the groups of events h.wants()
  // (models/hooks.h). Hooks hear each event in the order they were added.
  // Add before reset(), which reports cycle 0 to a waveform; `h` must live
  // until the run ends or it is removed. A hook wanting steps or the
  // waveform steps every instruction through the hooked path.
  void add_hooks(Hooks& h);
  // Stops telling `h` anything (nothing when it was not added).
  void remove_hooks(Hooks& h);
  // Calls `fn(cycle)` from the run about once every `every_cycles` simulated
  // cycles (a progress line; it may look at the wall clock, never at the
  // machine). Unset, it costs nothing per step; set, it only shortens the
  // stretches a lone hart runs, which changes no result.
  void set_progress(std::function<void(uint64_t cycle)> fn, uint64_t every_cycles) {
    progress_ = std::move(fn);
    progress_every_ = every_cycles ? every_cycles : 1;
    progress_at_ = progress_ ? progress_every_ : ~uint64_t{0};
  }
  // Ends the run at the current cycle, once the event being handled is done
  // (for hooks: the monitor stops the run at a deadlock).
  void request_stop(StopReason why) {
    if (stop_reason_ == StopReason::running) stop(why, 0);
  }

  // Lets a hart run its plain instructions ahead of the others (on by
  // default; the results are the same either way). Off for a debugger: a
  // stop it asks for in a hook (GDB's stop on a finding) must find every
  // hart at the cycle it stopped at.
  void set_run_ahead(bool on) { run_ahead_ = on; }
  // How often a core ran ahead, and how often a store into its code, a
  // device access or the end of the run undid part of that.
  struct RunAhead {
    uint64_t runs = 0, undone = 0;
  };
  const RunAhead& run_ahead_stats() const { return ahead_stats_; }
  StopReason stop_reason() const { return stop_reason_; }
  int exit_code() const { return exit_code_; }
  uint64_t cycles() const { return now_; }
  unsigned harts() const { return static_cast<unsigned>(cores_.size()); }
  const isa::Hart& hart(unsigned i) const { return cores_[i]->hart; }
  // For a debugger, between runs: registers, pc and CSRs to write. A hart
  // waiting for the bus still completes the access it asked for.
  isa::Hart& hart_mut(unsigned i) { return cores_[i]->hart; }
  // Hart i sleeps in wfi, or has not been started (machine.start = "hart0").
  bool asleep(unsigned i) const {
    const Core& c = *cores_[i];
    const Core::Phase p = c.phase == Core::Phase::stilled ? c.stilled_from : c.phase;
    return p == Core::Phase::asleep || p == Core::Phase::held;
  }
  // A debugger's hold (GDB's scheduler-locking, sim/gdb/server.h), between
  // runs: hart i retires nothing and asks nothing of the bus until
  // release_holds(). Released, a held hart goes on from where it was; what
  // fell due while it was held happens at the release. The machine's time
  // (mtime, the devices) goes on meanwhile. While any hart is held the
  // scheduler goes one cycle at a time. When nothing but a held hart could
  // ever act again, the run releases the holds itself rather than end.
  // docs/debugging.md has what this costs a run's timing.
  void hold(unsigned i);
  void release_holds();
  bool holding() const { return holding_; }
  // Some release found a held hart that would have acted meanwhile: the
  // run's history is no longer the one a run without holds has (reverse
  // execution's re-runs could not reach it).
  bool history_changed() const { return history_changed_; }
  const ExceptionStats& exceptions(unsigned i) const { return cores_[i]->exceptions; }
  const Bus& bus() const { return bus_; }
  // The word at `addr` (aligned), read without side effects through the
  // targets' transport_dbg, for hooks (the monitor reads a saved return
  // address) and debuggers; nullopt where nothing answers.
  std::optional<uint32_t> peek(uint32_t addr) const;
  // `len` bytes at `addr` read or written for a debugger, without side
  // effects and without time (transport_dbg); false (nothing done) unless
  // every byte lies in one target that answers.
  bool peek(uint32_t addr, uint8_t* data, uint32_t len) const;
  bool poke(uint32_t addr, const uint8_t* data, uint32_t len);
  const Clint& clint() const { return clint_; }
  Plic& plic() { return plic_; }
  unsigned nics() const { return static_cast<unsigned>(nics_.size()); }
  const Nic& nic(unsigned i) const { return *nics_[i]; }
  // PLIC source s's line, for `owner`'s interrupt output to be bound to it
  // during elaboration (libspinlab's Platform::irq): the owner drives it
  // from now on. Throws std::invalid_argument as attach() does for a line
  // out of range or taken.
  sc_core::sc_signal<bool>& claim_line(unsigned s, const std::string& owner) {
    if (s == 0 || s > spec_.plic_sources)
      throw std::invalid_argument(owner + ": interrupt line " + std::to_string(s) + " is not a PLIC source (1.." +
                                  std::to_string(spec_.plic_sources) + ")");
    if (!line_owner_[s].empty())
      throw std::invalid_argument(owner + ": interrupt line " + std::to_string(s) + " is already " + line_owner_[s] +
                                  "'s");
    line_owner_[s] = owner;
    attached_irq_ = true;
    return lines_[s];
  }

 private:
  SC_HAS_PROCESS(Machine);
  void scheduler();
  void grant(uint64_t now);
  // `cap`: what the core may run ahead to (ahead_cap; 0: not at all).
  void run_core(Core& c, uint64_t limit, uint64_t cap);
  bool plain_ok(const Core& c) const;
  // Running ahead (Core::run_ahead): a core whose next steps are plain runs
  // them past the other cores' next events, up to `cap` (the next device
  // event, cycle limit or progress report), since nothing another hart does
  // can change them but a store into the code they ran, a device access (an
  // interrupt line) or the end of the run. Those undo it (undo_ahead):
  // grant() before such a store or any device access, and after a grant or
  // step that ends the run. Not while a window waits (capturing()) nor under
  // a debugger (set_run_ahead), whose stop can come in the middle of a pass.
  uint64_t ahead_cap(uint64_t cap) const;
  static constexpr uint64_t kAheadShortRun = 8;  // instructions
  static constexpr uint8_t kAheadBackOff = 16;
  void take_ahead_chance(Core& c, uint64_t cap);  // run_ahead, unless the core backs off
  void run_ahead(Core& c, uint64_t cap);
  bool reaches_runners(const isa::MemRequest& r) const;
  // Undoes every core's steps run ahead to `cycle` or later, or to cycle + 1
  // for cores before `first_after`: what came before the event at `cycle`
  // of hart first_after - 1 (0: a grant, which comes before any step).
  void undo_ahead(uint64_t cycle, size_t first_after);
  // kHooks false: the debugger is not armed and no hook wants steps or the
  // waveform, so their tests are skipped. True when the hart-event hooks
  // were called (the only ones a hookless step calls, and the only ones
  // that can arm the debugger or stop the run).
  template <bool kHooks>
  bool step_core(Core& c, const isa::Hart::Decoded* e);
  void update_wants();  // wants_ from the lists of hooks
  bool hooked() const { return debug_.armed() || (wants_ & (Hooks::kSteps | Hooks::kWaveform)); }
  uint64_t lockstep(uint64_t u, uint64_t m2, uint64_t& bus_next);
  uint64_t core_event(const Core& c) const;
  uint64_t core_events(uint64_t& bus_next) const;
  void stop(StopReason why, int code);
  // The device side of the machine, which the scheduler calls and never
  // looks into: a bus transaction, what it changes beyond memory, and the
  // devices' own events at a cycle.
  isa::MemResponse transact(unsigned h, const isa::MemRequest& r, uint32_t& latency);
  void after_transaction(uint64_t now, unsigned h, const isa::MemRequest& r, const isa::MemResponse& resp,
                         uint32_t latency);
  void devices_at(uint64_t t);
  unsigned external_source(unsigned h) const;
  // Brings every hart's MSIP/MTIP/MEIP up to date with its interrupt inputs
  // (the signals the CLINT and PLIC drive) at `now`, wakes sleeping harts
  // that now have an enabled interrupt pending, and learns from SystemC when
  // a device acts next.
  void update_interrupts(uint64_t now);
  // Some sleeping hart could still be woken by a device event: a device that
  // can raise an interrupt the hart has enabled (Device::can_raise).
  bool can_wake() const;
  void trace_step(const Core& c);
  HartTrace trace_state(const Core& c) const;
  // Waveform hooks that need changes only from a later cycle on
  // (Hooks::waveform_from) hear nothing before switch_at_, and the harts run
  // their fast paths meanwhile; what the calls would have left is kept where
  // something other than a step makes it (capture, grant, wake) and reported
  // by go_live, which makes them waveform hooks like the others.
  bool capturing() const { return !deferred_.empty(); }
  void start_capture();
  // Hart c's state as its last step showed it, before something other than
  // a step (a device's interrupt line, its bus grant, a wake) changes it;
  // `mip` is its mip before the change.
  void capture(Core& c, uint32_t mip);
  // Reports the state to the deferred hooks, before any step at `at` or
  // later, and makes them waveform hooks.
  void go_live(uint64_t at);
  void observe(Core& c, isa::StepStatus status, uint64_t cycle);
  static TrapInfo trap_info(const isa::Hart& h);
  void trace_lines(uint64_t now);
  void trace_word(uint64_t now, uint32_t addr);
  void sync_systemc();
  // Brings SystemC's clock to cycle t, where nothing is due before it, and
  // lets the delta cycles there settle (the devices' methods drive their
  // lines, the PLIC samples them).
  void sync_to(uint64_t t);
  static void settle();
  // The cycle of the next pending SystemC activity (kNever: none).
  uint64_t device_horizon() const;
  void start_of_simulation() override;

  MachineSpec spec_;
  sc_core::sc_time period_;
  // The harts' interrupt inputs, one signal each per hart, and the PLIC's
  // source lines ([s]: source s; [0] unused).
  sc_core::sc_vector<sc_core::sc_signal<bool>> msip_, mtip_, meip_;
  sc_core::sc_vector<sc_core::sc_signal<bool>> lines_;
  std::vector<std::string> line_owner_;  // who drives lines_[s] ("": nobody)
  // The interrupt outputs of devices wired to no PLIC source (irq left out):
  // SystemC wants every port bound, and nothing reads these.
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> unwired_;
  Ram ram_;
  Uart uart_;
  Finisher finisher_;
  Clint clint_;
  Plic plic_;
  IrqSources irq_;
  std::vector<std::unique_ptr<Nic>> nics_;
  mutable Bus bus_;  // peek() reads through it (transport_dbg, no effects)
  std::vector<Device*> devices_;  // the built-in devices, for questions asked of all
  bool attached_irq_ = false;     // a plugged-in device drives a line (can_wake cannot ask it)
  std::unique_ptr<Htif> htif_;  // when the ELF has a tohost
  // The cluster's side of the bus: one TLM transaction per grant, its
  // payload and extension reused.
  tlm_utils::simple_initiator_socket<Machine, 32> bus_port_;
  tlm::tlm_generic_payload hart_gp_;
  BusAccess access_;  // hart_gp_'s extension, ours: cleared before hart_gp_ goes
  std::vector<std::unique_ptr<Core>> cores_;
  Debug debug_{cores_};
  std::vector<unsigned> requesting_;  // reused by grant(): no allocation per transaction
  std::vector<uint64_t> later_;       // scheduler(): later_[i], the earliest event of cores i..N-1
  std::vector<uint8_t> plain_;        // lockstep(): plain_ok of core i, kept as it steps
  std::vector<Hooks*> hooks_;         // every hook, in the order added (finish)
  std::vector<Hooks*> hart_event_hooks_;  // those of hooks_ that want Hooks::kHartEvents, in order
  std::vector<Hooks*> step_hooks_;        // ... Hooks::kSteps
  std::vector<Hooks*> waveform_hooks_;    // ... Hooks::kWaveform
  unsigned wants_ = 0;                    // what the hooks want, together: one test on the hot paths
  std::function<void(uint64_t)> progress_;
  uint64_t progress_every_ = 0;
  uint64_t progress_at_ = ~uint64_t{0};  // the next cycle to call progress_ at (never when unset)
  std::vector<uint8_t> traced_lines_;  // PLIC line levels last reported
  std::vector<Hooks*> deferred_;       // waveform hooks not live yet (capturing())
  uint64_t switch_at_ = ~uint64_t{0};  // the cycle they go live at
  // While capturing(): per core, the state its last step showed, once
  // something other than a step changed the hart (step: that step's
  // issued_at), and what came after that step.
  struct Shown {
    enum class After : uint8_t { none, granted, woke };
    uint64_t step = ~uint64_t{0};
    HartTrace state;
    After after = After::none;
    uint64_t at = 0;  // the grant's cycle, or where the wake put the hart
    bool held_at_reset = false;
  };
  std::vector<Shown> shown_;
  struct Grant {
    uint64_t at = ~uint64_t{0}, free_at = 0;  // at: none yet
    int owner = -1;
    uint32_t addr = 0;
    BusKind kind = BusKind::idle;
  };
  Grant last_grant_;
  // Per traced word (spec_.watch): the value the last write left, dated
  // `at` (its grant plus latency), and the one before it.
  struct Watched {
    uint32_t value = 0, before = 0;
    uint64_t at = 0;
  };
  std::vector<Watched> watched_;

  uint64_t now_ = 0;
  uint64_t bus_free_at_ = 0;
  // The last cycle a core ran ahead to (it may have stepped since), and the
  // pcs every run ahead has run, lo to hi (grown, never shrunk).
  bool run_ahead_ = true;
  RunAhead ahead_stats_;
  uint64_t ahead_until_ = 0;
  uint32_t ahead_lo_ = ~0u, ahead_hi_ = 0;
  // The scheduler's kept earliest core event must be found again (a sync
  // ran SystemC's time, a hold began or ended).
  bool stale_ = true;
  // The scheduler steps one cycle per pass, without lock-step: idle cycles
  // are not skipped, or a debugger holds harts (or released them in this
  // pass, whose limits were found before: until stale_ is seen).
  bool one_cycle_ = false;
  bool holding_ = false;          // some hart is held (hold())
  bool history_changed_ = false;  // history_changed()
  uint64_t next_device_ = 0;  // the cycle of the next pending SystemC activity (a device's event)
  uint64_t synced_ = 0;       // the cycle SystemC's clock is at
  StopReason stop_reason_ = StopReason::running;
  int exit_code_ = 0;
};

}  // namespace spinlab::models

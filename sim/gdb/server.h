// The GDB server: GDB's remote serial protocol commands served on a
// Machine's debugger hooks (models/debug.h), one packet at a time through a
// Connection (sim/gdb/connection.h), in all-stop mode with the harts as
// threads (thread id = hart + 1). docs/debugging.md is the user's side.
//
// serve() returns when the session is over:
//   - the run ended (GDB got W<code>, the code spinlab exits with);
//   - GDB killed it (k, vKill): the run ended at once (StopReason::killed);
//   - GDB detached (D) or went away (the connection closed): every
//     breakpoint, watchpoint and stop-on-finding goes, and the run goes on to
//     its end without stops when the caller runs it (Machine::run()).
// The caller then finishes the run as any run (report, timeline, VCD).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/machine.h"
#include "sim/monitor/monitor.h"

namespace spinlab::gdb {

class Connection;
class ConsoleGate;

struct ServerOptions {
  // The finding kinds that stop the run (run.gdb_stop_on).
  std::vector<FindingKind> stop_on;
  // Cycles between reverse execution's checkpoints (run.gdb_checkpoint);
  // 0: no reverse execution (bs and bc get an error).
  uint64_t checkpoint_interval = 0;
  // `monitor locks`: the lock table as the run prints it at its end.
  std::function<std::string()> lock_table;
  // `monitor narrate on|off`: turns the narrative to GDB's console
  // (Server::narrate) on or off; false when this run cannot narrate (no
  // monitor). Unset: cannot.
  std::function<bool(bool on)> narrate;
  // The code W reports at the run's end: the exit status spinlab returns
  // (with --expect, its grade). Unset: the machine's exit status.
  std::function<int()> exit_status;
  // The terminal's gate (sim/gdb/console_gate.h): its high-water mark goes
  // with the server's state into a woken checkpoint. Null: none.
  ConsoleGate* console_gate = nullptr;
};

class Reverse;

class Server {
 public:
  // `monitor` may be null (run.monitor = "off"): no findings, no lock names.
  Server(models::Machine& machine, Monitor* monitor, Connection& connection, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void serve();

  // How often the run should call poll(), in cycles: often enough that
  // Ctrl-C answers at once, rarely enough to cost nothing (docs/debugging.md).
  static constexpr uint64_t kPollCycles = uint64_t{1} << 15;
  // From the run's progress callback (Machine::set_progress): a Ctrl-C from
  // GDB pauses the machine at the next instruction boundary.
  void poll();
  // From the monitor's on_finding, inside the run: a finding of a kind in
  // stop_on stops the machine and goes to GDB's console.
  void on_finding(const Finding& f);
  // From the narrative's listener, inside the run: one line of it for
  // GDB's console, sent at once (O packets may only go while the target
  // runs: a line from elsewhere, or from a checkpoint's re-run, is dropped).
  void narrate(std::string_view line);
  // True while GDB drives the run (not detached, gone or ended).
  bool attached() const { return attached_; }
  // The server's own small state (the current threads, which breakpoints
  // GDB inserted as which kind), for reverse execution's checkpoints
  // (sim/gdb/reverse.h): a checkpoint woken to go back takes on the state
  // of the process that asked. The machine's breakpoints are not in it.
  std::string save_state() const;
  void restore_state(const std::string& state);

 private:
  struct Pending {
    unsigned hart;
    std::string text;
  };
  // One packet; false when the session is over.
  bool handle(std::string_view p);
  bool handle_query(std::string_view p);
  void handle_set_thread(std::string_view p);
  void handle_registers_write(std::string_view p);
  void handle_register(std::string_view p, bool write);
  void handle_memory_read(std::string_view p);
  void handle_memory_write(std::string_view p, bool binary);
  void handle_breakpoint(std::string_view p, bool insert);
  bool handle_vcont(std::string_view p);
  bool handle_reverse(char what);
  void handle_monitor(std::string_view hex);
  // Runs until the next stop (stepping `step` if given, the harts in `hold`
  // held: Machine::hold), tells GDB why it stopped; false when the run is
  // over (W sent).
  bool resume(std::optional<unsigned> step, const std::vector<unsigned>& hold = {});
  models::StopInfo run_machine();
  // Runs `go` (a run of the machine, forward or back) with running_ set, so
  // that poll() may pause it, and GDB's Ctrl-C not yet seen.
  template <typename Go>
  models::StopInfo running(Go&& go);
  bool report_stop(const models::StopInfo& s);
  std::string stop_reply(const models::StopInfo& s) const;
  void send_exit();
  void kill();
  void let_go();
  void gone();  // the client went away: said once, then let_go()
  void console(std::string_view text);
  // The hart a thread id names: -1 (all) and 0 (any) are `fallback`; nullopt
  // for no such thread.
  std::optional<unsigned> hart_of(std::string_view tid, unsigned fallback) const;
  std::string thread_extra_info(unsigned hart) const;
  std::string monitor_command(std::string_view cmd);

  models::Machine& machine_;
  Monitor* monitor_;
  Connection& conn_;
  ServerOptions options_;
  bool attached_ = true;
  bool running_ = false;      // inside running(): poll() may pause
  bool interrupted_ = false;  // the pause was GDB's Ctrl-C
  bool ended_ = false;        // the run is over; the next resume says W
  unsigned g_hart_ = 0;       // Hg: registers and memory
  unsigned c_hart_ = 0;       // Hc: the legacy s and c
  // Breakpoints by address: how many of each kind GDB inserted there (Z0
  // and Z1 share the machine's one breakpoint list).
  struct BreakCount {
    unsigned sw = 0, hw = 0;
  };
  std::map<uint32_t, BreakCount> breaks_;
  std::vector<Pending> pending_;  // findings to tell at the next stop
  std::unique_ptr<Reverse> reverse_;  // reverse execution; null when checkpoint_interval is 0
};

}  // namespace spinlab::gdb

// A small program that drives sim/gdb/reverse.h the way the GDB server
// does, on test_and_set with 2 harts, and prints what it sees, one line per
// fact. Reverse execution forks and ends processes, so it runs here and not
// inside a GoogleTest process (a woken checkpoint would run the rest of the
// tests again); reverse_test.cpp runs it and checks the lines.
//   reverse_driver fresh E1 E2 ...   a plain run, stopped at positions E1 < E2 < ...
//   reverse_driver session INTERVAL  watchpoints, steps and breakpoints, back and forth
//   reverse_driver start INTERVAL    a breakpoint, then reverse-continue to the start
//   reverse_driver crash INTERVAL    the running process killed by a signal
//   reverse_driver bench CYCLES INTERVAL  the cost: bench_compute, then one reverse step
// Lines: "STATE E <cycle> <each hart's pc, x1..x31, minstret>", "STOP/ARRIVE
// <why> <hart> <pc> <cycle> <event> <server state>", "END <cycles> <exit code>
// <console>". The exit status is 10 + the firmware's exit code.
#include <time.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <systemc>

#include "firmware/include/memmap.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "sim/cli/run.h"
#include "sim/gdb/reverse.h"
#include "sim/load/elf.h"

using namespace spinlab;
using models::StopInfo;
using Why = StopInfo::Why;

namespace {

constexpr uint32_t kRamBytes = 16u << 20;

std::string state(models::Machine& m) {
  std::string s = fmt::format("STATE {} {}", m.debug().events(), m.cycles());
  for (unsigned h = 0; h < m.harts(); ++h) {
    s += fmt::format(" | {:08x}", m.hart(h).pc());
    for (unsigned r = 1; r < 32; ++r) s += fmt::format(" {:x}", m.hart(h).x(r));
    s += fmt::format(" {}", m.hart(h).minstret());
  }
  return s;
}

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void stop_line(const char* what, models::Machine& m, const StopInfo& s) {
  say(fmt::format("{} {} {} {:08x} {} {}", what, to_string(s.why), s.hart, s.pc, s.cycle, m.debug().events()));
  say(state(m));
}

std::string console_of(std::FILE* f) {
  std::string out;
  std::fflush(f);
  std::rewind(f);
  for (int c; (c = std::fgetc(f)) != EOF;) out.push_back(c == '\n' ? '/' : static_cast<char>(c));
  return out;
}

}  // namespace

double now_s() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);  // one clock for all the processes
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The cost (docs/debugging.md): a run of CYCLES cycles stopped 1000 cycles
// before its end, with checkpoints every INTERVAL cycles (0: none), and then
// one reverse step of hart 0.
int bench(models::Machine& m, uint64_t cycles, uint64_t interval) {
  models::Debug& d = m.debug();
  d.pause_at(cycles - 1000);
  if (interval == 0) {
    double t0 = now_s();
    m.run_until_stop();
    say(fmt::format("RUN {:.3f} s", now_s() - t0));
    m.run();
    return 0;
  }
  // A travel returns from an earlier call: the phase travels with it.
  double start = 0;
  int phase = 0;
  gdb::Reverse rev(
      m, interval, [&] { return fmt::format("{} {:.9f}", phase, start); },
      [&](const std::string& s) { std::sscanf(s.c_str(), "%d %lf", &phase, &start); });
  for (;;) {
    start = now_s();
    if (phase == 0) phase = 1, rev.run();
    else if (phase == 1) phase = 2, rev.reverse_step(0);
    else if (phase == 2) phase = 3, d.clear(), rev.run();
    else break;
    if (phase == 1) say(fmt::format("RUN {:.3f} s, {} checkpoints", now_s() - start, rev.checkpoints().size()));
    if (phase == 2) say(fmt::format("RSTEP {:.3f} s", now_s() - start));
  }
  return 0;
}

int sc_main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string mode = argv[1];
  const bool benching = mode == "bench";
  const ElfImage elf = ElfImage::load(
      std::string(SPINLAB_FIRMWARE_DIR) + (benching ? "/bench_compute.elf" : "/test_and_set.elf"), RAM_BASE, kRamBytes);
  models::MachineSpec spec;
  spec.harts = 2;
  spec.ram_bytes = kRamBytes;
  spec.max_cycles = benching ? std::strtoull(argv[2], nullptr, 10) : 5'000'000;
  spec.tohost = elf.lookup("tohost");
  std::FILE* console = std::tmpfile();  // a regular file: a woken checkpoint cuts it back
  spec.console = console;
  models::Machine m("machine", spec);
  load_segments(m, elf);
  m.reset(elf.entry());
  models::Debug& d = m.debug();
  if (benching) return bench(m, spec.max_cycles, std::strtoull(argv[3], nullptr, 10));
  const uint32_t spin_lock = *elf.lookup("spin_lock"), countlock = *elf.lookup("countlock");

  if (mode == "fresh") {
    d.record(true);
    for (int i = 2; i < argc; ++i) {
      d.pause_at_event(std::strtoull(argv[i], nullptr, 10));
      m.run_until_stop();
      say(state(m));
    }
    d.record(false);
    d.clear();
    m.run();
  } else {
    // Commands run as a server runs them, in a loop whose position is part
    // of the "server state": a travel returns from an earlier run() call,
    // in the process that made it, and the loop goes on from the restored
    // position.
    std::vector<std::string> script;
    auto add = [&](const std::string& c, int times = 1) { script.insert(script.end(), times, c); };
    if (mode == "session") {
      add("watch+"), add("run", 5), add("rstep-last"), add("rstep-other"), add("watch-");
      add("pause-near-checkpoint"), add("step0", 8), add("rstep0", 8);
      add("break+"), add("run", 3), add("rcont", 2), add("clear"), add("run");
    } else if (mode == "crash") {  // a few checkpoints, one trip back, then the runner is killed
      add("pause-near-checkpoint"), add("rstep0"), add("pause-near-checkpoint"), add("die");
    } else if (mode == "start") {
      add("break+"), add("run"), add("rcont"), add("run"), add("rstep1"), add("clear"), add("run");
    }
    struct {
      size_t next = 0;
      unsigned last_hart = 0;
      uint64_t newest = 0;  // the newest checkpoint's position when the command began
    } at;
    gdb::Reverse rev(
        m, std::strtoull(argv[2], nullptr, 10),
        [&] { return fmt::format("{} {} {}", at.next, at.last_hart, at.newest); },
        [&](const std::string& s) { std::sscanf(s.c_str(), "%zu %u %lu", &at.next, &at.last_hart, &at.newest); });
    size_t most_live = 0;
    StopInfo s;
    while (at.next < script.size()) {
      const std::string c = script[at.next++];
      most_live = std::max(most_live, rev.checkpoints().size());
      at.newest = rev.checkpoints().empty() ? 0 : rev.checkpoints().back().event;
      if (c == "watch+") d.add_watchpoint(countlock, 4, models::WatchKind::store);
      if (c == "watch-") d.remove_watchpoint(countlock, 4, models::WatchKind::store);
      if (c == "break+") d.add_breakpoint(spin_lock);
      if (c == "clear") d.clear();
      if (c == "pause-near-checkpoint") d.pause_at((m.cycles() / rev.interval() + 3) * rev.interval() - 6);
      if (c == "step0") d.step(0);
      if (c == "die") std::raise(SIGTERM);  // the checkpoints must pass it on, and end
      if (c == "run" || c == "pause-near-checkpoint" || c == "step0") s = rev.run();
      else if (c == "rstep-last") s = rev.reverse_step(at.last_hart);
      else if (c == "rstep-other") s = rev.reverse_step(1 - at.last_hart);
      else if (c == "rstep0") s = rev.reverse_step(0);
      else if (c == "rstep1") s = rev.reverse_step(1);
      else if (c == "rcont") s = rev.reverse_continue();
      else continue;
      at.last_hart = s.hart;
      // Not `c`: after a travel this is the frame of an earlier command.
      say(fmt::format("CMD {} {} NEWEST {}", at.next - 1, script[at.next - 1], at.newest));
      stop_line("STOP", m, s);
    }
    most_live = std::max(most_live, rev.checkpoints().size());
    say(fmt::format("LIVE {} INTERVAL {} ENDED {}", most_live, rev.interval(), to_string(s.why)));
  }
  say(fmt::format("END {} {} {}", m.cycles(), m.exit_code(), console_of(console)));
  return 10 + m.exit_code();
}

int main(int argc, char** argv) {
  models::quiet_systemc();
  return sc_core::sc_elab_and_sim(argc, argv);
}

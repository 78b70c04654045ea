// Reverse execution (sim/gdb/reverse.h), through reverse_driver: a session
// of watchpoint stops, steps, reverse steps and reverse-continues must land
// on exactly the states a plain forward run has at the same positions, end
// the run as a straight run ends it, pass the run's exit status to the
// process that was started, and leave no process behind.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

struct Result {
  int status = -1;  // the exit status (-1: killed)
  int signal = 0;   // the signal that killed it
  bool leftovers = false;
  std::vector<std::string> lines;
};

// Runs the driver in a process group of its own, reads its output to the
// end, and checks that the group is empty once the started process is gone.
Result drive(const std::vector<std::string>& args) {
  int out[2];
  EXPECT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out[1], 1);
    close(out[0]), close(out[1]);
    std::vector<char*> argv{const_cast<char*>(REVERSE_DRIVER)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    alarm(120);  // a hung checkpoint must not hang the test
    execv(REVERSE_DRIVER, argv.data());
    _exit(127);
  }
  setpgid(pid, pid);
  close(out[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  Result r;
  int st = 0;
  waitpid(pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
  // Every process of the tree has the started one's group; the pipe's EOF
  // came when the last of them ended (each holds stdout).
  r.leftovers = kill(-pid, 0) == 0;
  if (r.leftovers) kill(-pid, SIGKILL);
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  return r;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

// One command's outcome: "CMD i name NEWEST e", "STOP why... hart pc cycle event", "STATE ...".
struct Step {
  std::string name, why, pc, state;
  unsigned hart = 0;
  uint64_t newest = 0, event = 0, cycle = 0;
};

std::vector<Step> steps(const Result& r) {
  std::vector<Step> out;
  for (size_t i = 0; i + 2 < r.lines.size(); ++i) {
    std::vector<std::string> c = words(r.lines[i]);
    if (c.empty() || c[0] != "CMD") continue;
    Step s;
    s.name = c[2], s.newest = std::stoull(c[4]);
    std::vector<std::string> stop = words(r.lines[i + 1]);
    // "STOP <why, possibly two words> hart pc cycle event"
    size_t n = stop.size();
    for (size_t k = 1; k + 4 < n; ++k) s.why += (k > 1 ? " " : "") + stop[k];
    s.hart = std::stoul(stop[n - 4]), s.pc = stop[n - 3], s.cycle = std::stoull(stop[n - 2]);
    s.event = std::stoull(stop[n - 1]);
    s.state = r.lines[i + 2];
    out.push_back(s);
  }
  return out;
}

std::string line_starting(const Result& r, const std::string& what) {
  for (const std::string& l : r.lines)
    if (l.rfind(what, 0) == 0) return l;
  return "";
}

// The states of a plain run (no forks, no reverse) at the given positions.
std::map<uint64_t, std::string> fresh_states(const std::set<uint64_t>& events, Result* fresh) {
  std::vector<std::string> args{"fresh"};
  for (uint64_t e : events) args.push_back(std::to_string(e));
  *fresh = drive(args);
  std::map<uint64_t, std::string> out;
  for (const std::string& l : fresh->lines)
    if (l.rfind("STATE ", 0) == 0) out[std::stoull(words(l)[1])] = l;
  return out;
}

void expect_same_as_fresh(const Result& r) {
  std::set<uint64_t> events;
  for (const Step& s : steps(r))
    if (s.why != "run ended" && s.why != "start of history") events.insert(s.event);
  Result fresh;
  std::map<uint64_t, std::string> at = fresh_states(events, &fresh);
  EXPECT_EQ(fresh.status, 10);
  ASSERT_EQ(at.size(), events.size());
  for (const Step& s : steps(r)) {
    if (events.count(s.event)) {
      EXPECT_EQ(s.state, at[s.event]) << s.name << " at " << s.event;
    }
  }
  // The session's run ends as the plain run does: cycles, exit code, console.
  EXPECT_EQ(line_starting(r, "END"), line_starting(fresh, "END"));
  EXPECT_NE(line_starting(r, "END").find("expected 2000, got 2000"), std::string::npos);
}

TEST(Reverse, SessionLandsOnTheStatesOfAForwardRun) {
  Result r = drive({"session", "20000"});
  EXPECT_EQ(r.status, 10);  // 10 + the firmware's exit code, through every checkpoint
  EXPECT_FALSE(r.leftovers);
  std::vector<Step> s = steps(r);
  ASSERT_EQ(s.size(), 30u);
  // The fifth watchpoint stop, then back one instruction of that hart: the
  // amoswap that wrote the lock word, one boundary before.
  const Step& watch = s[4];
  EXPECT_EQ(watch.why, "store watchpoint");
  EXPECT_EQ(s[5].name, "rstep-last");
  EXPECT_EQ(s[5].why, "step done");
  EXPECT_EQ(s[5].hart, watch.hart);
  EXPECT_EQ(s[5].pc, watch.pc);
  EXPECT_LT(s[5].event, watch.event);
  EXPECT_EQ(s[6].why, "step done");
  EXPECT_EQ(s[6].hart, 1 - watch.hart);
  EXPECT_LT(s[6].event, s[5].event);
  // Eight steps of hart 0 over a checkpoint cycle, then eight back: each
  // lands where the step before it stopped, the last where they began.
  for (int i = 0; i < 8; ++i) {
    const Step& back = s[16 + i];
    const Step& was = s[14 - i];  // s[7] is the pause, s[8..15] the steps
    EXPECT_EQ(back.name, "rstep0");
    EXPECT_EQ(back.event, was.event) << i;
    EXPECT_EQ(back.state, was.state) << i;
  }
  // At least one of them went back before the newest checkpoint.
  EXPECT_TRUE(std::any_of(s.begin() + 16, s.begin() + 24, [](const Step& b) { return b.event < b.newest; }));
  // Three breakpoint hits, then reverse-continue twice: the second and the first, exactly.
  for (int i = 24; i < 27; ++i) EXPECT_EQ(s[i].why, "breakpoint");
  EXPECT_EQ(s[27].name, "rcont");
  EXPECT_EQ(s[27].state, s[25].state);
  EXPECT_EQ(s[27].event, s[25].event);
  EXPECT_EQ(s[27].why, "breakpoint");
  EXPECT_EQ(s[28].state, s[24].state);
  EXPECT_EQ(s[28].hart, s[24].hart);
  EXPECT_EQ(s[29].why, "run ended");
  expect_same_as_fresh(r);
}

TEST(Reverse, ReverseContinueBeforeTheFirstHitStopsAtTheStart) {
  Result r = drive({"start", "20000"});
  EXPECT_EQ(r.status, 10);
  EXPECT_FALSE(r.leftovers);
  std::vector<Step> s = steps(r);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].why, "breakpoint");
  EXPECT_EQ(s[1].why, "start of history");
  EXPECT_EQ(s[1].cycle, 0u);
  EXPECT_EQ(s[1].event, 0u);
  EXPECT_EQ(s[1].pc, "80000000");     // the entry
  EXPECT_EQ(s[2].state, s[0].state);  // forward again: the same first hit
  expect_same_as_fresh(r);
}

// A small interval: far more checkpoints than the bound, so they are thinned
// (the interval doubles) and the retired ones hand their children on.
TEST(Reverse, CheckpointsStayBoundedAndTheTreeEndsCleanly) {
  Result r = drive({"session", "100"});
  EXPECT_EQ(r.status, 10);
  EXPECT_FALSE(r.leftovers);
  std::vector<std::string> live = words(line_starting(r, "LIVE"));
  ASSERT_EQ(live.size(), 7u);
  EXPECT_LE(std::stoul(live[1]), 32u);
  EXPECT_GT(std::stoull(live[3]), 100u);  // thinned at least once
  EXPECT_EQ(steps(r).size(), 30u);
  expect_same_as_fresh(r);
}

// The running process killed by a signal: each checkpoint dies of the same
// signal, down to the process that was started.
TEST(Reverse, ASignalThatKillsTheRunEndsEveryCheckpoint) {
  Result r = drive({"crash", "2000"});
  EXPECT_EQ(r.status, -1);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_FALSE(r.leftovers);
  std::vector<Step> s = steps(r);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_GT(s[2].newest, 0u);  // it had taken checkpoints after the start
  EXPECT_EQ(line_starting(r, "END"), "");
}

}  // namespace

#include "sim/gdb/reverse.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "models/machine.h"

namespace spinlab::gdb {

using models::StopInfo;
using Why = StopInfo::Why;

// What a checkpoint is woken with.
struct Reverse::Request {
  enum class Mode : uint8_t {
    go,    // run to position `target`, stop there and report `report`
    scan,  // run to `target` with the breakpoints and watchpoints, then travel to the last of their stops
  };
  Mode mode = Mode::go;
  uint64_t target = 0;
  StopInfo report;
  std::vector<uint32_t> breakpoints;
  std::vector<models::Debug::Watchpoint> watchpoints;
  std::string server_state;
  std::vector<Checkpoint> earlier;  // the live checkpoints older than the woken one
  uint64_t interval = 0;
};

// Thrown in a checkpoint process when a later one wakes it: it unwinds
// whatever the process was doing when it forked, up to the public call,
// which then serves the request there.
struct Reverse::Woken {
  Request request;
};

namespace {

// Messages on a checkpoint's pipe: a header, then `len` bytes.
enum class Msg : uint8_t {
  wake = 1,    // a Request
  retire = 2,  // an int: the write end of the next older live checkpoint's pipe
  adopt = 3,   // two pids: the retiring child, and the child that takes its place
  orphan = 4,  // to the child of a checkpoint that is to retire: Orphan
};

// A checkpoint is to retire, and its child (the next checkpoint) must not
// die with it: the child tells it to go, and follows the older one instead.
struct Orphan {
  int retiring_fd;  // the write end of the retiring checkpoint's pipe
  int older_fd;     // the next older live checkpoint's, for its `adopt`
  pid_t retiring;
  pid_t older;
};

// Every process after the first dies with its parent (a SIGKILL from the
// kernel), so that killing the process the shell started, alone, ends the
// whole chain at once rather than leave the later ones running to the end.
void die_with_parent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // it died before the line above
}
struct Header {
  Msg type;
  uint32_t len;
};

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("reverse execution: ") + what + ": " + std::strerror(errno));
}

bool read_full(int fd, void* data, size_t n) {
  auto* p = static_cast<char*>(data);
  while (n) {
    ssize_t got = ::read(fd, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got, n -= static_cast<size_t>(got);
  }
  return true;
}

bool write_full(int fd, const void* data, size_t n) {
  auto* p = static_cast<const char*>(data);
  while (n) {
    ssize_t put = ::write(fd, p, n);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put, n -= static_cast<size_t>(put);
  }
  return true;
}

bool send(int fd, Msg type, const std::string& payload) {
  // One write: messages under PIPE_BUF from two writers do not interleave.
  std::string m(sizeof(Header), '\0');
  Header h{type, static_cast<uint32_t>(payload.size())};
  std::memcpy(m.data(), &h, sizeof h);
  m += payload;
  return write_full(fd, m.data(), m.size());
}

// Plain values in and out of a byte string; both ends are the same binary.
template <class T>
void put(std::string& s, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  s.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
void put(std::string& s, const std::vector<T>& v) {
  put(s, static_cast<uint64_t>(v.size()));
  for (const T& x : v) put(s, x);
}
void put(std::string& s, const std::string& v) {
  put(s, static_cast<uint64_t>(v.size()));
  s += v;
}

struct Reader {
  const std::string& s;
  size_t at = 0;
  template <class T>
  void get(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(&v, s.data() + at, sizeof v);
    at += sizeof v;
  }
  template <class T>
  void get(std::vector<T>& v) {
    uint64_t n = 0;
    get(n);
    v.resize(n);
    for (T& x : v) get(x);
  }
  void get(std::string& v) {
    uint64_t n = 0;
    get(n);
    v = s.substr(at, n);
    at += n;
  }
};

// The regular files open for writing (the VCD, a trace, the console when
// it is a file) and their offsets. A descriptor's offset is shared with the
// forked child, which moves it as it writes: a woken checkpoint cuts each
// file back to where it was and goes on from there.
std::vector<std::pair<int, off_t>> files_being_written() {
  std::vector<std::pair<int, off_t>> files;
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return files;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    int fd = std::atoi(e->d_name);
    struct stat st {};
    if (fd == dirfd(dir) || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) continue;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY) continue;
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (at >= 0) files.emplace_back(fd, at);
  }
  closedir(dir);
  return files;
}

// A checkpoint's life: wait on the pipe until woken (return the request),
// told to retire, or until every later process is gone (then exit as the
// child that carried the run on did, so the shell sees the run's status).
std::string wait_as_checkpoint(int fd, pid_t child) {
  // Orphans of a retired checkpoint become ours: we reap them, and the one
  // that carries the run on is the one we follow.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t follow = child;
  for (;;) {
    Header h{};
    if (!read_full(fd, &h, sizeof h)) {
      // EOF: every process holding the write end (all later ones) ended.
      int status = 0;
      for (;;) {
        int st = 0;
        pid_t p = ::wait(&st);
        if (p < 0 && errno == EINTR) continue;
        if (p < 0) break;
        if (p == follow) status = st;
      }
      if (WIFSIGNALED(status)) {
        std::signal(WTERMSIG(status), SIG_DFL);
        std::raise(WTERMSIG(status));
        _exit(128 + WTERMSIG(status));
      }
      _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
    }
    std::string payload(h.len, '\0');
    if (!read_full(fd, payload.data(), h.len)) continue;  // the writer died mid-message: EOF comes next
    if (h.type == Msg::orphan) {
      Orphan o{};
      std::memcpy(&o, payload.data(), sizeof o);
      // Not killed by our parent's exit: it is one the run asked for. The
      // kernel hands us to the next subreaper up, the older checkpoint, and
      // we die with that one from then on.
      prctl(PR_SET_PDEATHSIG, 0);
      std::string m;
      put(m, o.older_fd);
      send(o.retiring_fd, Msg::retire, m);
      for (int waited = 0; getppid() == o.retiring && waited < 10000; ++waited) usleep(500);
      die_with_parent(o.older);
    } else if (h.type == Msg::adopt) {
      pid_t was = 0, now = 0;
      std::memcpy(&was, payload.data(), sizeof was);
      std::memcpy(&now, payload.data() + sizeof was, sizeof now);
      if (was == follow) follow = now;
    } else if (h.type == Msg::retire) {
      int older = -1;
      std::memcpy(&older, payload.data(), sizeof older);
      std::string m;
      put(m, getpid());
      put(m, follow);
      send(older, Msg::adopt, m);  // before we exit: it reads this before it can see our child end
      _exit(0);
    } else if (h.type == Msg::wake) {
      // End the later processes: our child (the rest end as their pipes
      // close, or with it), reaping everything that comes to us.
      kill(follow, SIGKILL);
      for (;;) {
        pid_t p = ::wait(nullptr);
        if (p < 0 && errno == EINTR) continue;
        if (p < 0) break;
      }
      close(fd);
      return payload;
    }
  }
}

}  // namespace

Reverse::Reverse(models::Machine& m, uint64_t interval, std::function<std::string()> save_server_state,
                 std::function<void(const std::string&)> restore_server_state)
    : m_(m), interval_(interval), save_(std::move(save_server_state)), restore_(std::move(restore_server_state)) {
  if (interval == 0) throw std::invalid_argument("reverse execution: the checkpoint interval must be > 0");
  m_.debug().record(true);
}

StopInfo Reverse::run() {
  try {
    if (checkpoints_.empty()) take_checkpoint();  // the start
    return forward(true);
  } catch (Woken& w) {
    return arrive(std::move(w.request));
  }
}

StopInfo Reverse::reverse_step(unsigned hart) {
  if (hart >= m_.harts()) throw std::out_of_range("reverse step: no hart " + std::to_string(hart));
  if (checkpoints_.empty()) return here(Why::history_start);
  Request r;
  r.target = m_.debug().previous_boundary(hart);
  r.report.why = r.target ? Why::step_done : Why::history_start;
  travel(std::move(r));
}

StopInfo Reverse::reverse_continue() {
  if (checkpoints_.empty() || m_.debug().events() == 0) return here(Why::history_start);
  Request r;
  r.mode = Request::Mode::scan;
  r.target = m_.debug().events();
  travel(std::move(r));
}

void Reverse::stop_checkpoints() {
  no_more_ = true;
  m_.debug().record(false);
}

// Runs to the debugger's next stop; hidden stops at the checkpoint cycles
// fork on the way.
StopInfo Reverse::forward(bool take_checkpoints) {
  models::Debug& d = m_.debug();
  for (;;) {
    if (take_checkpoints && !no_more_) d.checkpoint_at((checkpoints_.back().cycle / interval_ + 1) * interval_);
    StopInfo s = m_.run_until_stop();
    if (!d.hidden_stop()) return s;
    take_checkpoint();
  }
}

void Reverse::take_checkpoint() {
  if (checkpoints_.size() >= kMaxCheckpoints) thin_out();
  // Nothing buffered may be written twice (by the checkpoint later and by
  // the child now).
  std::fflush(nullptr);
  std::vector<std::pair<int, off_t>> files = files_being_written();
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) fail("pipe");
  const pid_t self = getpid();
  const pid_t child = fork();
  if (child < 0) fail("fork");
  if (child > 0) {
    close(p[1]);
    std::string payload = wait_as_checkpoint(p[0], child);
    for (auto [fd, at] : files) {
      if (ftruncate(fd, at) != 0) {
        // A pipe or device behind a regular-looking fd: nothing to cut.
      }
      lseek(fd, at, SEEK_SET);
    }
    Woken w;
    Reader in{payload};
    Request& r = w.request;
    in.get(r.mode), in.get(r.target), in.get(r.report), in.get(r.breakpoints), in.get(r.watchpoints);
    in.get(r.server_state), in.get(r.earlier), in.get(r.interval);
    throw w;
  }
  close(p[0]);
  die_with_parent(self);
  checkpoints_.push_back({self, p[1], m_.debug().events(), m_.cycles()});
}

// At the bound: every second checkpoint retires (never the start, never the
// newest), so the rest keep covering the run evenly at twice the spacing,
// and the interval doubles to match.
void Reverse::thin_out() {
  std::vector<Checkpoint> kept;
  for (size_t i = 0; i < checkpoints_.size(); ++i) {
    const Checkpoint& c = checkpoints_[i];
    if (i % 2 == 1 && i + 1 < checkpoints_.size()) {
      // Through its child, which must first stop dying with it.
      std::string m;
      put(m, Orphan{c.fd, kept.back().fd, c.pid, kept.back().pid});
      send(checkpoints_[i + 1].fd, Msg::orphan, m);
      close(c.fd);
    } else {
      kept.push_back(c);
    }
  }
  checkpoints_ = std::move(kept);
  interval_ *= 2;
}

// Wakes the newest checkpoint at or before the target (before it, for a
// scan: it runs up to the target) and ends this process without writing
// outputs.
void Reverse::travel(Request r) {
  models::Debug& d = m_.debug();
  auto after = [&](const Checkpoint& c) {
    return r.mode == Request::Mode::go ? c.event > r.target : c.event >= r.target;
  };
  auto it = std::find_if(checkpoints_.begin(), checkpoints_.end(), after);
  if (it == checkpoints_.begin()) throw std::logic_error("reverse execution: no checkpoint before the target");
  const Checkpoint& woken = *(it - 1);
  r.breakpoints = d.breakpoint_list();
  r.watchpoints = d.watchpoint_list();
  r.server_state = save_ ? save_() : std::string();
  r.earlier.assign(checkpoints_.begin(), it - 1);
  r.interval = interval_;
  std::string payload;
  put(payload, r.mode), put(payload, r.target), put(payload, r.report), put(payload, r.breakpoints);
  put(payload, r.watchpoints), put(payload, r.server_state), put(payload, r.earlier), put(payload, r.interval);
  std::fflush(nullptr);  // what this process printed for the session stays; its run's outputs do not
  std::signal(SIGPIPE, SIG_IGN);
  if (!send(woken.fd, Msg::wake, payload))
    throw std::runtime_error("reverse execution: the checkpoint at cycle " + std::to_string(woken.cycle) + " is gone");
  _exit(0);
}

// In a woken checkpoint: serve the request (and any that wake a checkpoint
// taken while serving it).
StopInfo Reverse::arrive(Request r) {
  models::Debug& d = m_.debug();
  struct Replaying {
    bool& flag;
    explicit Replaying(bool& f) : flag(f) { flag = true; }
    ~Replaying() { flag = false; }
  } replaying(replaying_);
  for (;;) {
    try {
      for (const Checkpoint& c : checkpoints_)  // those retired since this one forked
        if (std::none_of(r.earlier.begin(), r.earlier.end(), [&](const Checkpoint& e) { return e.pid == c.pid; }))
          close(c.fd);
      checkpoints_ = r.earlier;
      interval_ = r.interval;
      if (restore_) restore_(r.server_state);
      take_checkpoint();  // this one stays a checkpoint, for the next travel
      d.clear();
      if (r.mode == Request::Mode::scan) return scan(r);
      if (r.target > d.events()) {
        d.pause_at_event(r.target);
        StopInfo s = forward(true);
        if (s.why == Why::run_ended) return s;  // cannot happen in a deterministic run
      }
      for (uint32_t pc : r.breakpoints) d.add_breakpoint(pc);
      for (const auto& w : r.watchpoints) d.add_watchpoint(w.addr, w.bytes, w.kind);
      if (r.report.why == Why::step_done || r.report.why == Why::history_start) return here(r.report.why);
      return r.report;
    } catch (Woken& w) {
      r = std::move(w.request);
    }
  }
}

// reverse-continue's search, from a woken checkpoint: the breakpoint and
// watchpoint stops between here and the target; travel to the last one, or
// search the stretch before this checkpoint, or go to the start.
StopInfo Reverse::scan(const Request& r) {
  models::Debug& d = m_.debug();
  for (uint32_t pc : r.breakpoints) d.add_breakpoint(pc);
  for (const auto& w : r.watchpoints) d.add_watchpoint(w.addr, w.bytes, w.kind);
  const uint64_t from = d.events();
  bool found = false;
  Request next;
  // A breakpoint added after this checkpoint was taken, at its very
  // boundary: re-running from here passes that boundary without a stop.
  const StopInfo& at = d.last_stop();
  if (from > 0 && std::count(r.breakpoints.begin(), r.breakpoints.end(), at.pc) && at.why == Why::pause) {
    found = true, next.target = from, next.report = at;
    next.report.why = Why::breakpoint;
  }
  for (;;) {
    d.pause_at_event(r.target);
    StopInfo s = m_.run_until_stop();
    if (s.why == Why::run_ended || d.events() >= r.target) break;
    if (s.why == Why::breakpoint || s.why == Why::watch_load || s.why == Why::watch_store)
      found = true, next.target = d.events(), next.report = s;
  }
  if (!found) {
    if (checkpoints_.size() > 1) {  // the newest is this one: search the stretch before it
      next.mode = Request::Mode::scan;
      next.target = from;
    } else {
      next.target = 0;
      next.report.why = Why::history_start;
    }
  }
  travel(std::move(next));
}

StopInfo Reverse::here(Why why) const {
  const models::Debug& d = m_.debug();
  StopInfo s;
  if (d.events() == 0 || why == Why::history_start) {
    s.why = Why::history_start;
    s.pc = m_.hart(0).pc();
    s.cycle = m_.cycles();
    return s;
  }
  s = d.last_stop();
  s.why = why;
  return s;
}

}  // namespace spinlab::gdb

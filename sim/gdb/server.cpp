// GDB's remote serial protocol, the commands: what each packet asks of the
// machine, and the stop replies. The framing, acks and the socket are the
// Connection's (sim/gdb/connection.h); the monitor commands and the threads'
// words are in monitor_cmds.cpp; the registers in registers.cpp.
#include "sim/gdb/server.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <fmt/format.h>

#include "sim/gdb/connection.h"
#include "sim/gdb/console_gate.h"
#include "sim/gdb/packet.h"
#include "sim/gdb/registers.h"
#include "sim/gdb/reverse.h"
#include "sim/out/run_result.h"

namespace spinlab::gdb {

namespace {

using models::StopInfo;
using Why = StopInfo::Why;

// The largest packet GDB may send us (qSupported's PacketSize, in hex): an
// M or X of up to about 2 KiB.
constexpr size_t kPacketSize = 0x1000;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A hex number at the start of `s`, consumed; nullopt when there is none or
// it has more than 16 digits.
std::optional<uint64_t> take_hex(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && std::isxdigit(static_cast<unsigned char>(s[n]))) ++n;
  std::optional<uint64_t> v = parse_hex_number(s.substr(0, n));
  if (v) s.remove_prefix(n);
  return v;
}

bool take(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// "addr,len" at the start of `s` (consumed), each within 32 bits.
bool take_range(std::string_view& s, uint32_t& addr, uint32_t& len) {
  std::optional<uint64_t> a = take_hex(s);
  if (!a || *a > 0xffffffffu || !take(s, ',')) return false;
  std::optional<uint64_t> l = take_hex(s);
  if (!l || *l > 0xffffffffu) return false;
  addr = static_cast<uint32_t>(*a);
  len = static_cast<uint32_t>(*l);
  return true;
}

std::string error(std::string_view why) { return fmt::format("E.{}", why); }

}  // namespace

Server::Server(models::Machine& machine, Monitor* monitor, Connection& connection, ServerOptions options)
    : machine_(machine), monitor_(monitor), conn_(connection), options_(std::move(options)) {
  // A stop on a finding comes in the middle of a scheduler pass.
  machine_.set_run_ahead(false);
  // Before the first run: reverse execution's positions count from the start.
  if (options_.checkpoint_interval > 0)
    reverse_ = std::make_unique<Reverse>(
        machine_, options_.checkpoint_interval, [this] { return save_state(); },
        [this](const std::string& state) { restore_state(state); });
}

Server::~Server() = default;

void Server::serve() {
  while (attached_) {
    std::optional<std::string> p = conn_.receive();
    if (!p) return gone();
    if (!handle(*p)) return;
  }
}

void Server::poll() {
  if (!running_ || !attached_) return;
  // Gone in the middle of a continue: the run goes on to its end from here.
  if (conn_.closed()) return gone();
  if ((reverse_ && reverse_->replaying()) || !conn_.interrupted()) return;
  interrupted_ = true;
  machine_.debug().pause();
}

void Server::narrate(std::string_view line) {
  if (running_ && attached_ && !(reverse_ && reverse_->replaying())) console(line);
}

void Server::gone() {
  std::fprintf(stderr, "spinlab: GDB went away at cycle %llu; the run goes on to its end without stops\n",
               static_cast<unsigned long long>(machine_.cycles()));
  let_go();
}

void Server::on_finding(const Finding& f) {
  if (reverse_ && reverse_->replaying()) return;  // told when it first happened
  if (!attached_ || std::find(options_.stop_on.begin(), options_.stop_on.end(), f.kind) == options_.stop_on.end())
    return;
  pending_.push_back({f.hart, format_finding(f)});
  // A deadlock may end the run first (run.on_deadlock = "stop"): the stop is
  // then told at the run's end, and the next resume gets W.
  machine_.debug().pause();
}

// Everything GDB asked for goes; the run is the caller's to finish.
void Server::let_go() {
  attached_ = false;
  machine_.debug().clear();
  machine_.release_holds();  // gone during a continue of one hart: they all go on
  if (reverse_) reverse_->stop_checkpoints();
  breaks_.clear();
  pending_.clear();
}

// "G C PRINTED ADDR:SW:HW ...", in hex.
std::string Server::save_state() const {
  const uint64_t printed = options_.console_gate ? options_.console_gate->high_water() : 0;
  std::string s = fmt::format("{:x} {:x} {:x}", g_hart_, c_hart_, printed);
  for (const auto& [addr, n] : breaks_) s += fmt::format(" {:x}:{:x}:{:x}", addr, n.sw, n.hw);
  return s;
}

void Server::restore_state(const std::string& state) {
  unsigned g = 0, c = 0;
  unsigned long long printed = 0;
  int used = 0;
  const char* p = state.c_str();
  if (std::sscanf(p, "%x %x %llx%n", &g, &c, &printed, &used) != 3) return;
  if (options_.console_gate) options_.console_gate->raise_high_water(printed);
  g_hart_ = std::min(g, machine_.harts() - 1);
  c_hart_ = std::min(c, machine_.harts() - 1);
  breaks_.clear();
  pending_.clear();  // what the checkpoint held was told before it went on
  unsigned addr = 0;
  BreakCount n;
  for (p += used; std::sscanf(p, " %x:%x:%x%n", &addr, &n.sw, &n.hw, &used) == 3; p += used) breaks_[addr] = n;
}

bool Server::handle(std::string_view p) {
  if (p.empty()) {
    conn_.send("");
    return true;
  }
  const char cmd = p[0];
  std::string_view args = p.substr(1);
  switch (cmd) {
    case '?': conn_.send(fmt::format("T05thread:{:x};", g_hart_ + 1)); return true;
    case 'q':
    case 'Q': return handle_query(p);
    case 'H': handle_set_thread(args); return true;
    case 'T': {
      std::optional<unsigned> h = hart_of(args, g_hart_);
      conn_.send(h ? "OK" : error("no such thread"));
      return true;
    }
    case 'g': {
      std::string out;
      for (unsigned r = 0; r < kGRegisters; ++r) {
        uint32_t v = 0;
        read_register(machine_.hart(g_hart_), r, v);
        out += hex_u32_le(v);
      }
      conn_.send(out);
      return true;
    }
    case 'G': handle_registers_write(args); return true;
    case 'p': handle_register(args, false); return true;
    case 'P': handle_register(args, true); return true;
    case 'm': handle_memory_read(args); return true;
    case 'M': handle_memory_write(args, false); return true;
    case 'X': handle_memory_write(args, true); return true;
    case 'Z': handle_breakpoint(args, true); return true;
    case 'z': handle_breakpoint(args, false); return true;
    case 'c':
    case 's': {
      // An address to resume at: GDB's way to jump; the pc is set to it.
      if (!args.empty()) {
        std::optional<uint64_t> a = take_hex(args);
        if (!a || *a > 0xffffffffu || !args.empty()) {
          conn_.send(error("bad resume address"));
          return true;
        }
        machine_.hart_mut(c_hart_).set_pc(static_cast<uint32_t>(*a));
      }
      return resume(cmd == 's' ? std::optional<unsigned>(c_hart_) : std::nullopt);
    }
    case 'v':
      if (starts_with(args, "Cont?")) {
        conn_.send("vCont;c;C;s;S");
        return true;
      }
      if (starts_with(args, "Cont;")) return handle_vcont(args.substr(5));
      if (starts_with(args, "Kill")) {
        kill();
        conn_.send("OK");
        return false;
      }
      conn_.send("");  // vMustReplyEmpty, vFile, vRun, ...: not supported
      return true;
    case 'b':
      if (args == "s" || args == "c") return handle_reverse(args[0]);
      conn_.send("");
      return true;
    case 'D':
      conn_.send("OK");
      let_go();
      return false;
    case 'k': kill(); return false;  // no reply: GDB closes the connection
    default: conn_.send(""); return true;
  }
}

bool Server::handle_query(std::string_view p) {
  if (starts_with(p, "qSupported")) {
    std::string s = fmt::format(
        "PacketSize={:x};qXfer:features:read+;vContSupported+;QStartNoAckMode+;swbreak+;hwbreak+", kPacketSize);
    if (reverse_) s += ";ReverseStep+;ReverseContinue+";
    conn_.send(s);
  } else if (p == "QStartNoAckMode") {
    conn_.send("OK");  // acked the old way; from the next packet on, none
    conn_.set_no_ack(true);
  } else if (starts_with(p, "qAttached")) {
    conn_.send("1");  // GDB detaches when it quits: the run goes on to its end
  } else if (p == "qC") {
    conn_.send(fmt::format("QC{:x}", g_hart_ + 1));
  } else if (p == "qfThreadInfo") {
    std::string s = "m";
    for (unsigned h = 0; h < machine_.harts(); ++h) s += fmt::format("{}{:x}", h ? "," : "", h + 1);
    conn_.send(s);
  } else if (p == "qsThreadInfo") {
    conn_.send("l");
  } else if (starts_with(p, "qThreadExtraInfo,")) {
    std::optional<unsigned> h = hart_of(p.substr(17), g_hart_);
    conn_.send(h ? hex_encode(thread_extra_info(*h)) : error("no such thread"));
  } else if (starts_with(p, "qXfer:features:read:")) {
    std::string_view a = p.substr(20);
    uint32_t offset = 0, len = 0;
    if (!starts_with(a, "target.xml:")) {
      conn_.send(error("no such annex"));
      return true;
    }
    a.remove_prefix(11);
    if (!take_range(a, offset, len) || !a.empty()) {
      conn_.send(error("bad qXfer request"));
      return true;
    }
    const std::string& xml = target_xml();
    if (offset >= xml.size()) {
      conn_.send("l");
      return true;
    }
    len = static_cast<uint32_t>(std::min<size_t>(len, kPacketSize / 2));
    std::string_view part = std::string_view(xml).substr(offset, len);
    conn_.send((offset + part.size() >= xml.size() ? "l" : "m") + std::string(part));
  } else if (starts_with(p, "qRcmd,")) {
    handle_monitor(p.substr(6));
  } else if (starts_with(p, "qSymbol")) {
    conn_.send("OK");  // no symbols wanted
  } else {
    conn_.send("");
  }
  return true;
}

void Server::handle_set_thread(std::string_view p) {
  if (p.empty() || (p[0] != 'g' && p[0] != 'c')) {
    conn_.send(error("bad H packet"));
    return;
  }
  unsigned& which = p[0] == 'g' ? g_hart_ : c_hart_;
  std::optional<unsigned> h = hart_of(p.substr(1), which);
  if (!h) {
    conn_.send(error("no such thread"));
    return;
  }
  which = *h;
  conn_.send("OK");
}

void Server::handle_registers_write(std::string_view p) {
  if (p.size() != kGRegisters * 8 || !hex_decode(p)) {
    conn_.send(error(fmt::format("G: expected {} hex digits", kGRegisters * 8)));
    return;
  }
  isa::Hart& h = machine_.hart_mut(g_hart_);
  for (unsigned r = 0; r < kGRegisters; ++r) write_register(h, r, *parse_hex_u32_le(p.substr(r * 8, 8)));
  conn_.send("OK");
}

void Server::handle_register(std::string_view p, bool write) {
  std::optional<uint64_t> n = take_hex(p);
  if (!n || *n > 0xffff || (write ? !take(p, '=') : !p.empty())) {
    conn_.send(error("bad register packet"));
    return;
  }
  const unsigned regnum = static_cast<unsigned>(*n);
  if (!write) {
    uint32_t v = 0;
    if (read_register(machine_.hart(g_hart_), regnum, v) != RegAccess::ok)
      return conn_.send(error(fmt::format("no register {}", regnum)));
    return conn_.send(hex_u32_le(v));
  }
  std::optional<uint32_t> v = parse_hex_u32_le(p);
  if (!v) return conn_.send(error("P: expected 8 hex digits"));
  switch (write_register(machine_.hart_mut(g_hart_), regnum, *v)) {
    case RegAccess::ok: return conn_.send("OK");
    case RegAccess::no_such_register: return conn_.send(error(fmt::format("no register {}", regnum)));
    case RegAccess::read_only: return conn_.send(error(fmt::format("register {} is read-only", regnum)));
  }
}

// A read that runs into memory nothing answers returns the bytes before it
// (GDB asks again for the rest and gets the error); none at all: an error.
void Server::handle_memory_read(std::string_view p) {
  uint32_t addr = 0, len = 0;
  if (!take_range(p, addr, len) || !p.empty()) return conn_.send(error("bad m packet"));
  len = std::min<uint32_t>(len, kPacketSize / 2);
  len = static_cast<uint32_t>(std::min<uint64_t>(len, (uint64_t{1} << 32) - addr));
  std::string bytes(len, '\0');
  auto* data = reinterpret_cast<uint8_t*>(bytes.data());
  if (!machine_.peek(addr, data, len)) {
    uint32_t n = 0;
    while (n < len && machine_.peek(addr + n, data + n, 1)) ++n;
    if (n == 0) return conn_.send(error(fmt::format("no memory at {:#010x}", addr)));
    bytes.resize(n);
  }
  conn_.send(hex_encode(bytes));
}

void Server::handle_memory_write(std::string_view p, bool binary) {
  uint32_t addr = 0, len = 0;
  if (!take_range(p, addr, len) || !take(p, ':')) return conn_.send(error("bad memory write packet"));
  std::optional<std::string> bytes = binary ? std::optional<std::string>(std::string(p)) : hex_decode(p);
  if (!bytes || bytes->size() != len) return conn_.send(error("memory write: the data is not `len` bytes"));
  if (len == 0) return conn_.send("OK");  // GDB's probe for X
  if (!machine_.poke(addr, reinterpret_cast<const uint8_t*>(bytes->data()), len))
    return conn_.send(error(fmt::format("cannot write {} bytes at {:#010x}", len, addr)));
  conn_.send("OK");
}

// Z0 and Z1 are both the machine's breakpoints (no ebreak is written into
// memory); Z2/Z3/Z4 its store/load/access watchpoints, at any address and
// length.
void Server::handle_breakpoint(std::string_view p, bool insert) {
  if (p.size() < 2 || p[0] < '0' || p[0] > '4' || p[1] != ',') return conn_.send("");
  const char type = p[0];
  p.remove_prefix(2);
  uint32_t addr = 0, len = 0;
  if (!take_range(p, addr, len)) return conn_.send(error("bad breakpoint packet"));
  models::Debug& d = machine_.debug();
  if (type == '0' || type == '1') {
    BreakCount& b = breaks_[addr];
    unsigned& n = type == '0' ? b.sw : b.hw;
    if (insert) {
      if (b.sw + b.hw == 0) d.add_breakpoint(addr);
      ++n;
    } else if (n > 0 && --n == 0 && b.sw + b.hw == 0) {
      d.remove_breakpoint(addr);
      breaks_.erase(addr);
    }
    return conn_.send("OK");
  }
  if (len == 0) return conn_.send(error("a watchpoint of 0 bytes"));
  const models::WatchKind kind = type == '2'   ? models::WatchKind::store
                                 : type == '3' ? models::WatchKind::load
                                               : models::WatchKind::access;
  if (insert) d.add_watchpoint(addr, len, kind);
  else d.remove_watchpoint(addr, len, kind);
  conn_.send("OK");
}

// All-stop. Each hart takes the first action that names it, or the first
// without a thread (or -1); harts without one are held (Machine::hold), as
// the RSP keeps them stopped. GDB's scheduler-locking off sends vCont;c (or
// vCont;s:N;c): every hart runs; on or step, vCont;c:N (or vCont;s:N):
// only hart N does (gdb-multiarch steps RISC-V with a temporary breakpoint
// and a continue). One hart steps: the first with s.
bool Server::handle_vcont(std::string_view p) {
  std::optional<unsigned> step;
  std::vector<char> action(machine_.harts(), '\0');  // by hart; '\0': none yet
  while (!p.empty()) {
    size_t end = p.find(';');
    std::string_view part = p.substr(0, end);
    p = end == std::string_view::npos ? std::string_view() : p.substr(end + 1);
    size_t colon = part.find(':');
    std::string_view what = part.substr(0, colon), tid;
    if (colon != std::string_view::npos) tid = part.substr(colon + 1);
    const char a = what.empty() ? '\0' : what[0];
    if (a != 'c' && a != 'C' && a != 's' && a != 'S') {
      conn_.send(error("unsupported vCont action"));
      return true;
    }
    const char kind = a == 'c' || a == 'C' ? 'c' : 's';
    if (tid.empty() || tid == "-1") {
      for (unsigned h = 0; h < machine_.harts(); ++h)
        if (!action[h]) action[h] = kind;
      if (kind == 's' && !step) step = c_hart_;
      continue;
    }
    std::optional<unsigned> h = hart_of(tid, c_hart_);
    if (!h) {
      conn_.send(error("no such thread"));
      return true;
    }
    if (action[*h]) continue;
    action[*h] = kind;
    if (kind == 's' && !step) step = *h;
  }
  std::vector<unsigned> hold;
  for (unsigned h = 0; h < machine_.harts(); ++h)
    if (!action[h]) hold.push_back(h);
  return resume(step, hold);
}

template <typename Go>
StopInfo Server::running(Go&& go) {
  struct Running {
    bool& flag;
    explicit Running(bool& f) : flag(f) { flag = true; }
    ~Running() { flag = false; }  // an exception out of `go` too
  } on(running_);
  interrupted_ = false;
  return go();
}

// bs and bc: back to the current hart's previous instruction, or to the last
// breakpoint or watchpoint stop. Both may return in another process (a woken
// checkpoint, sim/gdb/reverse.h), whose server took on this one's state.
bool Server::handle_reverse(char what) {
  if (!reverse_) {
    conn_.send(error("reverse execution is off (run.gdb_checkpoint = 0)"));
    return true;
  }
  // Re-running from a checkpoint replays a run without the holds: it would
  // arrive somewhere this run never was.
  if (machine_.history_changed()) {
    console(
        "spinlab: reverse execution is off: a step or continue held harts that would have run meanwhile "
        "(scheduler-locking on or step, or GDB stepping over a breakpoint), so the run is no longer one a re-run "
        "from a checkpoint gives; `set scheduler-locking off` keeps it\n");
    conn_.send(error("reverse execution is off after a hold changed the run (scheduler-locking)"));
    return true;
  }
  // A run the monitor ended at a deadlock still has its past: going back
  // wakes a checkpoint whose run has not ended.
  StopInfo s;
  try {
    s = running([&] { return what == 's' ? reverse_->reverse_step(c_hart_) : reverse_->reverse_continue(); });
  } catch (const std::exception& e) {
    conn_.send(error(e.what()));
    return true;
  }
  return report_stop(s);
}

bool Server::resume(std::optional<unsigned> step, const std::vector<unsigned>& hold) {
  if (ended_) {
    send_exit();
    return false;
  }
  if (step) machine_.debug().step(*step);
  for (unsigned h : hold) machine_.hold(h);
  StopInfo s = run_machine();
  machine_.release_holds();
  return report_stop(s);
}

StopInfo Server::run_machine() {
  return running([&] { return reverse_ ? reverse_->run() : machine_.run_until_stop(); });
}

// A stop with findings to tell: their text goes to GDB's console, and the
// stop names the hart of the first (SIGTRAP). At the run's end without one:
// W with the exit code.
bool Server::report_stop(const StopInfo& s) {
  if (!pending_.empty()) {
    for (const Pending& f : pending_) console(f.text);
    const unsigned hart = pending_.front().hart;
    pending_.clear();
    g_hart_ = c_hart_ = hart;
    if (s.why == Why::run_ended) ended_ = true;
    conn_.send(fmt::format("T05thread:{:x};", hart + 1));
    return true;
  }
  if (s.why == Why::run_ended) {
    ended_ = true;
    send_exit();
    return false;
  }
  g_hart_ = c_hart_ = s.hart;
  conn_.send(stop_reply(s));
  return true;
}

std::string Server::stop_reply(const StopInfo& s) const {
  const std::string thread = fmt::format("thread:{:x};", s.hart + 1);
  switch (s.why) {
    case Why::breakpoint: {
      auto it = breaks_.find(s.pc);
      const bool sw = it == breaks_.end() || it->second.sw > 0;
      return fmt::format("T05{}{}", thread, sw ? "swbreak:;" : "hwbreak:;");
    }
    case Why::watch_load:
    case Why::watch_store: {
      const char* kind = s.watch == models::WatchKind::store  ? "watch"
                         : s.watch == models::WatchKind::load ? "rwatch"
                                                              : "awatch";
      return fmt::format("T05{}{}:{:x};", thread, kind, s.data_addr);
    }
    case Why::pause: return fmt::format("{}{}", interrupted_ ? "T02" : "T05", thread);
    case Why::history_start: return fmt::format("T05{}replaylog:begin;", thread);
    case Why::step_done:
    case Why::run_ended: break;
  }
  return "T05" + thread;
}

// W with the code spinlab exits with (with --expect, its grade).
void Server::send_exit() {
  int code = 0;
  if (options_.exit_status) {
    code = options_.exit_status();
  } else {
    RunOutcome o;
    o.reason = machine_.stop_reason();
    o.exit_code = machine_.exit_code();
    code = exit_status(o);
  }
  conn_.send(fmt::format("W{:02x}", code & 0xff));
  attached_ = false;
}

// GDB's kill: the run ends at the cycle it stopped at (exit code 137), its
// hooks finishing as usual.
void Server::kill() {
  machine_.debug().clear();
  if (!ended_) {
    machine_.request_stop(models::StopReason::killed);
    machine_.run_until_stop();
  }
  ended_ = true;
  attached_ = false;
}

// Text for GDB's console, as O packets small enough for its buffer.
void Server::console(std::string_view text) {
  constexpr size_t kChunk = kPacketSize / 4;
  for (size_t i = 0; i < text.size(); i += kChunk) conn_.send("O" + hex_encode(text.substr(i, kChunk)));
}

std::optional<unsigned> Server::hart_of(std::string_view tid, unsigned fallback) const {
  if (tid == "-1" || tid == "0") return fallback;
  std::optional<uint64_t> t = take_hex(tid);
  if (!t || !tid.empty() || *t == 0 || *t > machine_.harts()) return std::nullopt;
  return static_cast<unsigned>(*t - 1);
}

}  // namespace spinlab::gdb

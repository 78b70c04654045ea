// The lock monitor's test rig: a Feed that drives a Monitor with synthetic
// observer events, as the machine would, over a small memory of its own so
// that every access carries the old value the machine would report; and a
// Rig, a monitor with 4 harts whose callbacks count. Shared by
// monitor_test.cpp and monitor_report_test.cpp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/monitor/monitor.h"

namespace spinlab {
namespace monitor_rig {


using isa::AmoOp;
using isa::MemOp;

constexpr uint32_t kLockA = 0x80002000;
constexpr uint32_t kLockB = 0x80002010;
constexpr uint32_t kLockC = 0x80002020;
constexpr uint32_t kCounter = 0x80002100;
constexpr uint32_t kTimer = 0x80000007;     // mcause of a machine timer interrupt
constexpr uint32_t kSoftware = 0x80000003;  // ... of a machine software interrupt
constexpr uint32_t kEcall = 11;

// Drives a Monitor as the machine would: one cycle per event unless told.
class Feed {
 public:
  explicit Feed(Monitor& m) : m_(m) {}
  uint64_t now() const { return t_; }
  void wait(uint64_t cycles) { t_ += cycles; }

  uint32_t amo(unsigned h, uint32_t pc, uint32_t addr, AmoOp op, uint32_t operand) {
    uint32_t old = mem_[addr];
    isa::MemRequest r;
    r.op = MemOp::amo;
    r.amo = op;
    r.addr = addr;
    r.wdata = operand;
    isa::MemResponse resp;
    resp.rdata = old;
    resp.wrote = true;
    mem_[addr] = isa::amo_apply(op, old, operand);
    m_.access(++t_, h, pc, r, resp, old);
    return old;
  }
  uint32_t lr(unsigned h, uint32_t pc, uint32_t addr) {
    isa::MemRequest r;
    r.op = MemOp::lr;
    r.addr = addr;
    isa::MemResponse resp;
    resp.rdata = mem_[addr];
    m_.access(++t_, h, pc, r, resp, resp.rdata);
    return resp.rdata;
  }
  // An SC that succeeds when `ok` (the test decides the reservation).
  void sc(unsigned h, uint32_t pc, uint32_t addr, uint32_t data, bool ok) {
    uint32_t old = mem_[addr];
    isa::MemRequest r;
    r.op = MemOp::sc;
    r.addr = addr;
    r.wdata = data;
    isa::MemResponse resp;
    resp.rdata = ok ? 0 : 1;
    resp.wrote = ok;
    if (ok) mem_[addr] = data;
    m_.access(++t_, h, pc, r, resp, old);
  }
  uint32_t load(unsigned h, uint32_t pc, uint32_t addr) {
    isa::MemRequest r;
    r.op = MemOp::load;
    r.addr = addr;
    isa::MemResponse resp;
    resp.rdata = mem_[addr & ~3u];
    m_.access(++t_, h, pc, r, resp, resp.rdata);
    return resp.rdata;
  }
  void store(unsigned h, uint32_t pc, uint32_t addr, uint32_t data) {
    uint32_t old = mem_[addr];
    isa::MemRequest r;
    r.op = MemOp::store;
    r.addr = addr;
    r.wdata = data;
    isa::MemResponse resp;
    resp.wrote = true;
    mem_[addr] = data;
    m_.access(++t_, h, pc, r, resp, old);
  }
  // The usual lock loop: amoswap until it reads 0.
  void acquire(unsigned h, uint32_t addr, uint32_t pc = 0x80000100) { amo(h, pc, addr, AmoOp::swap, 1); }
  void release(unsigned h, uint32_t addr, uint32_t pc = 0x80000120) { store(h, pc, addr, 0); }
  // n failed amoswap attempts.
  void spin(unsigned h, uint32_t addr, int n, uint32_t pc = 0x80000100) {
    for (int i = 0; i < n; ++i) amo(h, pc, addr, AmoOp::swap, 1);
  }
  // Interrupts on or off, as csrs/csrc would.
  void mie(unsigned h, bool on, uint32_t pc = 0x80000200) { m_.interrupts_enabled(++t_, h, on, pc); }
  // A trap with `mcause`, as the machine reports it (MIE goes off).
  void trap(unsigned h, uint32_t mcause, uint32_t mepc = 0x80000300) {
    models::TrapInfo t;
    t.mcause = mcause;
    t.mepc = mepc;
    trap(h, t);
  }
  // A trap as the machine reports it, all of it given.
  void trap(unsigned h, const models::TrapInfo& t) {
    m_.trap(++t_, h, t);
    m_.interrupts_enabled(t_, h, false, 0x80000400);
  }
  void mret(unsigned h, bool mie_after, uint32_t pc = 0x80000300) {
    m_.mret(++t_, h, pc, false);
    m_.interrupts_enabled(t_, h, mie_after, pc);
  }
  // mret to user mode at pc, MIE left clear: interrupts are on in U anyway.
  void mret_to_user(unsigned h, uint32_t pc = 0x80000900) { m_.mret(++t_, h, pc, true); }
  void wfi(unsigned h, uint32_t pc = 0x80000500) { m_.wfi(++t_, h, pc); }
  // sp moved from `old_sp` to `new_sp` by other than addi sp, sp, imm (a
  // context switch's `mv sp, a0`, or a handler's move to its own stack).
  void stack(unsigned h, uint32_t old_sp, uint32_t new_sp, uint32_t pc = 0x80000700) {
    m_.stack_switched(++t_, h, pc, old_sp, new_sp);
  }

 private:
  Monitor& m_;
  uint64_t t_ = 0;
  std::map<uint32_t, uint32_t> mem_;
};

inline std::vector<FindingKind> kinds(const Monitor& m) {
  std::vector<FindingKind> out;
  for (const Finding& f : m.findings()) out.push_back(f.kind);
  return out;
}

inline const LockStats* stats_of(const std::vector<LockStats>& all, uint32_t addr) {
  for (const LockStats& s : all)
    if (s.lock.addr == addr) return &s;
  return nullptr;
}

struct Counted {
  int deadlocks = 0;
  int findings = 0;
};

// A monitor with 4 harts whose callbacks count.
struct Rig {
  Rig() : m(nullptr, 4), feed(m) {
    m.set_on_finding([this](const Finding&) { ++count.findings; });
    m.set_on_deadlock([this](const Finding&) { ++count.deadlocks; });
  }
  Monitor m;
  Feed feed;
  Counted count;
};

}  // namespace monitor_rig
}  // namespace spinlab

// Lock order: the graph of lockdep's dependencies (sim/monitor/lockdep.h) and
// the monitor's lock-order-inversion finding, "possible circular locking
// dependency detected". infer.cpp calls it where a lock is taken, spun on,
// confirmed as a lock, or found to be data.
#include "sim/monitor/lockdep.h"

#include <algorithm>
#include <deque>

#include "sim/monitor/monitor.h"

namespace spinlab {

namespace lockdep {

bool Graph::add(Edge e) {
  std::vector<Edge>& out = after_[e.from];
  for (Edge& known : out) {
    if (known.to != e.to) continue;
    if (!known.attempt || e.attempt) return false;
    // The spin ended in the acquisition: a dependency for good, at the
    // place it was taken.
    e.serial = known.serial;
    known = e;
    return true;
  }
  e.serial = ++serial_;
  out.push_back(e);
  return true;
}

std::vector<Edge> Graph::cycle_through(uint32_t from, uint32_t to,
                                       const std::function<bool(const Edge&)>& counts) const {
  auto first = after_.find(from);
  if (first == after_.end()) return {};
  auto closing = std::find_if(first->second.begin(), first->second.end(), [to](const Edge& e) { return e.to == to; });
  if (closing == first->second.end() || !counts(*closing)) return {};
  // Breadth first from `to`, so the path back to `from` is a shortest one
  // (as lockdep's __bfs finds it); `via` keeps the edge each word was reached by.
  std::unordered_map<uint32_t, const Edge*> via{{to, nullptr}};
  std::deque<uint32_t> queue{to};
  while (!queue.empty()) {
    uint32_t at = queue.front();
    queue.pop_front();
    if (at == from) break;
    auto it = after_.find(at);
    if (it == after_.end()) continue;
    for (const Edge& e : it->second) {
      if (via.count(e.to) || !counts(e)) continue;
      via.emplace(e.to, &e);
      queue.push_back(e.to);
    }
  }
  if (!via.count(from)) return {};
  std::vector<Edge> path;
  for (const Edge* e = via.at(from); e; e = via.at(e->from)) path.push_back(*e);
  std::reverse(path.begin(), path.end());
  path.insert(path.begin(), *closing);
  return path;
}

std::vector<Edge> Graph::edges_at(uint32_t addr) const {
  std::vector<Edge> out;
  for (const auto& [from, edges] : after_)
    for (const Edge& e : edges)
      if (e.from == addr || e.to == addr) out.push_back(e);
  std::sort(out.begin(), out.end(), [](const Edge& a, const Edge& b) { return a.serial < b.serial; });
  return out;
}

void Graph::forget(uint32_t addr) {
  after_.erase(addr);
  for (auto& [from, edges] : after_)
    edges.erase(std::remove_if(edges.begin(), edges.end(), [addr](const Edge& e) { return e.to == addr; }),
                edges.end());
}

bool Graph::first_report(const std::vector<Edge>& cycle) {
  std::vector<uint32_t> locks;
  for (const Edge& e : cycle) locks.push_back(e.from);
  std::sort(locks.begin(), locks.end());
  return reported_.insert(locks).second;
}

}  // namespace lockdep

namespace {

constexpr const char* kInversionRule =
    "locks must be taken in one order everywhere: a context that takes a lock while holding another, where some "
    "context took them (or a chain of them) the other way round, can deadlock with it";
constexpr const char* kAbbaLesson = "docs/lessons/16-abba.md";

// A spin this long is a spin_lock's, not a failed try: a spin_trylock gives up
// after one attempt and can never wait, so (as in Linux, where a trylock adds
// no dependency that could close a cycle) its failure adds no edge. A spin
// given up later (a bounded trylock loop) stops counting (edge_counts).
constexpr uint64_t kSpinAttempts = 2;

}  // namespace

void Monitor::lock_order(uint32_t addr, uint64_t cycle, unsigned h, uint32_t pc, uint32_t caller, bool attempt,
                         uint64_t since) {
  const HartState& s = harts_[h];
  lockdep::Take now{h, s.frames.back().context, s.user, s.mie || s.user, attempt ? since : cycle, pc, caller};
  for (uint32_t held : s.held) {
    if (held == addr) continue;  // a second take of the same lock is the recursive finding's
    const Word& w = words_.at(held);
    if (w.kind == Kind::data) continue;
    // This context's own hold: not one of the hart's interrupted contexts
    // (lockdep too stops at the interrupt's edge; that is irq safety).
    const HoldRec* r = w.held && w.hold.hart == h ? &w.hold : nullptr;
    if (!r)
      for (const HoldRec& in : w.inside)
        if (in.hart == h) r = &in;
    if (!r || !holding_context(*r, h)) continue;
    lockdep::Edge e;
    e.from = held;
    e.to = addr;
    e.held = {r->hart, r->context, r->user, r->mie, r->since, r->pc, r->caller};
    e.taken = now;
    e.attempt = attempt;
    e.frame = static_cast<uint32_t>(s.frames.size() - 1);
    e.frame_entered = s.frames.back().entered;
    if (order_->add(e)) check_order(held, addr, cycle);
  }
}

void Monitor::lock_order_spin(uint32_t addr, uint64_t cycle, unsigned h, const Spin& sp) {
  if (sp.attempts == kSpinAttempts) lock_order(addr, cycle, h, sp.pc, sp.caller, true, sp.since);
}

void Monitor::lock_order_confirmed(uint32_t addr, uint64_t cycle) {
  // A cycle whose words were not all known as locks when it closed shows
  // now, when its last word is found to be one.
  for (const lockdep::Edge& e : order_->edges_at(addr)) check_order(e.from, e.to, cycle);
}

void Monitor::lock_order_forget(uint32_t addr) { order_->forget(addr); }

bool Monitor::edge_counts(const lockdep::Edge& e, uint64_t cycle) const {
  for (uint32_t a : {e.from, e.to}) {
    auto it = words_.find(a);
    if (it == words_.end() || it->second.kind != Kind::lock) return false;
  }
  if (!e.attempt) return true;
  const HartState& s = harts_[e.taken.hart];
  if (e.frame >= s.frames.size() || s.frames[e.frame].entered != e.frame_entered) return false;
  const Spin& sp = s.frames[e.frame].spin;
  return sp.addr == e.to && live(sp, cycle);
}

void Monitor::check_order(uint32_t from, uint32_t to, uint64_t cycle) {
  auto counts = [this, cycle](const lockdep::Edge& e) { return edge_counts(e, cycle); };
  std::vector<lockdep::Edge> ring = order_->cycle_through(from, to, counts);
  if (ring.empty() || !order_->first_report(ring)) return;
  // The newest dependency is the one that closed the cycle: the report
  // starts from it, as lockdep's does from the acquisition it is checking.
  auto newest = std::max_element(ring.begin(), ring.end(),
                                 [](const lockdep::Edge& a, const lockdep::Edge& b) { return a.serial < b.serial; });
  std::rotate(ring.begin(), newest, ring.end());
  report_inversion(ring, cycle);
}

void Monitor::report_inversion(const std::vector<lockdep::Edge>& ring, uint64_t cycle) {
  Finding f;
  f.kind = FindingKind::lock_order_inversion;
  f.cycle = cycle;
  for (const lockdep::Edge& e : ring) {
    Dependency d;
    d.from = {e.from, lock_name(e.from)};
    d.to = {e.to, lock_name(e.to)};
    d.hart = e.taken.hart;
    d.context = e.taken.context;
    d.user = e.taken.user;
    d.interrupts_enabled = e.taken.mie;
    d.cycle = e.taken.cycle;
    d.attempt = e.attempt;
    d.to_at = site(e.taken.pc, e.taken.caller);
    d.from_since = e.held.cycle;
    d.from_at = site(e.held.pc, e.held.caller);
    f.chain.push_back(std::move(d));
  }
  const lockdep::Edge& closing = ring.front();
  f.hart = closing.taken.hart;
  f.at = f.chain.front().to_at;
  f.lock = f.chain.front().to;
  Hold held;
  held.lock = f.chain.front().from;
  held.hart = closing.held.hart;
  held.context = closing.held.context;
  held.user = closing.held.user;
  held.interrupts_enabled = closing.held.mie;
  held.since = closing.held.cycle;
  held.taken_at = f.chain.front().from_at;
  f.holds.push_back(held);
  f.rule = kInversionRule;
  f.lesson = kAbbaLesson;
  report(std::move(f));
}

}  // namespace spinlab

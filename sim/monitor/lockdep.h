// The lock-order graph (docs/monitor.md, "Lock order"): lockdep's
// dependencies between locks, found without annotations. An edge A -> B says
// that some context took (or spun on) B while it held A; a cycle in the graph
// is a possible deadlock whether or not this run deadlocked, which the
// monitor reports as lock-order-inversion (sim/monitor/lockdep.cpp).
//
// The graph knows locks by address and nothing of harts or contexts: the
// monitor asks it with the locks the *holding context* holds (today a
// hart's context, the held list of HartState filtered by holding_context;
// a thread's when holders become threads), so a new kind of holder changes
// only which locks the monitor passes in.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <unordered_map>
#include <vector>

namespace spinlab {

enum class Context : uint8_t;  // sim/monitor/monitor.h

namespace lockdep {

// A lock taken, or spun on, by a context: who, when, where.
struct Take {
  unsigned hart = 0;
  Context context{};
  bool user = false;
  bool mie = false;  // interrupts enabled then
  uint64_t cycle = 0;
  uint32_t pc = 0;
  uint32_t caller = 0;  // the return address then (Monitor::site)
};

// `to` was taken (or spun on: `attempt`) while `from` was held.
struct Edge {
  uint32_t from = 0;
  uint32_t to = 0;
  Take held;   // where `from` was taken
  Take taken;  // where `to` was taken or first spun on
  // Spun on, not (yet) taken: by the context at this frame of the hart,
  // entered then (Monitor::edge_counts).
  bool attempt = false;
  uint32_t frame = 0;
  uint64_t frame_entered = 0;
  uint64_t serial = 0;  // the order edges were recorded in: a cycle's newest edge closed it
};

class Graph {
 public:
  // Records e.from -> e.to the first time it is seen (the places of that
  // first time are kept, as lockdep keeps one trace per dependency), or
  // makes a known edge that was only spun on a taken one; false if nothing
  // changed.
  bool add(Edge e);
  // A cycle through the edge from -> to over edges that `counts` accepts:
  // that edge first, then the shortest path back from `to` to `from`. Empty
  // if there is none.
  std::vector<Edge> cycle_through(uint32_t from, uint32_t to, const std::function<bool(const Edge&)>& counts) const;
  // Every edge out of or into `addr`, in the order recorded.
  std::vector<Edge> edges_at(uint32_t addr) const;
  // `addr` turned out to be data: its edges go.
  void forget(uint32_t addr);
  // True the first time a cycle of these locks is reported (lockdep says
  // each inversion once).
  bool first_report(const std::vector<Edge>& cycle);

 private:
  std::unordered_map<uint32_t, std::vector<Edge>> after_;  // from -> its edges out
  std::set<std::vector<uint32_t>> reported_;               // each reported cycle's locks, sorted
  uint64_t serial_ = 0;
};

}  // namespace lockdep
}  // namespace spinlab

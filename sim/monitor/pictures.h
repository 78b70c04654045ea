// Lockdep's pictures ("possible unsafe locking scenario"), one column per
// hart, for the monitor's reports (sim/monitor/report.cpp).
#pragma once

#include <string>

#include "sim/monitor/monitor.h"

namespace spinlab::pictures {

// One CPU: lock(L); <Interrupt: timer> lock(L); *** DEADLOCK ***.
std::string irq_scenario(unsigned hart, const std::string& lock, Context irq);
// Several harts, one column each: every hold and every wait of a wait-for
// cycle, in the order of the cycles they happened at.
std::string cross_scenario(const Finding& f);
// Two columns: each hart's test (the load that found the lock free) and set
// (the store), in the order they happened.
std::string overlap_scenario(const Hold& first, const Hold& second);
// Lockdep's picture of a circular dependency (lock_order_inversion): two
// CPUs, one holding the held lock and taking the new one, the other taking
// them the other way round (through the chain, when it is longer).
std::string circular_scenario(const Finding& f);
// Two threads of one hart, one column each: the first takes the lock and
// is switched out, the second wants it (`irqs_off`: with interrupts
// disabled, a deadlock; else it spins until the first runs again).
std::string switch_scenario(const ThreadRef& holder, const ThreadRef& other, const std::string& lock, bool irqs_off);

}  // namespace spinlab::pictures

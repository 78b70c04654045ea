// The shared bus: one transaction in flight, routed by address to RAM or a
// device, each target with its latency in cycles. What an access does (loads,
// stores, LR/SC, AMOs as one indivisible read-modify-write) is isa::perform;
// the bus adds routing, latency, arbitration and statistics. Arbitration and
// timing are driven by the Machine's scheduler, which owns time.
#pragma once

#include <cstdint>
#include <vector>

#include "isa/mem.h"
#include "models/timing.h"

namespace spinlab::models {

using spinlab::Arbitration;

struct BusStats {
  uint64_t transactions = 0;
  uint64_t wait_cycles = 0;  // cycles between asking for the bus and getting it
  uint64_t hold_cycles = 0;  // cycles holding it
};

class Bus : public isa::Target {
 public:
  struct Mapping {
    const char* name;
    uint32_t base;
    uint32_t size;
    isa::Target* target;
    uint32_t latency_cycles;
  };

  explicit Bus(unsigned harts, Arbitration arbitration = Arbitration::round_robin);

  void map(const char* name, uint32_t base, uint32_t size, isa::Target* target, uint32_t latency_cycles);
  const Mapping* route(uint32_t addr) const;

  // Performs r for `hart` as one transaction; `latency_cycles` is how long the
  // bus is held (an address with no device still costs one cycle to find out).
  isa::MemResponse access(unsigned hart, const isa::MemRequest& r, uint32_t& latency_cycles);

  // Which of the harts whose bit is set in `requesting` gets the bus next.
  unsigned arbitrate(const std::vector<unsigned>& requesting);
  void record(unsigned hart, uint64_t wait_cycles, uint32_t hold_cycles);

  isa::Reservations& reservations() { return reservations_; }
  const std::vector<BusStats>& stats() const { return stats_; }

  // isa::Target: routes each access by address (used by isa::perform).
  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;

 private:
  std::vector<Mapping> map_;
  isa::Reservations reservations_;
  Arbitration arbitration_;
  unsigned last_owner_;
  std::vector<BusStats> stats_;
};

}  // namespace spinlab::models

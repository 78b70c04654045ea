// A waveform hook for tests: keeps the calls as each signal's values and
// shows each signal from a cycle on, as a waveform viewer would. The machine
// test and the GDB server test hold a hook that waits for a later cycle
// (Hooks::waveform_from) to one that heard every call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/hooks.h"

namespace spinlab::models::test {

// Keeps the waveform calls as each signal's values, in the order they came.
class Waves : public Hooks {
 public:
  explicit Waves(uint64_t from) : from_(from) {}
  unsigned wants() const override { return kWaveform; }
  uint64_t waveform_from() const override { return from_; }
  void hart(uint64_t cycle, unsigned h, const HartTrace& t) override {
    const std::string n = "hart" + std::to_string(h) + ".";
    add(n + "pc", cycle, t.pc);
    add(n + "insn", cycle, t.insn);
    add(n + "retired", cycle, t.retired);
    add(n + "mstatus_mie", cycle, t.mstatus_mie);
    add(n + "mip", cycle, t.mip);
    add(n + "mie", cycle, t.mie);
    add(n + "irq_depth", cycle, t.irq_depth);
    add(n + "stall", cycle, static_cast<uint64_t>(t.stall));
    add(n + "context", cycle, t.context);
    add(n + "priv", cycle, t.priv);
  }
  void stall(uint64_t cycle, unsigned h, Stall why) override {
    add("hart" + std::to_string(h) + ".stall", cycle, static_cast<uint64_t>(why));
  }
  void bus(uint64_t cycle, int owner, uint32_t addr, BusKind kind) override {
    add("bus.owner", cycle, static_cast<uint32_t>(owner));  // -1, free: all ones
    add("bus.addr", cycle, addr);
    add("bus.kind", cycle, static_cast<uint64_t>(kind));
  }
  void irq_line(uint64_t cycle, unsigned line, bool level) override {
    add("line" + std::to_string(line), cycle, level);
  }
  void word(uint64_t cycle, unsigned index, uint32_t value) override {
    add("word" + std::to_string(index), cycle, value);
  }
  void finish(uint64_t cycle) override { end = cycle; }

  // Each signal from cycle `a` to the end, as a waveform shows it: its value
  // at `a` (the latest dated at or before it, by date and then arrival; 0
  // before any), then each change after, the last value of a cycle winning.
  // A signal that is 0 throughout is left out.
  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> shown(uint64_t a) const {
    std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> out;
    for (auto [name, values] : values_) {
      std::stable_sort(values.begin(), values.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      std::vector<std::pair<uint64_t, uint64_t>> w{{a, 0}};
      for (const auto& [cycle, value] : values) {
        if (cycle > end) break;
        if (cycle <= a) w[0].second = value;
        else if (w.back().first == cycle) w.back().second = value;
        else w.emplace_back(cycle, value);
      }
      std::vector<std::pair<uint64_t, uint64_t>> changes{w[0]};
      for (size_t i = 1; i < w.size(); ++i)
        if (w[i].second != changes.back().second) changes.push_back(w[i]);
      if (changes.size() > 1 || changes[0].second != 0) out[name] = changes;
    }
    return out;
  }
  uint64_t end = 0;

 private:
  void add(const std::string& name, uint64_t cycle, uint64_t value) { values_[name].emplace_back(cycle, value); }
  uint64_t from_;
  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> values_;
};

}  // namespace spinlab::models::test

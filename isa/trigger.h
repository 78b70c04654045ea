// Debug triggers (Sdtrig, RISC-V debug spec 1.0, chapter 5): the trigger
// module's CSRs (tselect, tdata1-3, tinfo) and address matching for
// triggers of type 2 (mcontrol) and 6 (mcontrol6) with action 0, which
// raise a breakpoint exception. No debug mode: dmode reads 0. The hart asks
// (isa/hart.cpp) before an instruction executes and before a load or store
// goes out ("timing before").
#pragma once

#include <array>
#include <cstdint>

namespace spinlab::isa {

class Triggers {
 public:
  static constexpr unsigned kCount = 4;

  // What a trigger watches: the execute, store and load bits of
  // mcontrol/mcontrol6, at the same positions in both.
  enum Kind : uint8_t { load = 1, store = 2, execute = 4 };

  void reset();

  uint32_t tselect() const { return select_; }
  void write_tselect(uint32_t v);
  uint32_t read_tdata1() const;
  void write_tdata1(uint32_t v);
  uint32_t read_tdata2() const { return t_[select_].tdata2; }
  void write_tdata2(uint32_t v) { t_[select_].tdata2 = v; }
  static uint32_t tinfo();

  // Kinds some trigger watches in this mode (machine or user): 0 means no
  // trigger can fire, the one test the hot path makes.
  uint8_t armed(bool machine) const { return machine ? armed_m_ : armed_u_; }
  // A trigger of this kind fires on `addr` in this mode.
  bool fires(Kind kind, uint32_t addr, bool machine) const;

 private:
  struct Trigger {
    uint8_t type = 2;       // 2 mcontrol, 6 mcontrol6, 15 disabled
    uint32_t control = 0;   // the writable tdata1 bits: match, m, u, execute, store, load
    uint32_t tdata2 = 0;
  };
  void update_armed();

  std::array<Trigger, kCount> t_{};
  uint32_t select_ = 0;
  uint8_t armed_m_ = 0, armed_u_ = 0;
};

}  // namespace spinlab::isa

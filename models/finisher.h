// The test finisher (QEMU's sifive_test at FINISHER_BASE): a write of
// FINISHER_PASS ends the run with exit code 0, (code << 16) | FINISHER_FAIL
// with `code`. HTIF's tohost is models/htif.h's.
#pragma once

#include <cstdint>
#include <optional>

#include "firmware/include/memmap.h"
#include "models/device_base.h"

namespace spinlab::models {

class Finisher : public Device {
 public:
  explicit Finisher(sc_core::sc_module_name name = "finisher") : Device(name, FINISHER_BASE, FINISHER_SIZE) {}
  bool read(uint32_t addr, unsigned size, uint32_t& value) override {
    value = 0;
    return true;
  }
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  std::optional<int> exit_code() const { return exit_code_; }
  std::optional<int> exit_request() const override { return exit_code_; }

 private:
  std::optional<int> exit_code_;
};

}  // namespace spinlab::models

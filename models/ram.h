// RAM at RAM_BASE: zeroed at start, read and written naturally aligned by the
// bus, fetched from directly by the harts.
#pragma once

#include <cstdint>
#include <memory>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::models {

class Ram : public isa::Target {
 public:
  Ram(uint32_t base, uint32_t bytes);
  ~Ram() override;
  Ram(const Ram&) = delete;
  Ram& operator=(const Ram&) = delete;

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  // A read from outside the run (an observer's): no bus, no cost.
  bool peek(uint32_t addr, unsigned size, uint32_t& value) const;

  // Copies an image into RAM (ELF loading) and zeroes the `zeros` bytes
  // after it (a segment's memsz beyond its filesz); false when it does not fit.
  bool load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros = 0);
  isa::CodeMemory code() const { return {bytes_, base_, size_}; }
  uint32_t base() const { return base_; }
  uint32_t size() const { return size_; }

 private:
  uint8_t* bytes_;  // calloc'd: zeroed, and pages never touched cost nothing
  uint32_t base_;
  uint32_t size_;
};

}  // namespace spinlab::models

#include "models/ram.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace spinlab::models {

Ram::Ram(uint32_t base, uint32_t bytes)
    : bytes_(static_cast<uint8_t*>(std::calloc(bytes, 1))), base_(base), size_(bytes) {
  if (!bytes_) throw std::bad_alloc();
}

Ram::~Ram() { std::free(bytes_); }

// The host is little-endian like RISC-V, so a word is a memcpy.
bool Ram::read(uint32_t addr, unsigned size, uint32_t& value) { return peek(addr, size, value); }

bool Ram::peek(uint32_t addr, unsigned size, uint32_t& value) const {
  uint32_t off = addr - base_;
  if (addr < base_ || off > size_ - size) return false;
  value = 0;
  std::memcpy(&value, bytes_ + off, size);
  return true;
}

bool Ram::write(uint32_t addr, unsigned size, uint32_t value) {
  uint32_t off = addr - base_;
  if (addr < base_ || off > size_ - size) return false;
  std::memcpy(bytes_ + off, &value, size);
  return true;
}

bool Ram::load(uint32_t addr, const uint8_t* data, uint32_t size, uint32_t zeros) {
  const uint64_t total = uint64_t{size} + zeros;
  if (addr < base_ || addr - base_ > size_ || total > size_ - (addr - base_)) return false;
  if (size) std::memcpy(bytes_ + (addr - base_), data, size);
  if (zeros) std::memset(bytes_ + (addr - base_) + size, 0, zeros);
  return true;
}

}  // namespace spinlab::models

// Memory requests as the hart issues them, and their semantics over any
// target: loads with sign/zero extension, stores, LR/SC reservations and the
// nine AMOs as one read-modify-write. Timing and arbitration live in models/;
// what an access *does* lives here, once.
#pragma once

#include <cstdint>
#include <vector>

namespace spinlab::isa {

enum class MemOp : uint8_t { load, store, lr, sc, amo };
enum class AmoOp : uint8_t { swap, add, xor_, and_, or_, min, max, minu, maxu };

struct MemRequest {
  MemOp op = MemOp::load;
  AmoOp amo = AmoOp::swap;
  uint8_t size = 4;          // bytes: 1, 2 or 4 (LR/SC/AMO: always 4)
  bool sign_extend = false;  // loads: lb/lh sign-extend, lbu/lhu do not
  bool aq = false, rl = false;
  uint32_t addr = 0;
  uint32_t wdata = 0;        // store data, SC data or AMO operand (rs2)
};

struct MemResponse {
  bool fault = false;  // no device at the address (or the device refused): access fault
  uint32_t rdata = 0;  // load: extended value; lr/amo: old word; sc: 0 success, 1 failure
  bool wrote = false;  // memory was changed (store, successful sc, amo)
  uint32_t fault_addr = 0;  // fault: the address of the part that faulted (mtval; a split access's byte)
};

// What a device or RAM offers: naturally aligned accesses of 1, 2 or 4 bytes.
// Return false when there is nothing at that address (access fault).
class Target {
 public:
  virtual ~Target() = default;
  virtual bool read(uint32_t addr, unsigned size, uint32_t& value) = 0;
  virtual bool write(uint32_t addr, unsigned size, uint32_t value) = 0;
};

// One LR reservation per hart, on a 4-byte granule. Any store or AMO by another
// hart to a reserved granule breaks that hart's reservation; an SC consumes
// the issuing hart's reservation whether it succeeds or not (unprivileged
// spec, "Load-Reserved/Store-Conditional Instructions").
class Reservations {
 public:
  explicit Reservations(unsigned harts = 1) : addr_(harts, kNone) {}
  void resize(unsigned harts) { addr_.assign(harts, kNone); }
  void reserve(unsigned hart, uint32_t addr) { addr_[hart] = addr & ~3u; }
  bool consume(unsigned hart, uint32_t addr);  // true when hart held a reservation on addr
  void on_write(unsigned writer, uint32_t addr, unsigned size);
  void clear(unsigned hart) { addr_[hart] = kNone; }

 private:
  static constexpr uint64_t kNone = ~uint64_t{0};
  std::vector<uint64_t> addr_;
};

uint32_t amo_apply(AmoOp op, uint32_t old_value, uint32_t operand);

// Performs r for `hart` on target t. A misaligned load/store (only issued when
// the hart allows them) is done byte by byte.
MemResponse perform(const MemRequest& r, unsigned hart, Target& t, Reservations& res);

}  // namespace spinlab::isa

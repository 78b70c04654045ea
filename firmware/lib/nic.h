/* The NIC (models/nic.h; registers in docs/machine.md, offsets in memmap.h
 * as NIC_*): a receive-only network device. The driver gives it a ring of
 * descriptors in RAM; for each frame the device writes a descriptor into the
 * slot at HEAD (DMA) and advances HEAD, and raises its PLIC line while an
 * enabled IRQ_STATUS bit is set. The driver reads the slots from TAIL up to
 * HEAD and writes TAIL to hand them back. One slot always stays empty: the
 * ring is full when the slot after HEAD is TAIL, and a frame that finds it
 * full is dropped and counted in OVERRUNS. */
#ifndef NIC_H
#define NIC_H

#include "memmap.h"
#include "types.h"

/* One ring slot, as the device writes it (NIC_DESC_BYTES). */
struct nic_desc {
  uint32 length;  /* the frame's length in bytes */
  uint32 seq;     /* the frame's number since reset, dropped frames counted */
};

/* NIC n's register at offset `reg` (NIC_RING_BASE, ...). */
static inline uint32 nic_read(int n, uint32 reg)
{
  return *(volatile uint32 *)(NIC_BASE + NIC_STRIDE * (uint32)n + reg);
}

static inline void nic_write(int n, uint32 reg, uint32 value)
{
  *(volatile uint32 *)(NIC_BASE + NIC_STRIDE * (uint32)n + reg) = value;
}

/* Gives NIC n the ring `ring` of `slots` descriptors (HEAD and TAIL go to
 * slot 0) and enables the interrupts in `irqs` (NIC_IRQ_RX, NIC_IRQ_OVERRUN). */
static inline void nic_open(int n, struct nic_desc *ring, uint32 slots, uint32 irqs)
{
  nic_write(n, NIC_RING_BASE, (uint32)ring);
  nic_write(n, NIC_RING_SIZE, slots);
  nic_write(n, NIC_IRQ_ENABLE, irqs);
}

#endif

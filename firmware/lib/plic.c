// The PLIC (RISC-V PLIC specification 1.0.0), QEMU virt layout (memmap.h).
// spinlab's harts run in machine mode only, so hart h uses its machine-mode
// context, PLIC_MCONTEXT(h).

#include "memmap.h"
#include "plic.h"

#define REG(addr) (*(volatile uint32 *)(addr))

void plic_set_priority(int source, uint32 priority)
{
  REG(PLIC_PRIORITY(source)) = priority;
}

uint32 plic_priority(int source)
{
  return REG(PLIC_PRIORITY(source));
}

// One enable bit per source, 32 to a word (read-modify-write: the word is
// this context's alone).
void plic_enable(int hart, int source)
{
  uint32 addr = PLIC_ENABLE(PLIC_MCONTEXT(hart)) + 4u * (source / 32);
  REG(addr) = REG(addr) | (1u << (source % 32));
}

void plic_disable(int hart, int source)
{
  uint32 addr = PLIC_ENABLE(PLIC_MCONTEXT(hart)) + 4u * (source / 32);
  REG(addr) = REG(addr) & ~(1u << (source % 32));
}

void plic_set_threshold(int hart, uint32 threshold)
{
  REG(PLIC_THRESHOLD(PLIC_MCONTEXT(hart))) = threshold;
}

uint32 plic_pending(int source)
{
  return (REG(PLIC_PENDING + 4u * (source / 32)) >> (source % 32)) & 1;
}

// Reading the claim register takes the source out of the running (it is
// not pending, nor delivered again) until plic_complete() gives it back.
uint32 plic_claim(int hart)
{
  return REG(PLIC_CLAIM(PLIC_MCONTEXT(hart)));
}

void plic_complete(int hart, uint32 source)
{
  REG(PLIC_CLAIM(PLIC_MCONTEXT(hart))) = source;
}

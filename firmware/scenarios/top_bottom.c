// 19-top-bottom (docs/lessons/19-top-bottom.md): a NIC's interrupt handler
// split in two. The NIC (a [[nic]] of the config, PLIC source 1) writes a
// descriptor per frame into a small receive ring; frames come in bursts.
// The top half, nic_intr, acknowledges the device and moves each descriptor
// from the ring to the per-hart backlog (as Linux's netif_rx does), so the
// ring's slots go back to the device at once; it raises NET_RX_SOFTIRQ. The
// bottom half, net_rx_action, does the per-frame work (a checksum loop as
// long as the frame) with interrupts on, so the next frame's top half runs
// in the middle of it.
//
// [firmware.params] in_handler = 1 does the work inside the handler, with
// interrupts off: while one frame is worked on, the next ones of the burst
// fill the ring and the rest are dropped (the NIC's OVERRUNS).

#include "defs.h"
#include "riscv.h"
#include "kernel.h"
#include "../lib/nic.h"

FIRMWARE_PARAM(in_handler, 0);

#define NIC 0            // the config's first [[nic]]
#define NIC_SOURCE 1     // its line
#define FRAMES 64        // its count: the run ends when all have come
#define RING_SLOTS 8     // holds 7 frames: the device's own small buffer
#define BACKLOG 64       // a power of two

static struct nic_desc ring[RING_SLOTS] __attribute__((aligned(8)));

// The backlog: the top half adds at head, the bottom half takes at tail.
// Both run on this hart; the bottom half takes with interrupts off, since
// the top half may come in the middle of its take.
static struct nic_desc backlog[BACKLOG];
static volatile uint32 backlog_head, backlog_tail;

static volatile uint32 processed;      // frames worked on
static volatile uint32 backlog_drops;  // frames the backlog had no room for
static volatile uint32 checksum;       // the work's result, so it is not optimised away
static uint32 top_cycles, top_frames, top_runs;
static uint32 bh_cycles, bh_frames;

// The per-frame work (Linux: the protocol layers): a loop as long as the
// frame, so it costs the same wherever it runs and however it is interrupted.
static void process(struct nic_desc d)
{
  uint32 sum = d.seq;

  for (uint32 i = 0; i < d.length; i += 4)
    sum = sum * 31 + i;
  checksum += sum;
  processed++;
}

// Takes the frames the device has written, TAIL up to HEAD, and gives their
// slots back; each one goes to `take`.
static uint32 rx_ring(void (*take)(struct nic_desc))
{
  uint32 head = nic_read(NIC, NIC_HEAD);
  uint32 tail = nic_read(NIC, NIC_TAIL);
  uint32 n = 0;

  while (tail != head) {
    struct nic_desc d = ring[tail];
    tail = (tail + 1) % RING_SLOTS;
    nic_write(NIC, NIC_TAIL, tail);   // the slot is the device's again
    take(d);
    n++;
  }
  return n;
}

static void enqueue(struct nic_desc d)
{
  if (backlog_head - backlog_tail == BACKLOG) {
    backlog_drops++;
    return;
  }
  backlog[backlog_head % BACKLOG] = d;
  backlog_head++;
}

// The top half, between devintr's claim and completion, interrupts off.
static void nic_intr(void)
{
  uint32 start = r_cycle();

  // Acknowledge first: a frame that comes after this raises the line again.
  nic_write(NIC, NIC_IRQ_STATUS, nic_read(NIC, NIC_IRQ_STATUS));
  if (in_handler) {
    top_frames += rx_ring(process);           // WRONG: all the work, interrupts off
  } else {
    top_frames += rx_ring(enqueue);
    raise_softirq(NET_RX_SOFTIRQ);
  }
  top_runs++;
  top_cycles += r_cycle() - start;
}

// The bottom half: at irq_exit, interrupts on. Time spent in top halves
// that come in the middle is not its own.
static void net_rx_action(void)
{
  for (;;) {
    local_irq_disable();
    if (backlog_tail == backlog_head) {
      local_irq_enable();
      return;
    }
    struct nic_desc d = backlog[backlog_tail % BACKLOG];
    backlog_tail++;
    local_irq_enable();

    uint32 start = r_cycle(), top_before = top_cycles;
    process(d);
    bh_cycles += (r_cycle() - start) - (top_cycles - top_before);
    bh_frames++;
  }
}

static int done(void)
{
  return processed + backlog_drops + nic_read(NIC, NIC_OVERRUNS) >= FRAMES;
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  open_softirq(NET_RX_SOFTIRQ, net_rx_action);
  request_irq(NIC_SOURCE, nic_intr);
  nic_open(NIC, ring, RING_SLOTS, NIC_IRQ_RX);
  printf("top-bottom: the per-frame work runs %s\n", in_handler ? "in the handler" : "in the bottom half");
  // MIE off around the look and the wfi: an interrupt between them would
  // otherwise leave the hart asleep with the last frame done.
  for (;;) {
    intr_off();
    if (done())
      break;
    wfi();
    intr_on();
  }
  uint32 overruns = nic_read(NIC, NIC_OVERRUNS);
  printf("top-bottom: %d frames: %d processed, %d overruns, %d backlog drops\n", FRAMES, processed, overruns,
         backlog_drops);
  printf("top-bottom: top half %d cycles per frame (%d runs, %d frames), bottom half %d cycles per frame\n",
         top_frames ? top_cycles / top_frames : 0, top_runs, top_frames, bh_frames ? bh_cycles / bh_frames : 0);
  return overruns == 0 && backlog_drops == 0 ? 0 : 1;
}

/* The machine's memory map: the one place both the firmware (C) and the
 * simulator (C++) take addresses from. It is QEMU's `virt` layout, so the same
 * ELF runs on `qemu-system-riscv32 -machine virt -bios none`. */
#ifndef SPINLAB_MEMMAP_H
#define SPINLAB_MEMMAP_H

/* Test finisher (QEMU sifive_test): write FINISHER_PASS to exit 0, or
 * (code << 16) | FINISHER_FAIL to exit with `code`. */
#define FINISHER_BASE   0x00100000u
#define FINISHER_SIZE   0x1000u
#define FINISHER_PASS   0x5555u
#define FINISHER_FAIL   0x3333u

/* CLINT: msip[h] at +4h, mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8.
 * The *_OFF offsets are what the device decodes; the firmware uses the
 * addresses. */
#define CLINT_BASE      0x02000000u
#define CLINT_SIZE      0x10000u
#define CLINT_MSIP_OFF      0x0u
#define CLINT_MTIMECMP_OFF  0x4000u
#define CLINT_MTIME_OFF     0xBFF8u
#define CLINT_MSIP(h)       (CLINT_BASE + CLINT_MSIP_OFF + 4u * (h))
#define CLINT_MTIMECMP(h)   (CLINT_BASE + CLINT_MTIMECMP_OFF + 8u * (h))
#define CLINT_MTIME         (CLINT_BASE + CLINT_MTIME_OFF)

/* PLIC: priority at +4s, pending at +0x1000, enables at +0x2000 + 0x80 c,
 * threshold/claim at +0x200000 + 0x1000 c. As on QEMU virt, each hart has two
 * contexts, machine mode (c = 2h) and supervisor mode (c = 2h + 1); spinlab's
 * harts run in machine mode only, so firmware uses PLIC_MCONTEXT(h). */
#define PLIC_BASE       0x0C000000u
#define PLIC_SIZE       0x4000000u
#define PLIC_PENDING_OFF        0x1000u
#define PLIC_ENABLE_OFF         0x2000u
#define PLIC_ENABLE_STRIDE      0x80u
#define PLIC_CONTEXT_OFF        0x200000u  /* a context's threshold; its claim/complete is at +4 */
#define PLIC_CONTEXT_STRIDE     0x1000u
#define PLIC_CLAIM_OFF          0x4u
#define PLIC_PRIORITY(s)    (PLIC_BASE + 4u * (s))
#define PLIC_PENDING        (PLIC_BASE + PLIC_PENDING_OFF)
#define PLIC_ENABLE(c)      (PLIC_BASE + PLIC_ENABLE_OFF + PLIC_ENABLE_STRIDE * (c))
#define PLIC_THRESHOLD(c)   (PLIC_BASE + PLIC_CONTEXT_OFF + PLIC_CONTEXT_STRIDE * (c))
#define PLIC_CLAIM(c)       (PLIC_THRESHOLD(c) + PLIC_CLAIM_OFF)
#define PLIC_MCONTEXT(h)    (2u * (h))

/* UART: a 16550 subset. THR (write) / RBR (read) at +0, LSR at +5. */
#define UART0_BASE      0x10000000u
#define UART0_SIZE      0x100u
#define UART_THR        0u
#define UART_LSR        5u
#define UART_LSR_THRE   0x20u  /* transmit holding register empty */
#define UART_LSR_TEMT   0x40u  /* transmitter empty */

/* Interrupt sources: spinlab's stand-ins for a NIC or a disk (not on QEMU).
 * Source i's registers are at IRQSRC_BASE + IRQSRC_STRIDE * i:
 *   STATUS (read): events raised and not yet acknowledged
 *   ACK (write 1): acknowledge one event; the line drops when none is left
 *   COUNT (read): events raised since reset */
#define IRQSRC_BASE     0x10010000u
#define IRQSRC_STRIDE   0x100u
#define IRQSRC_SIZE     0x1000u
#define IRQSRC_STATUS   0x0u
#define IRQSRC_ACK      0x4u
#define IRQSRC_COUNT    0x8u

/* NICs: spinlab's receive-only network device (not on QEMU). NIC i's
 * registers are at NIC_BASE + NIC_STRIDE * i, all 32-bit; docs/machine.md has
 * the table and firmware/lib/nic.h the driver's view. The device writes one
 * descriptor (NIC_DESC_BYTES) per frame into the ring in RAM at NIC_HEAD and
 * advances it; the driver reads up to NIC_HEAD and writes NIC_TAIL. */
#define NIC_BASE        0x10020000u
#define NIC_STRIDE      0x100u
#define NIC_SIZE        0x400u   /* room for 4 */
#define NIC_RING_BASE   0x00u    /* rw: RAM address of slot 0 (8-aligned) */
#define NIC_RING_SIZE   0x04u    /* rw: slots, 0..NIC_RING_MAX (0: no ring) */
#define NIC_HEAD        0x08u    /* r:  the slot the device fills next */
#define NIC_TAIL        0x0Cu    /* rw: the slot the driver reads next */
#define NIC_IRQ_STATUS  0x10u    /* r, write 1 to clear: NIC_IRQ_* */
#define NIC_IRQ_ENABLE  0x14u    /* rw: NIC_IRQ_*; line = STATUS & ENABLE */
#define NIC_RX_FRAMES   0x18u    /* r:  frames written into the ring */
#define NIC_OVERRUNS    0x1Cu    /* r:  frames dropped: no free slot */
#define NIC_IRQ_RX      0x1u     /* a frame was written into the ring */
#define NIC_IRQ_OVERRUN 0x2u     /* a frame was dropped */
#define NIC_RING_MAX    4096u
#define NIC_DESC_BYTES  8u       /* +0 length in bytes, +4 sequence number */

/* RAM */
#define RAM_BASE        0x80000000u

#endif

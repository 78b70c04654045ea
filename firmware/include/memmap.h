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

/* CLINT: msip[h] at +4h, mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8. */
#define CLINT_BASE      0x02000000u
#define CLINT_SIZE      0x10000u
#define CLINT_MSIP(h)       (CLINT_BASE + 4u * (h))
#define CLINT_MTIMECMP(h)   (CLINT_BASE + 0x4000u + 8u * (h))
#define CLINT_MTIME         (CLINT_BASE + 0xBFF8u)

/* PLIC: priority at +4s, pending at +0x1000, enables at +0x2000 + 0x80 c,
 * threshold/claim at +0x200000 + 0x1000 c. As on QEMU virt, each hart has two
 * contexts, machine mode (c = 2h) and supervisor mode (c = 2h + 1); spinlab's
 * harts run in machine mode only, so firmware uses PLIC_MCONTEXT(h). */
#define PLIC_BASE       0x0C000000u
#define PLIC_SIZE       0x4000000u
#define PLIC_PRIORITY(s)    (PLIC_BASE + 4u * (s))
#define PLIC_PENDING        (PLIC_BASE + 0x1000u)
#define PLIC_ENABLE(c)      (PLIC_BASE + 0x2000u + 0x80u * (c))
#define PLIC_THRESHOLD(c)   (PLIC_BASE + 0x200000u + 0x1000u * (c))
#define PLIC_CLAIM(c)       (PLIC_BASE + 0x200004u + 0x1000u * (c))
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

/* RAM */
#define RAM_BASE        0x80000000u

#endif

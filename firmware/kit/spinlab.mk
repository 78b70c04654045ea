# The spinlab firmware kit: how to build a program for spinlab's harts on the
# teaching kernel, outside spinlab's source tree (docs/kit.md).
#
#   include $(KIT)/spinlab.mk
#   prog.elf: prog.o $(SPINLAB_LIBS)
#           $(CC) $(LDFLAGS) -o $@ prog.o $(LDLIBS)
#
# These are the flags the bundled scenarios are built with
# (cmake/riscv-toolchain.cmake, firmware/CMakeLists.txt).

SPINLAB_KIT := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

# Debian's bare-metal RISC-V gcc (package gcc-riscv64-unknown-elf) makes
# 32-bit code with -march/-mabi.
CROSS ?= riscv64-unknown-elf-
CC := $(CROSS)gcc
OBJDUMP := $(CROSS)objdump

# RV32IMA, machine mode, no C library. gcc 12 needs Zicsr and Zifencei
# named for csrr/csrw and fence.i to assemble. The kit's library is built
# without the C extension, like the bundled scenarios.
SPINLAB_ARCH := -march=rv32ima_zicsr_zifencei -mabi=ilp32
CFLAGS += $(SPINLAB_ARCH) -ffreestanding -O2 -g -Wall -Wextra \
          -Werror=implicit-function-declaration -ffunction-sections -fdata-sections \
          -I$(SPINLAB_KIT)/include
ASFLAGS += $(SPINLAB_ARCH) -I$(SPINLAB_KIT)/include

# kernel.ld puts the program at RAM_BASE, where every hart starts, with
# start.S's _entry first. libkernel.a holds start-up, the console (printf),
# the CLINT/PLIC drivers, the teaching kernel (spinlocks, traps, threads)
# and on_every_hart (harts.h).
SPINLAB_LIBS := $(SPINLAB_KIT)/lib/libkernel.a $(SPINLAB_KIT)/kernel.ld
LDFLAGS += $(SPINLAB_ARCH) -nostdlib -nostartfiles -Wl,--no-warn-rwx-segments \
           -T $(SPINLAB_KIT)/kernel.ld -Wl,--gc-sections -L$(SPINLAB_KIT)/lib

# libgcc for 64-bit division and the like. There is no rv32ima multilib,
# and asked with a _zicsr -march gcc falls back to the rv64 one, which does
# not link with ilp32 objects: the rv32ia/ilp32 one is ABI-compatible.
SPINLAB_LIBGCC := $(shell $(CC) -march=rv32ia -mabi=ilp32 -print-libgcc-file-name 2>/dev/null)
LDLIBS += -lkernel $(SPINLAB_LIBGCC)

# Every firmware program, one line each; sources are relative to firmware/.
# Read by the firmware build (which builds NAME.elf from the sources and the
# library) and by the host build (which learns the names, and what the
# end-to-end tests in tests/e2e expect of each test program).
#
#   firmware_program(NAME SOURCE... [ARCH rv32imac] [LINKER_SCRIPT file])
#   firmware_test(NAME SOURCE... [ARCH rv32imac] [EXIT_CODE n] [HARTS n]
#                 [SPINLAB_ONLY] [SPINLAB_ARGS arg...] [LINKER_SCRIPT file])
#       Programs are built for rv32ima unless ARCH rv32imac asks for the C
#       extension (every object, the library's included), and linked with
#       lib/kernel.ld unless LINKER_SCRIPT names another (relative to firmware/).
#       A self-checking program, built with the test harness (tests/check.h).
#       tests/e2e runs it on spinlab (on HARTS harts, default 1, and with
#       SPINLAB_ARGS) and expects EXIT_CODE (default 0); unless SPINLAB_ONLY
#       it also runs it on QEMU, which must print the same and exit the same.
#   LINKER_SCRIPT (relative to firmware/) replaces lib/kernel.ld.

firmware_program(hello programs/hello.c)

firmware_test(isa_rv32i tests/isa_rv32i.c)
firmware_test(isa_m tests/isa_m.c)
firmware_test(isa_a tests/isa_a.c)
# These three check what only a machine without C does (misa, traps on jumps
# to 2-aligned targets): spinlab runs them as "rv32ima", QEMU too (run_qemu.sh
# gives QEMU C only for programs built with it).
firmware_test(csr tests/csr.c SPINLAB_ARGS --set machine.isa=rv32ima)
firmware_test(traps tests/traps.c SPINLAB_ARGS --set machine.isa=rv32ima)
firmware_test(user_mode tests/user_mode.c)
firmware_test(counters tests/counters.c)
firmware_test(misaligned tests/misaligned.c SPINLAB_ARGS --set machine.misaligned=emulate)
firmware_test(misaligned_trap tests/misaligned_trap.c SPINLAB_ONLY)
firmware_test(spec_strict tests/spec_strict.c SPINLAB_ONLY SPINLAB_ARGS --set machine.isa=rv32ima)
firmware_test(printf tests/printf.c)
firmware_test(harts tests/harts.c HARTS 4)
firmware_test(exit_code tests/exit_code.c EXIT_CODE 7)
firmware_test(tohost tests/tohost.c SPINLAB_ONLY)
firmware_test(tohost_exit3 tests/tohost_exit3.c SPINLAB_ONLY EXIT_CODE 3)
# The teaching kernel's threads, scheduler, preemption, user mode and locks.
firmware_test(sched tests/sched.c $<TARGET_OBJECTS:kernel> SPINLAB_ONLY)
firmware_test(sched_smp tests/sched_smp.c $<TARGET_OBJECTS:kernel> SPINLAB_ONLY HARTS 2)
# Bottom halves: softirqs, tasklets, ksoftirqd, bh locks, nesting.
firmware_test(softirq tests/softirq.c $<TARGET_OBJECTS:kernel> SPINLAB_ONLY HARTS 2)
# .data stored apart from where it runs (`> ram AT > rom`), copied at start-up.
firmware_test(lma tests/lma.c tests/lma_start.S LINKER_SCRIPT tests/lma.ld)

# The C extension: every compressed form (rvc), and test programs above built
# again with C (NAME_c), on spinlab and on QEMU alike. The bundled teaching
# firmware stays rv32ima.
firmware_test(rvc tests/rvc.c ARCH rv32imac)
firmware_test(isa_rv32i_c tests/isa_rv32i.c ARCH rv32imac)
firmware_test(isa_m_c tests/isa_m.c ARCH rv32imac)
firmware_test(isa_a_c tests/isa_a.c ARCH rv32imac)
firmware_test(csr_c tests/csr.c ARCH rv32imac)
firmware_test(traps_c tests/traps.c ARCH rv32imac)
firmware_test(printf_c tests/printf.c ARCH rv32imac)
firmware_test(harts_c tests/harts.c ARCH rv32imac HARTS 4)

# The benchmark (bench/run.sh); the _quick builds do a tiny amount of work,
# for its smoke test.
firmware_program(bench_compute bench/compute.c bench/bench.c)
firmware_program(bench_contended bench/contended.c bench/bench.c)
firmware_program(bench_idle bench/idle.c bench/bench.c)
firmware_program(bench_compute_quick bench/compute_quick.c bench/bench.c)
firmware_program(bench_contended_quick bench/contended_quick.c bench/bench.c)
firmware_program(bench_idle_quick bench/idle_quick.c bench/bench.c)

# Multicore tests (tests/e2e: mc.*). They use the test harness but are run
# by tests/e2e/CMakeLists.txt itself, at several hart counts and configs
# (configs/tests/), so they are listed as programs with the harness's
# sources rather than as firmware_test()s.
set(mc_harness tests/check.c tests/trapvec.S)
firmware_program(amo_counter tests/amo_counter.c tests/counter.c tests/exact_counter.c ${mc_harness})
firmware_program(lrsc_counter tests/lrsc_counter.c tests/counter.c tests/exact_counter.c ${mc_harness})
firmware_program(race_counter tests/race_counter.c tests/counter.c)

# Teaching scenarios (configs/scenarios/, docs/lessons/): programs on the
# teaching kernel (kernel/).
firmware_program(race scenarios/race.c scenarios/harts.c $<TARGET_OBJECTS:kernel>)
firmware_program(test_and_set scenarios/test_and_set.c scenarios/harts.c $<TARGET_OBJECTS:kernel>)
firmware_program(irq_deadlock scenarios/irq_deadlock.c $<TARGET_OBJECTS:kernel>)
firmware_program(irqsave scenarios/irqsave.c $<TARGET_OBJECTS:kernel>)
firmware_program(other_cpu scenarios/other_cpu.c $<TARGET_OBJECTS:kernel>)
firmware_program(pushoff_order scenarios/pushoff_order.c $<TARGET_OBJECTS:kernel>)
firmware_program(xv6 scenarios/xv6.c $<TARGET_OBJECTS:kernel>)
firmware_program(irq_wrong scenarios/irq_wrong.c $<TARGET_OBJECTS:kernel>)
firmware_program(recursive scenarios/recursive.c $<TARGET_OBJECTS:kernel>)
firmware_program(abba scenarios/abba.c $<TARGET_OBJECTS:kernel>)
firmware_program(wfi_holding scenarios/wfi_holding.c $<TARGET_OBJECTS:kernel>)
firmware_program(arbitration tests/arbitration.c)
firmware_program(irq_latency tests/irq_latency.c ${mc_harness})
firmware_program(ipi tests/ipi.c ${mc_harness})
firmware_program(start_hart0 tests/start_hart0.c ${mc_harness})
firmware_program(plic_sources tests/plic_sources.c ${mc_harness})
firmware_program(plic_harts tests/plic_harts.c ${mc_harness})
# Nested interrupts on the teaching kernel (configs/tests/nested.toml's sources).
firmware_program(nested tests/nested.c ${mc_harness} $<TARGET_OBJECTS:kernel>)
firmware_program(idle_skip tests/idle_skip.c)
firmware_program(asleep tests/asleep.c)
firmware_program(faults tests/faults.c)
firmware_program(htif tests/htif.c)
firmware_program(htif_console tests/htif_console.c)
firmware_program(preempt_points scenarios/preempt_points.c $<TARGET_OBJECTS:kernel>)
firmware_program(preempt_spinlock scenarios/preempt_spinlock.c $<TARGET_OBJECTS:kernel>)
firmware_program(up scenarios/up.c scenarios/harts.c $<TARGET_OBJECTS:kernel>)
# ULK Table 5-6 measured: one program, a run per combination (spinlab protection-table).
firmware_program(protection scenarios/protection.c scenarios/harts.c $<TARGET_OBJECTS:kernel>)
firmware_program(trylock scenarios/trylock.c $<TARGET_OBJECTS:kernel>)
firmware_program(sleep_in_atomic scenarios/sleep_in_atomic.c $<TARGET_OBJECTS:kernel>)
firmware_program(irq_sleep scenarios/irq_sleep.c $<TARGET_OBJECTS:kernel>)
firmware_program(spin_vs_sleep scenarios/spin_vs_sleep.c $<TARGET_OBJECTS:kernel>)
firmware_program(top_bottom scenarios/top_bottom.c $<TARGET_OBJECTS:kernel>)
firmware_program(global_cli scenarios/global_cli.c $<TARGET_OBJECTS:kernel>)
firmware_program(nested_irq scenarios/nested_irq.c $<TARGET_OBJECTS:kernel>)
firmware_program(bh_lock scenarios/bh_lock.c $<TARGET_OBJECTS:kernel>)
firmware_program(bh_irq_lock scenarios/bh_irq_lock.c $<TARGET_OBJECTS:kernel>)
firmware_program(tasklet_vs_softirq scenarios/tasklet_vs_softirq.c $<TARGET_OBJECTS:kernel>)

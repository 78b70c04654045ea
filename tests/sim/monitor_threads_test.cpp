// The lock monitor's threads (sim/monitor/threads.cpp) on synthetic observer
// events: stack switches between threads of one hart, interrupt stacks, and
// the findings of threads.
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firmware/include/memmap.h"
#include "sim/load/elf.h"
#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

constexpr uint32_t kStackA = 0x80010000;  // thread A's sp when it switches
constexpr uint32_t kStackB = 0x80020000;  // thread B's
constexpr uint32_t kIrqStack = 0x80030000;

// Hart 0's boot thread (A) runs at its first access; B begins at the first
// switch to kStackB. The events are kept.
struct ThreadRig : Rig {
  ThreadRig() {
    m.add_listener([this](const Event& e) { events.push_back(e); });
  }
  std::vector<Event> of(EventKind k) const {
    std::vector<Event> out;
    for (const Event& e : events)
      if (e.kind == k) out.push_back(e);
    return out;
  }
  void ack_timer(unsigned h) { feed.store(h, 0x80000800, CLINT_MTIMECMP(h), 0x1000); }
  // A new thread's first touch of its stack (restoring its registers): it
  // is a thread, not a user stack being set up.
  void touch(unsigned h, uint32_t sp, uint32_t pc) { feed.store(h, pc, sp - 4, 0); }
  std::vector<Event> events;
};

TEST(MonitorThreads, ASpinOnALockOfASwitchedOutThreadWithIrqsOffIsAThreadDeadlock) {
  ThreadRig r;
  r.feed.acquire(0, kLockA);  // thread A (0) takes it
  r.feed.stack(0, kStackA, kStackB);  // switches to a new thread B (1)
  r.touch(0, kStackB, 0x80000140);
  EXPECT_EQ(r.m.current_thread(0), 1);
  r.feed.spin(0, kLockA, 10, 0x80000140);  // B wants it, interrupts off
  // Not "a hart taking a lock it already holds": two threads.
  ASSERT_EQ(kinds(r.m), (std::vector<FindingKind>{FindingKind::switch_holding_lock, FindingKind::thread_deadlock}));
  EXPECT_EQ(r.count.deadlocks, 1);
  const Finding& sw = r.m.findings()[0];
  EXPECT_EQ(sw.thread.id, 0);
  EXPECT_EQ(sw.to_thread.id, 1);
  EXPECT_EQ(sw.at.pc, 0x80000700u);
  EXPECT_EQ(sw.holds.at(0).thread.id, 0);
  const Finding& d = r.m.findings()[1];
  EXPECT_TRUE(is_deadlock(d.kind));
  EXPECT_EQ(d.holds.at(0).thread.id, 0);
  EXPECT_EQ(d.waits.at(0).thread.id, 1);
  EXPECT_EQ(d.waits.at(0).at.pc, 0x80000140u);
  EXPECT_EQ(d.lock.addr, kLockA);
  const std::string text = format_finding(d);
  EXPECT_NE(text.find("thread 0x80000140/1 spins with interrupts disabled on 0x80002000, which thread "
                      "0x80000100/0 holds"),
            std::string::npos)
      << text;
  nlohmann::json j = monitor_json(r.m);
  EXPECT_EQ(j["findings"][1]["kind"], "thread-deadlock");
  EXPECT_EQ(j["findings"][1]["holds"][0]["thread"]["id"], 0);
  EXPECT_EQ(j["findings"][1]["waits"][0]["thread"]["id"], 1);
  EXPECT_EQ(j["findings"][0]["to_thread"]["id"], 1);
}

TEST(MonitorThreads, WithIrqsOnTheWaiterIsPreemptedAndTheHolderRunsAgain) {
  ThreadRig r;
  r.feed.acquire(0, kLockA);
  r.feed.stack(0, kStackA, kStackB);
  r.touch(0, kStackB, 0x80000140);
  r.feed.mie(0, true);
  r.feed.spin(0, kLockA, 20, 0x80000140);  // B spins a whole time slice
  r.feed.trap(0, kTimer, 0x80000140);       // the tick
  r.ack_timer(0);
  r.feed.stack(0, kStackB - 0x40, kStackA);  // preempted on the way out: A resumes
  EXPECT_EQ(r.m.current_thread(0), 0);
  r.feed.release(0, kLockA);
  r.feed.stack(0, kStackA, kStackB - 0x40);  // B resumes, in its timer handler
  r.feed.mret(0, true, 0x80000140);
  r.feed.acquire(0, kLockA, 0x80000140);
  r.feed.release(0, kLockA);
  EXPECT_EQ(kinds(r.m), (std::vector<FindingKind>{FindingKind::switch_holding_lock}));
  EXPECT_EQ(r.count.deadlocks, 0);
  // B's handler frame came back with it: its mret returns from the tick.
  auto mrets = r.of(EventKind::mret);
  ASSERT_EQ(mrets.size(), 1u);
  EXPECT_EQ(mrets[0].mcause, kTimer);
  EXPECT_EQ(mrets[0].thread, 1);
  auto switches = r.of(EventKind::thread_switch);
  ASSERT_EQ(switches.size(), 3u);
  EXPECT_TRUE(switches[0].new_thread);
  EXPECT_EQ(switches[1].thread, 1);
  EXPECT_EQ(switches[1].to_thread, 0);
  EXPECT_FALSE(switches[1].new_thread);
  // Where each left: A in kernel code; B on its way back from the tick
  // (preemption point 2); A again in kernel code.
  EXPECT_EQ(switches[0].where, SwitchWhere::kernel);
  EXPECT_EQ(switches[1].where, SwitchWhere::irq_return);
  EXPECT_EQ(switches[2].where, SwitchWhere::kernel);
  EXPECT_NE(r.m.describe(switches[1]).find("switch from thread 0x80000140/1 to thread 0x80000100/0 at 0x80000700, on return from an interrupt"),
            std::string::npos)
      << r.m.describe(switches[1]);
}

TEST(MonitorThreads, ALockHandedToTheThreadSwitchedToIsNoFinding) {
  ThreadRig r;
  // xv6's p->lock, Linux's rq->lock: taken before the switch, released by
  // the thread switched to.
  r.feed.acquire(0, kLockA);
  r.feed.stack(0, kStackA, kStackB);
  r.touch(0, kStackB, 0x80000160);
  r.feed.release(0, kLockA, 0x80000160);
  r.feed.acquire(0, kLockA, 0x80000170);
  r.feed.stack(0, kStackB, kStackA);
  r.feed.release(0, kLockA);
  r.feed.stack(0, kStackA, kStackB);
  EXPECT_TRUE(r.m.findings().empty());
  const std::vector<LockStats> stats = r.m.lock_stats();  // kept: stats_of points into it
  const LockStats* s = stats_of(stats, kLockA);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->acquisitions, 2u);
}

// A word first seen taken and carried across a switch is known as a lock
// only when its holder, back again, releases it (sleep-in-atomic: nobody
// else wanted it): the switch holding it is told then, with both places.
TEST(MonitorThreads, ALockKnownOnlyAtItsReleaseWasStillCarriedAcrossTheSwitch) {
  ThreadRig r;
  r.feed.acquire(0, kLockA, 0x80000120);
  r.feed.stack(0, kStackA, kStackB, 0x80000300);  // A sleeps holding it
  r.touch(0, kStackB, 0x80000160);
  EXPECT_TRUE(r.m.findings().empty());  // not a lock yet, as far as anyone knows
  r.feed.stack(0, kStackB, kStackA, 0x80000300);  // A runs again
  r.feed.release(0, kLockA, 0x80000124);
  ASSERT_EQ(kinds(r.m), (std::vector<FindingKind>{FindingKind::switch_holding_lock}));
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.thread.id, 0);
  EXPECT_EQ(f.to_thread.id, 1);
  EXPECT_EQ(f.at.pc, 0x80000300u);
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000120u);
  EXPECT_EQ(r.count.deadlocks, 0);
}

TEST(MonitorThreads, TwoThreadsTakingALockInTurnAreFine) {
  ThreadRig r;
  for (int i = 0; i < 3; ++i) {
    r.feed.acquire(0, kLockA);
    r.feed.release(0, kLockA);
    r.feed.stack(0, kStackA, kStackB);
    r.touch(0, kStackB, 0x80000180);
    r.feed.acquire(0, kLockA, 0x80000180);
    r.feed.release(0, kLockA, 0x80000190);
    r.feed.stack(0, kStackB, kStackA);
  }
  EXPECT_TRUE(r.m.findings().empty());
  auto acquires = r.of(EventKind::acquire);
  ASSERT_EQ(acquires.size(), 6u);
  EXPECT_EQ(acquires[0].thread, 0);
  EXPECT_EQ(acquires[1].thread, 1);
  EXPECT_EQ(r.m.thread_name(1), "0x80000180");  // no ELF: its first access
}

TEST(MonitorThreads, ASwitchBeforeTheHandlerAcknowledgedItsDeviceIsSleepInInterrupt) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.stack(0, kStackA, kStackB);  // B begins...
  r.touch(0, kStackB, 0x80000180);
  r.feed.stack(0, kStackB, kStackA);  // ...and A runs again
  // Preemption on interrupt return, after the handler's mtimecmp store: fine.
  r.feed.trap(0, kTimer);
  r.ack_timer(0);
  r.feed.stack(0, kStackA, kStackB);
  r.feed.stack(0, kStackB, kStackA);
  r.feed.mret(0, true);
  EXPECT_TRUE(r.m.findings().empty());
  // The same switch before it: the handler sleeps.
  r.feed.trap(0, kTimer, 0x80000104);
  r.feed.stack(0, kStackA, kStackB);
  ASSERT_EQ(kinds(r.m), (std::vector<FindingKind>{FindingKind::sleep_in_interrupt}));
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.thread.id, 0);
  EXPECT_EQ(f.to_thread.id, 1);
  EXPECT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  EXPECT_EQ(f.interrupt.interrupted_at.pc, 0x80000104u);
  EXPECT_FALSE(is_deadlock(f.kind));
  EXPECT_NE(format_finding(f).find("scheduling while in interrupt"), std::string::npos);
  auto switches = r.of(EventKind::thread_switch);
  ASSERT_EQ(switches.size(), 5u);
  EXPECT_EQ(switches[2].where, SwitchWhere::irq_return);  // after the acknowledgement
  EXPECT_EQ(switches[4].where, SwitchWhere::in_handler);  // before it
}

TEST(MonitorThreads, AHandlerOnItsOwnStackIsNoSwitch) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.trap(0, kTimer);
  r.feed.stack(0, kStackA, kIrqStack);  // FreeRTOS: lw sp, xISRStackTop
  r.feed.acquire(0, kLockA, 0x80000400);
  r.feed.release(0, kLockA, 0x80000410);
  r.ack_timer(0);
  r.feed.stack(0, kIrqStack, kStackA);  // back to the thread's stack
  r.feed.mret(0, true);
  // A frame pointer put back (mv sp, s0): the same stack.
  r.feed.stack(0, kStackA - 0x40, kStackA);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.of(EventKind::thread_switch).empty());
  EXPECT_EQ(r.m.current_thread(0), 0);
  auto acquires = r.of(EventKind::acquire);
  ASSERT_EQ(acquires.size(), 1u);
  EXPECT_EQ(acquires[0].thread, 0);
}

TEST(MonitorThreads, FromAnInterruptStackTheThreadParksAtItsOwnSp) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.trap(0, kTimer);
  r.feed.stack(0, kStackA, kIrqStack);
  r.ack_timer(0);
  r.feed.stack(0, kIrqStack, kStackB);  // a new task, switched to by the tick
  r.feed.mret(0, true, 0x80000180);
  EXPECT_EQ(r.m.thread_name(1), "0x80000180");  // named where its first mret went
  r.feed.trap(0, kTimer);
  r.feed.stack(0, kStackB, kIrqStack);  // the known interrupt stack
  r.ack_timer(0);
  r.feed.stack(0, kIrqStack, kStackA);  // A, parked at the sp it left for the interrupt stack
  EXPECT_EQ(r.m.current_thread(0), 0);
  r.feed.mret(0, true);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_EQ(r.of(EventKind::thread_switch).size(), 2u);
}

// A handler that sleeps (the kernel's irq-sleep) switches threads deep in
// the interrupt stack: the thread it interrupted resumes there, back inside
// the handler, and only then returns to its own stack.
TEST(MonitorThreads, AHandlerThatSleptResumesOnTheInterruptStack) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.trap(0, kTimer);
  r.feed.stack(0, kStackA, kIrqStack);           // call_on_irq_stack
  r.feed.stack(0, kIrqStack - 0x80, kStackB);    // the handler sleeps: swtch to B
  r.touch(0, kStackB, 0x80000190);
  EXPECT_EQ(r.m.current_thread(0), 1);
  r.feed.stack(0, kStackB, kIrqStack - 0x80);    // B wakes it: back into the handler
  EXPECT_EQ(r.m.current_thread(0), 0);
  r.ack_timer(0);
  r.feed.stack(0, kIrqStack, kStackA);           // off the interrupt stack: no switch
  r.feed.mret(0, true);
  EXPECT_EQ(r.m.current_thread(0), 0);
  EXPECT_EQ(r.of(EventKind::thread_switch).size(), 2u);
  EXPECT_EQ(r.m.thread_name(2), "-");            // no third thread
}

// FreeRTOS's yield is an ecall whose handler moves to the trap stack
// (xISRStackTop) before choosing the next task: the first move from an
// exception handler is the trap stack, not a thread; the next timer
// interrupt, on that stack, switching to A again is no sleep in a handler.
TEST(MonitorThreads, AnExceptionHandlerMovesToTheTrapStackFirst) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.trap(0, kEcall);                  // taskYIELD
  r.feed.stack(0, kStackA, kIrqStack);     // sp = xISRStackTop
  EXPECT_TRUE(r.of(EventKind::thread_switch).empty());
  r.feed.stack(0, kIrqStack, kStackB);     // sp = pxCurrentTCB->pxTopOfStack: a new task
  r.touch(0, kStackB, 0x80000190);
  r.feed.mret(0, true, 0x80000180);
  r.feed.trap(0, kTimer);                  // the tick, in B
  r.feed.stack(0, kStackB, kIrqStack);
  r.ack_timer(0);
  r.feed.stack(0, kIrqStack, kStackA);     // A resumes where it left for the trap stack
  r.feed.mret(0, true);
  EXPECT_EQ(r.m.current_thread(0), 0);
  EXPECT_TRUE(r.m.findings().empty());
  auto switches = r.of(EventKind::thread_switch);
  ASSERT_EQ(switches.size(), 2u);
  EXPECT_EQ(switches[0].where, SwitchWhere::in_trap);
  EXPECT_EQ(switches[1].where, SwitchWhere::irq_return);
}

TEST(MonitorThreads, TheSameThreadTakingItsLockAgainIsStillRecursive) {
  ThreadRig r;
  r.feed.acquire(0, kLockA);
  r.feed.stack(0, kStackA, kStackB);
  r.touch(0, kStackB, 0x80000180);
  r.feed.release(0, kLockA);  // handed over
  r.feed.acquire(0, kLockA);
  r.feed.spin(0, kLockA, 10);
  EXPECT_EQ(kinds(r.m), (std::vector<FindingKind>{FindingKind::recursive_deadlock}));
}

// A trap from user mode moving to the kernel stack, and the kernel setting
// up a user stack before its mret to U: one thread with two stacks.
constexpr uint32_t kUserStack = 0x80040000;

models::TrapInfo ecall_from_user() {
  models::TrapInfo t;
  t.mcause = 8;  // ecall from U-mode
  t.mepc = 0x80000904;
  t.from_user = true;
  return t;
}

TEST(MonitorThreads, AUserStackAndAKernelStackAreOneThread) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.stack(0, kStackA, kUserStack);  // lw sp, user_stack_top
  r.feed.mret_to_user(0);                // the first entry to user code
  EXPECT_EQ(r.m.current_thread(0), 0);
  r.feed.trap(0, ecall_from_user());
  r.feed.stack(0, kUserStack - 0x20, kStackA);  // csrrw sp, mscratch, sp
  r.feed.acquire(0, kLockA, 0x80000400);
  r.feed.release(0, kLockA, 0x80000410);
  r.feed.stack(0, kStackA - 0x40, kUserStack - 0x20);  // back to the user's sp
  r.feed.mret_to_user(0);
  EXPECT_EQ(r.m.current_thread(0), 0);
  EXPECT_EQ(r.m.thread_name(1), "-");
  EXPECT_TRUE(r.of(EventKind::thread_switch).empty());
  EXPECT_TRUE(r.m.findings().empty());
}

// xv6: a process traps from U onto its kernel stack and yields there; it is
// resumed on that kernel stack and goes back to its user stack.
// The teaching kernel's do_irq (Linux's call_on_irq_stack): a timer
// interrupt from user mode onto the thread's kernel stack, then on to the
// CPU's interrupt stack for the handler, back to the kernel stack, back to
// U. Two stack switches inside the trap, undone before it returns: one
// thread, no switch -- the first time and once the interrupt stack is known.
TEST(MonitorThreads, AnInterruptStackOverAKernelStackIsNoThread) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.stack(0, kStackA, kUserStack);
  r.feed.mret_to_user(0);
  for (int i = 0; i < 2; ++i) {
    models::TrapInfo t;
    t.mcause = kTimer;
    t.mepc = 0x80000904;
    t.from_user = true;
    r.feed.trap(0, t);
    r.feed.stack(0, kUserStack - 0x20, kStackA);           // uservec: its kernel stack
    r.feed.stack(0, kStackA - 0x90, kIrqStack);            // do_irq: the interrupt stack
    r.ack_timer(0);
    r.feed.stack(0, kIrqStack - 0x40, kStackA - 0x90);     // back on the kernel stack
    r.feed.stack(0, kStackA - 0x20, kUserStack - 0x20);    // userret: the user sp
    r.feed.mret_to_user(0);
    EXPECT_EQ(r.m.current_thread(0), 0) << i;
  }
  EXPECT_TRUE(r.of(EventKind::thread_switch).empty());
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(MonitorThreads, AThreadParkedOnItsKernelStackGoesBackToItsUserStack) {
  ThreadRig r;
  r.feed.load(0, 0x80000100, kCounter);
  r.feed.stack(0, kStackA, kUserStack);
  r.feed.mret_to_user(0);
  r.feed.trap(0, ecall_from_user());
  r.feed.stack(0, kUserStack - 0x20, kStackA);  // its kernel stack
  r.feed.stack(0, kStackA - 0x80, kStackB);     // yield: a new kernel thread
  r.touch(0, kStackB, 0x80000180);
  EXPECT_EQ(r.m.current_thread(0), 1);
  r.feed.stack(0, kStackB, kStackA - 0x80);  // back to the process, on its kernel stack
  EXPECT_EQ(r.m.current_thread(0), 0);
  r.feed.stack(0, kStackA - 0x40, kUserStack - 0x20);  // its user sp: no switch
  r.feed.mret_to_user(0);
  auto switches = r.of(EventKind::thread_switch);
  ASSERT_EQ(switches.size(), 2u);
  EXPECT_EQ(switches[0].to_thread, 1);
  EXPECT_EQ(switches[1].to_thread, 0);
  EXPECT_EQ(r.m.current_thread(0), 0);
  EXPECT_EQ(r.m.thread_name(2), "-");
  // Its ecall frame came back with it: the mret returned from the trap.
  auto mrets = r.of(EventKind::mret);
  ASSERT_EQ(mrets.size(), 2u);
  EXPECT_FALSE(mrets[1].no_trap);
  EXPECT_EQ(mrets[1].mcause, 8u);
}

// Names need symbols: tests/sim's prog.elf, whose main stands for a start
// trampoline (kthread_start) and acquire and release for the functions it
// starts. Each new thread runs in main, calls a helper that returns to main,
// then main calls its function, which switches out.
TEST(MonitorThreads, ThreadsBegunInOneTrampolineAreNamedByTheFunctionItCalled) {
  const ElfImage elf = ElfImage::load(std::string(SIM_TEST_PROGRAMS) + "/prog.elf", 0x80000000, 16u << 20);
  const uint32_t tramp = *elf.lookup("main"), a = *elf.lookup("acquire"), b = *elf.lookup("release");
  Monitor m(&elf, 1);
  monitor_rig::Feed feed(m);
  feed.load(0, tramp, kCounter);  // the boot thread, named by its first function for good
  const uint32_t stacks[] = {kStackB, kStackB + 0x8000};
  const uint32_t helper[] = {a, b}, fn[] = {b, a};
  for (int i = 0; i < 2; ++i) {
    feed.stack(0, i ? stacks[0] : kStackA, stacks[i]);
    feed.store(0, tramp, stacks[i] - 4, 0);  // the trampoline's frame
    feed.load(0, helper[i], kCounter);       // mycpu(): returns
    feed.load(0, tramp + 4, kCounter);       // t->fn
    feed.store(0, fn[i], stacks[i] - 20, 0);  // fn's frame: it never returns
    feed.load(0, fn[i] + 4, kCounter);
    if (i == 1) {
      EXPECT_EQ(m.thread_name(1), "main");  // one settled thread proves nothing
    }
  }
  feed.stack(0, stacks[1], stacks[0]);  // thread 2's first run is over
  EXPECT_EQ(m.thread_name(0), "main");
  EXPECT_EQ(m.thread_name(1), "release");
  EXPECT_EQ(m.thread_name(2), "acquire");
}

}  // namespace
}  // namespace spinlab

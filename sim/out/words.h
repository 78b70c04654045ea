// The one spelling of each interrupt (one row each in words.cpp) and context. The narrative, the
// findings, --explain, the JSON report, the GTKWave filters, the timeline
// and the instruction trace all name them through here, so the views cannot
// drift apart (docs/monitor.md, "Words").
#pragma once

#include <cstdint>
#include <string>

namespace spinlab::words {

// What a hart runs when no trap is being handled (Linux's and lockdep's
// "process context"): its own code, whichever thread that is.
inline constexpr const char* kProcess = "process";
// The part of an interrupt's trap that runs after its handler acknowledged
// the device and turned interrupts back on.
inline constexpr const char* kBottomHalf = "bottom half (softirq)";

// An interrupt by its code (mcause without bit 31; also its bit in mip and
// mie): "software interrupt", "timer interrupt", "external interrupt";
// "interrupt" for a code with no name here.
const char* interrupt(uint32_t code);
// The same with a number where one tells more: "external interrupt 3" (the
// PLIC's source 3), "interrupt 16" (a code with no name).
std::string interrupt(uint32_t code, uint32_t source);
// Its short name, as lockdep's pictures write it ("<Interrupt: timer>"):
// "software", "timer", "external"; "interrupt" for a code with no name here.
const char* interrupt_short(uint32_t code);
// The interrupt's enable bit in mie as the privileged spec names it
// ("MTIE"); nullptr for a code with no name here.
const char* enable_bit(uint32_t code);

}  // namespace spinlab::words

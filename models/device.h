// A device someone else wrote, plugged into the platform: any TLM-2.0 target
// on a 32-bit bus, with an optional level-sensitive interrupt output. The
// platform maps it at an address, routes the harts' accesses to its socket
// (b_transport; the latency it annotates holds the bus) and wires its
// interrupt output to a PLIC source. Nothing in the machine names it.
//
// This is the contract between the platform (models/machine.h,
// Machine::attach) and whoever makes the device: the config's [[device]]
// tables through a plugin (sim/load), or a user's own sc_main linking
// libspinlab (examples/tlm-device).
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>

namespace spinlab::models {

// Where the platform maps a device and which PLIC source its interrupt drives.
struct DeviceMapping {
  std::string name;             // for messages, the address map and the VCD
  uint32_t base = 0;            // bus address of its first byte
  uint32_t size = 0;            // bytes of address space, > 0
  unsigned irq_line = 0;        // PLIC source its interrupt output drives; 0: none
};

// The device's side: a target socket, and its interrupt output when it has one.
struct DevicePorts {
  tlm::tlm_target_socket<32>* socket = nullptr;
  sc_core::sc_out<bool>* irq = nullptr;  // nullptr: no interrupt output
};

}  // namespace spinlab::models

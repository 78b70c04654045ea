// A Connection without a socket, for the GDB server's unit tests: receive()
// hands out scripted payloads and then says the client went away; send()
// records what the server answered; interrupted() says what the test lined
// up, one call at a time; closed() from the call the test chose.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/gdb/connection.h"

namespace spinlab::gdb::test {

class FakeConnection : public Connection {
 public:
  FakeConnection() = default;
  explicit FakeConnection(std::vector<std::string> packets) : incoming(packets.begin(), packets.end()) {}

  std::optional<std::string> receive() override {
    ++receives;
    if (before_receive) before_receive(*this);
    if (incoming.empty()) return std::nullopt;  // the client went away
    std::string p = std::move(incoming.front());
    incoming.pop_front();
    return p;
  }
  void send(std::string_view payload) override { sent.emplace_back(payload); }
  bool interrupted() override {
    ++interrupted_calls;
    if (interrupt_on_call != 0 && interrupted_calls == interrupt_on_call) return true;
    if (interrupts.empty()) return false;
    bool i = interrupts.front();
    interrupts.pop_front();
    return i;
  }
  bool closed() override { return ++closed_calls >= close_on_call && close_on_call != 0; }
  void set_no_ack(bool on) override { no_ack = on; }

  // The payloads receive() returns, in order; then nullopt.
  std::deque<std::string> incoming;
  // Every payload send() was given, in order.
  std::vector<std::string> sent;
  // What interrupted() returns, one call at a time; false once empty.
  std::deque<bool> interrupts;
  // Or: interrupted() is true on this call (1-based; 0: never), e.g. to
  // interrupt a `c` after so many polls.
  size_t interrupt_on_call = 0;
  // Called at the start of each receive(): a test may look at what was sent
  // so far and queue the next packet (a conversation that depends on replies).
  std::function<void(FakeConnection&)> before_receive;

  // closed() is true from this call on (1-based; 0: never): a GDB gone
  // while the machine runs.
  size_t close_on_call = 0;

  size_t receives = 0;
  size_t closed_calls = 0;
  size_t interrupted_calls = 0;
  bool no_ack = false;
};

}  // namespace spinlab::gdb::test

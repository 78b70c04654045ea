// The link to GDB: an abstract Connection that hands the server whole
// packet payloads (so the server is tested without sockets, with
// tests/gdb/fake_connection.h) and the TCP one `--gdb [HOST:]PORT` opens.
// Bytes and framing are sim/gdb/packet.h's.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace spinlab::gdb {

class Connection {
 public:
  virtual ~Connection() = default;
  // Blocks for the next packet's payload (acked, unless in no-ack mode);
  // nullopt: the client went away (or the link failed), for good.
  virtual std::optional<std::string> receive() = 0;
  // Frames `payload` and sends it; waits for GDB's '+' unless in no-ack
  // mode, resending on '-' a few times. Never throws: a client that went
  // away makes the next receive() say nullopt.
  virtual void send(std::string_view payload) = 0;
  // Non-blocking: did a Ctrl-C (0x03) arrive since the last call? Clears
  // it. The server polls it while the machine runs.
  virtual bool interrupted() = 0;
  // Non-blocking: has the client gone away for good (its socket closed)?
  // Takes what came meanwhile, as interrupted() does. The server polls it
  // while the machine runs, so that a GDB gone during a long continue is
  // told at once, not at the next stop.
  virtual bool closed() = 0;
  // QStartNoAckMode: from now on neither side sends or waits for '+'.
  virtual void set_no_ack(bool on) = 0;
};

// Where `--gdb` / run.gdb listens: "PORT", "HOST:PORT" or "[IPv6]:PORT".
struct GdbAddress {
  std::string host;   // as given, without brackets; "" = the loopback address (127.0.0.1)
  uint16_t port = 0;  // 0: any free port (listen_for_gdb prints the one it got)
};

// `text` as a GdbAddress; nullopt when it is none, with `why` set to a
// description for "expected [HOST:]PORT, got ..." ("\"abc\" (not a port
// number)"). ":PORT" is PORT. The host is only checked for its characters
// here: whether it names this machine, listen_for_gdb finds out.
std::optional<GdbAddress> parse_gdb_address(std::string_view text, std::string* why = nullptr);

// Listens on `host` ("" = 127.0.0.1; a name, "0.0.0.0" or an IPv6 address
// all work) and `port`, prints "spinlab: waiting for GDB on HOST:PORT" (the
// real port when `port` is 0) to `announce` and blocks until one GDB
// connects. A second client while one is attached is accepted, told nothing
// and closed at once, with one line on stderr; the first never notices.
// Throws spinlab::Error (ExitCode::unavailable, naming --gdb / run.gdb) when
// it cannot listen: the port is in use, the host is not this machine's.
std::unique_ptr<Connection> listen_for_gdb(const std::string& host, uint16_t port, std::FILE* announce);

}  // namespace spinlab::gdb

// The GDB remote protocol (sim/gdb/packet.*) on arbitrary bytes, and the
// server's command dispatch (sim/gdb/server.*) on the packets they hold.
// Input: byte 0 chooses how the rest, the byte stream from "GDB", is cut
// into reads and whether the server runs; byte 1 a small packet limit.
//   bits 0-3  the reads' lengths cycle through 1 .. (bits 0-3) + 1 bytes
//   bit 7     the stream's packets go to a GDB server on a small machine
// The reader must make the same events of the stream however it is cut
// (whole, in those reads, with the default and with a small limit), and a
// packet framed again must read back as itself. The server must answer
// every packet and end: no crash, no hang, no fork (no reverse execution).
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "models/machine.h"
#include "sim/gdb/packet.h"
#include "sim/gdb/server.h"
#include "sim/monitor/monitor.h"
#include "tests/fuzz/targets.h"
#include "tests/fuzz/targets/rv32.h"
#include "tests/gdb/fake_connection.h"

namespace spinlab::fuzz {
namespace {

using gdb::ReadEvent;

std::vector<ReadEvent> read_all(gdb::PacketReader& r) {
  std::vector<ReadEvent> out;
  while (std::optional<ReadEvent> e = r.next()) out.push_back(std::move(*e));
  return out;
}

// The events of `stream` fed in reads of 1, 2, ... `longest` bytes (0: at once).
std::vector<ReadEvent> read_stream(std::string_view stream, size_t longest, size_t limit) {
  gdb::PacketReader r(limit);
  std::vector<ReadEvent> out;
  if (longest == 0) {
    r.feed(stream);
    return read_all(r);
  }
  for (size_t at = 0, n = 1; at < stream.size(); at += n, n = n % longest + 1) {
    r.feed(stream.substr(at, n));
    // Taken between reads, as the connection does.
    for (ReadEvent& e : read_all(r)) out.push_back(std::move(e));
  }
  return out;
}

bool same(const std::vector<ReadEvent>& a, const std::vector<ReadEvent>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const ReadEvent& x, const ReadEvent& y) { return x.kind == y.kind && x.text == y.text; });
}

void check_packet(const std::string& payload) {
  // Framed again, it reads back as itself.
  gdb::PacketReader r(payload.size() * 2 + 16);
  r.feed(gdb::frame(payload));
  std::vector<ReadEvent> back = read_all(r);
  if (back.size() != 1 || back[0].kind != ReadEvent::Kind::packet || back[0].text != payload)
    fail("a packet framed again does not read back as itself: " + gdb::hex_encode(payload));
  if (gdb::hex_decode(gdb::hex_encode(payload)) != payload) fail("hex_encode does not decode back");
  // Its fields as the server parses them: numbers and register values.
  size_t start = 1;
  for (size_t i = 1; i <= payload.size(); ++i) {
    if (i < payload.size() && std::string_view(",:;=").find(payload[i]) == std::string_view::npos) continue;
    const std::string_view field = std::string_view(payload).substr(start, i - start);
    if (std::optional<uint64_t> n = gdb::parse_hex_number(field); n && field.size() <= 16)
      if (gdb::parse_hex_number(fmt::format("{:x}", *n)) != n) fail("parse_hex_number does not round-trip");
    if (std::optional<uint32_t> v = gdb::parse_hex_u32_le(field))
      if (gdb::hex_u32_le(*v) != [&] {
            std::string lower(field);
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return lower;
          }())
        fail("parse_hex_u32_le does not round-trip");
    gdb::hex_decode(field);
    start = i + 1;
  }
}

// A GDB session over the packets: two harts running a counting loop, the
// monitor watching, at most a few thousand cycles whatever GDB asks.
void serve(const std::vector<std::string>& packets) {
  using namespace rv32;
  fresh_kernel();
  models::MachineSpec spec;
  spec.harts = 2;
  spec.ram_bytes = 64u << 10;
  spec.max_cycles = 4000;
  spec.console = null_sink();
  const std::vector<uint8_t> program = bytes({lui(t0, RAM_BASE + 0x1000), addi(a1, a1, 1), sw(a1, t0, 0), jal_x0(-8)});
  models::Machine m("machine", spec);
  m.load(RAM_BASE, program.data(), static_cast<uint32_t>(program.size()));
  Monitor monitor(nullptr, spec.harts);
  m.add_hooks(monitor);
  gdb::test::FakeConnection conn(packets);
  gdb::ServerOptions o;
  o.stop_on = {FindingKind::irq_deadlock};
  o.lock_table = [&monitor] { return format_lock_stats(monitor.lock_stats()); };
  gdb::Server server(m, &monitor, conn, o);
  monitor.set_on_finding([&server](const Finding& f) { server.on_finding(f); });
  m.reset(RAM_BASE);
  server.serve();
  m.run();
  if (m.stop_reason() == models::StopReason::running) fail("the run returned without a stop reason");
}

}  // namespace

void gdb_one(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const uint8_t choice = data[0];
  const size_t small_limit = 1 + data[1] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  const std::vector<ReadEvent> whole = read_stream(stream, 0, gdb::PacketReader::kMaxPacketBytes);
  if (!same(whole, read_stream(stream, (choice & 15) + 1, gdb::PacketReader::kMaxPacketBytes)))
    fail("the reader's events depend on how the bytes were cut into reads");
  if (!same(read_stream(stream, 0, small_limit), read_stream(stream, (choice & 15) + 1, small_limit)))
    fail("with a small limit, the reader's events depend on how the bytes were cut into reads");

  std::vector<std::string> packets;
  for (const ReadEvent& e : whole) {
    if (e.kind == ReadEvent::Kind::malformed && e.text.empty()) fail("a malformed packet without a reason");
    if (e.kind != ReadEvent::Kind::packet) continue;
    check_packet(e.text);
    std::string why;
    gdb::decode_body(e.text, &why);
    packets.push_back(e.text);
  }
  if (choice & 0x80) serve(packets);
}

}  // namespace spinlab::fuzz

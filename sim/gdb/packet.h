// The GDB remote serial protocol at the byte level ("Overview" and "Packets"
// in GDB's manual, appendix E): a packet is "$payload#cs", cs the modulo-256
// sum of the payload's bytes in two hex digits; '}' escapes the next byte
// (XOR 0x20) so '$', '#', '}' and '*' can be data; "X*n" repeats X n - 29
// more times (run-length, sent by stubs, decoded here anyway); '+' and '-'
// acknowledge; a lone 0x03 outside a packet is Ctrl-C. Pure functions and a
// reader fed raw bytes, with no socket, so they can be tested (and fuzzed)
// byte by byte; sim/gdb/connection.h puts them on a socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace spinlab::gdb {

// The modulo-256 sum of the bytes, as the "#cs" after a packet carries it.
uint8_t checksum(std::string_view bytes);

// `payload` with '$', '#', '}' and '*' escaped ('}' then the byte XOR 0x20):
// what goes between '$' and '#'.
std::string escape(std::string_view payload);

// "$" + escape(payload) + "#" + two lower-case hex digits of its checksum.
std::string frame(std::string_view payload);

// What was between '$' and '#' (its checksum already checked) with escapes
// and run-length encoding undone; nullopt and `why` when it cannot be
// decoded (a '}' at the end, a '*' with nothing to repeat or a count outside
// 3..97, the printable range "*#" to "*~" less '#' and '$').
std::optional<std::string> decode_body(std::string_view body, std::string* why = nullptr);

// Bytes as two lower-case hex digits each ("OK" -> "4f4b"), and back
// (nullopt for an odd length or a non-hex digit; either case is accepted).
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view hex);

// A 32-bit register value as the 'g' and 'p' replies carry it for RV32: its
// four bytes in target (little-endian) order, "78563412" for 0x12345678. And
// back: exactly 8 hex digits, else nullopt.
std::string hex_u32_le(uint32_t value);
std::optional<uint32_t> parse_hex_u32_le(std::string_view hex);

// A number as packets write addresses, lengths and thread ids ("80000000",
// big-endian hex, no prefix): 1 to 16 hex digits, else nullopt.
std::optional<uint64_t> parse_hex_number(std::string_view hex);

// What the reader made of the bytes so far, one at a time.
struct ReadEvent {
  enum class Kind {
    packet,        // a whole packet with a good checksum: `text` is its decoded payload
    interrupt,     // 0x03 outside a packet: GDB's Ctrl-C
    ack,           // '+'
    nack,          // '-': resend the last packet
    bad_checksum,  // a whole packet whose checksum does not match (or is not two hex digits): nack it
    malformed,     // a packet that cannot be used (`text` says why): too long, or a bad escape/run-length
  };
  Kind kind = Kind::packet;
  std::string text;
};

// Splits a byte stream into events, however the bytes were cut into reads:
// feed() what arrived, then take events with next() until it says nullopt.
// Bytes outside a packet other than '+', '-' and 0x03 are skipped (line
// noise, or a reply GDB sent before we were listening), as gdbserver does.
class PacketReader {
 public:
  // GDB sends at most the PacketSize the stub announces (in qSupported);
  // anything longer is refused without being kept, so a client that never
  // sends '#' cannot make spinlab hold an unbounded buffer.
  static constexpr size_t kMaxPacketBytes = 64 * 1024;

  explicit PacketReader(size_t max_packet_bytes = kMaxPacketBytes) : max_packet_bytes_(max_packet_bytes) {}

  void feed(std::string_view bytes);
  std::optional<ReadEvent> next();

 private:
  enum class State { idle, body, checksum1, checksum2 };

  void finish_packet(char low_digit);

  size_t max_packet_bytes_;
  State state_ = State::idle;
  std::string body_;        // the raw bytes between '$' and '#' so far
  bool overlong_ = false;   // body_ passed max_packet_bytes_: the rest is dropped
  size_t overlong_bytes_ = 0;
  char checksum_high_ = 0;  // the first of the two checksum digits
  std::deque<ReadEvent> events_;
};

}  // namespace spinlab::gdb

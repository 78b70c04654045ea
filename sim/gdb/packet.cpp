#include "sim/gdb/packet.h"

#include <fmt/format.h>

namespace spinlab::gdb {

namespace {

constexpr char kEscape = '}';
constexpr char kRun = '*';
constexpr char kInterrupt = '\x03';
const char* const kHexDigits = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool needs_escape(char c) { return c == '$' || c == '#' || c == kEscape || c == kRun; }

}  // namespace

uint8_t checksum(std::string_view bytes) {
  uint8_t sum = 0;
  for (char c : bytes) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  return sum;
}

std::string escape(std::string_view payload) {
  std::string out;
  out.reserve(payload.size());
  for (char c : payload) {
    if (needs_escape(c)) {
      out += kEscape;
      out += static_cast<char>(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

std::string frame(std::string_view payload) {
  std::string body = escape(payload);
  uint8_t sum = checksum(body);
  std::string out;
  out.reserve(body.size() + 4);
  out += '$';
  out += body;
  out += '#';
  out += kHexDigits[sum >> 4];
  out += kHexDigits[sum & 0xf];
  return out;
}

// One pass, as GDB's own reader does it: a run repeats the byte before it as
// decoded (so an escaped byte can be repeated), and its count byte is never
// itself an escape.
std::optional<std::string> decode_body(std::string_view body, std::string* why) {
  auto fail = [why](std::string text) -> std::optional<std::string> {
    if (why) *why = std::move(text);
    return std::nullopt;
  };
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == kEscape) {
      if (++i == body.size()) return fail("it ends in the escape byte '}'");
      out += static_cast<char>(body[i] ^ 0x20);
    } else if (c == kRun) {
      if (out.empty()) return fail("a run-length '*' with nothing before it to repeat");
      if (++i == body.size()) return fail("a run-length '*' without its count");
      auto count = static_cast<unsigned char>(body[i]);
      if (count < ' ' || count > '~') return fail(fmt::format("a run-length count byte 0x{:02x} (not printable)", count));
      out.append(count - 29u, out.back());
    } else {
      out += c;
    }
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 0xf];
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::string hex_u32_le(uint32_t value) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  return hex_encode(std::string_view(bytes, 4));
}

std::optional<uint32_t> parse_hex_u32_le(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  std::optional<std::string> bytes = hex_decode(hex);
  if (!bytes) return std::nullopt;
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t(static_cast<uint8_t>((*bytes)[i])) << (8 * i);
  return value;
}

std::optional<uint64_t> parse_hex_number(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t value = 0;
  for (char c : hex) {
    int d = hex_value(c);
    if (d < 0) return std::nullopt;
    value = value << 4 | uint64_t(d);
  }
  return value;
}

void PacketReader::feed(std::string_view bytes) {
  for (char c : bytes) {
    switch (state_) {
      case State::idle:
        if (c == '$') {
          state_ = State::body;
          body_.clear();
          overlong_ = false;
          overlong_bytes_ = 0;
        } else if (c == '+') {
          events_.push_back({ReadEvent::Kind::ack, {}});
        } else if (c == '-') {
          events_.push_back({ReadEvent::Kind::nack, {}});
        } else if (c == kInterrupt) {
          events_.push_back({ReadEvent::Kind::interrupt, {}});
        }
        break;
      case State::body:
        if (c == '#') {
          state_ = State::checksum1;
        } else if (c == '$') {
          // A new packet in the middle of one: GDB gave up on the first
          // (it timed out and started again), so do we.
          body_.clear();
          overlong_ = false;
          overlong_bytes_ = 0;
        } else if (overlong_) {
          ++overlong_bytes_;
        } else if (body_.size() == max_packet_bytes_) {
          overlong_ = true;
          overlong_bytes_ = body_.size() + 1;
          body_.clear();
          body_.shrink_to_fit();
        } else {
          body_ += c;
        }
        break;
      case State::checksum1:
        checksum_high_ = c;
        state_ = State::checksum2;
        break;
      case State::checksum2:
        finish_packet(c);
        state_ = State::idle;
        break;
    }
  }
}

void PacketReader::finish_packet(char low_digit) {
  if (overlong_) {
    events_.push_back({ReadEvent::Kind::malformed,
                       fmt::format("a packet of {} bytes, more than the {} spinlab takes",
                                   overlong_bytes_, max_packet_bytes_)});
    return;
  }
  int hi = hex_value(checksum_high_), lo = hex_value(low_digit);
  if (hi < 0 || lo < 0 || checksum(body_) != (hi << 4 | lo)) {
    events_.push_back({ReadEvent::Kind::bad_checksum, {}});
    return;
  }
  std::string why;
  if (std::optional<std::string> payload = decode_body(body_, &why))
    events_.push_back({ReadEvent::Kind::packet, std::move(*payload)});
  else
    events_.push_back({ReadEvent::Kind::malformed, std::move(why)});
}

std::optional<ReadEvent> PacketReader::next() {
  if (events_.empty()) return std::nullopt;
  ReadEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

}  // namespace spinlab::gdb

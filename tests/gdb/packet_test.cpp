// The protocol's bytes (sim/gdb/packet.h): checksums, framing and escapes,
// run-length, hex, and the reader over however the bytes arrive.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/gdb/packet.h"

namespace spinlab::gdb {
namespace {

using Kind = ReadEvent::Kind;

std::vector<ReadEvent> read_all(PacketReader& r) {
  std::vector<ReadEvent> out;
  while (auto e = r.next()) out.push_back(*e);
  return out;
}

std::vector<ReadEvent> read_bytes(std::string_view bytes, size_t max = PacketReader::kMaxPacketBytes) {
  PacketReader r(max);
  r.feed(bytes);
  return read_all(r);
}

// --- checksums and framing ----------------------------------------------------

TEST(GdbPacket, ChecksumIsTheByteSumModulo256) {
  EXPECT_EQ(checksum(""), 0);
  EXPECT_EQ(checksum("OK"), 0x9a);                    // 'O' 0x4f + 'K' 0x4b
  EXPECT_EQ(checksum("qSupported"), 0x37);            // GDB's first packet, as it sends it
  EXPECT_EQ(checksum(std::string(3, '\xff')), 0xfd);  // wraps
}

TEST(GdbPacket, FrameIsDollarPayloadHashTwoLowerCaseHexDigits) {
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame(""), "$#00");
  EXPECT_EQ(frame("T05thread:1;"), "$T05thread:1;#" + hex_encode(std::string(1, char(checksum("T05thread:1;")))));
}

TEST(GdbPacket, EscapesTheFourSpecialBytesAndSumsTheEscapedForm) {
  EXPECT_EQ(escape("a$b#c}d*e"),
            "a}\x04"
            "b}\x03"
            "c}]d}\x0a"
            "e");
  EXPECT_EQ(escape(std::string("\x03\x7d", 2)), std::string("\x03}]", 3));  // 0x03 is data inside a packet
  // The checksum covers the bytes on the wire, escapes included.
  EXPECT_EQ(frame("#"), "$}\x03#80");  // '}' 0x7d + 0x03
}

TEST(GdbPacket, DecodeUndoesEscapesAndRunLength) {
  EXPECT_EQ(decode_body("a}\x04"
                        "b}]"),
            "a$b}");
  // "0* " is '0' and 3 more: GDB's manual's example.
  EXPECT_EQ(decode_body("0* "), "0000");
  EXPECT_EQ(decode_body("x*!y"), "xxxxxy");      // '!' = 33: 4 more
  EXPECT_EQ(decode_body("}\x04*\""), "$$$$$$");  // an escaped byte repeated ('"' = 34: 5 more)
  EXPECT_EQ(decode_body(std::string(1, 'z') + "*~"), std::string(98, 'z'));  // the longest run: 97 more
}

TEST(GdbPacket, DecodeRefusesBrokenEscapesAndRuns) {
  std::string why;
  EXPECT_FALSE(decode_body("ab}", &why));
  EXPECT_EQ(why, "it ends in the escape byte '}'");
  EXPECT_FALSE(decode_body("* ", &why));
  EXPECT_EQ(why, "a run-length '*' with nothing before it to repeat");
  EXPECT_FALSE(decode_body("a*", &why));
  EXPECT_EQ(why, "a run-length '*' without its count");
  EXPECT_FALSE(decode_body("a*\x01", &why));
  EXPECT_EQ(why, "a run-length count byte 0x01 (not printable)");
}

TEST(GdbPacket, EveryByteSurvivesEscapeThenDecode) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  std::string wire = escape(all);
  EXPECT_EQ(wire.size(), 256u + 4u);  // four bytes escaped, one more byte each
  EXPECT_EQ(decode_body(wire), all);
}

// --- hex ---------------------------------------------------------------------------

TEST(GdbPacket, HexEncodesAndDecodesBytes) {
  EXPECT_EQ(hex_encode(std::string("\x00\x7f\x80\xff", 4)), "007f80ff");
  EXPECT_EQ(hex_decode("007F80ff"), std::string("\x00\x7f\x80\xff", 4));
  EXPECT_EQ(hex_decode(""), "");
  EXPECT_FALSE(hex_decode("abc"));  // odd
  EXPECT_FALSE(hex_decode("0g"));
}

TEST(GdbPacket, RegistersAreLittleEndianHex) {
  EXPECT_EQ(hex_u32_le(0x12345678), "78563412");
  EXPECT_EQ(hex_u32_le(0x80000000), "00000080");
  EXPECT_EQ(parse_hex_u32_le("78563412"), 0x12345678u);
  EXPECT_EQ(parse_hex_u32_le("FFFFFFFF"), 0xffffffffu);
  EXPECT_FALSE(parse_hex_u32_le("785634"));      // short
  EXPECT_FALSE(parse_hex_u32_le("7856341200"));  // long
  EXPECT_FALSE(parse_hex_u32_le("7856341x"));
}

TEST(GdbPacket, NumbersAreBigEndianHex) {
  EXPECT_EQ(parse_hex_number("80000000"), 0x80000000u);
  EXPECT_EQ(parse_hex_number("1"), 1u);
  EXPECT_EQ(parse_hex_number("ffffffffffffffff"), ~uint64_t{0});
  EXPECT_FALSE(parse_hex_number(""));
  EXPECT_FALSE(parse_hex_number("10000000000000000"));  // 17 digits
  EXPECT_FALSE(parse_hex_number("-1"));
}

// --- the reader -------------------------------------------------------------------

TEST(GdbPacketReader, YieldsAPacketsDecodedPayload) {
  auto events = read_bytes("$qSupported:multiprocess+;swbreak+#" +
                           hex_encode(std::string(1, char(checksum("qSupported:multiprocess+;swbreak+")))));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
  EXPECT_EQ(events[0].text, "qSupported:multiprocess+;swbreak+");
  // Escapes and runs are undone; the checksum is of the wire bytes.
  events = read_bytes(frame("X80000000,2:}#") + "$0* #" + hex_encode(std::string(1, char(checksum("0* ")))));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].text, "X80000000,2:}#");
  EXPECT_EQ(events[1].text, "0000");
}

TEST(GdbPacketReader, AcceptsUpperCaseChecksumDigits) {
  auto events = read_bytes("$OK#9A");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
}

TEST(GdbPacketReader, SplitReadsGiveTheSameEventsAsOneRead) {
  const std::string stream = "+" + frame("m80000000,4") + "-" + frame("vCont;c") + "\x03" + frame("g");
  const auto whole = read_bytes(stream);
  ASSERT_EQ(whole.size(), 6u);
  // Every split point, and one byte at a time.
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    PacketReader r;
    r.feed(stream.substr(0, cut));
    auto events = read_all(r);
    r.feed(stream.substr(cut));
    for (auto& e : read_all(r)) events.push_back(e);
    ASSERT_EQ(events.size(), whole.size()) << "cut at " << cut;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].kind, whole[i].kind) << "cut at " << cut;
      EXPECT_EQ(events[i].text, whole[i].text) << "cut at " << cut;
    }
  }
  PacketReader r;
  for (char c : stream) r.feed(std::string_view(&c, 1));
  EXPECT_EQ(read_all(r).size(), whole.size());
  std::vector<Kind> kinds;
  for (const auto& e : whole) kinds.push_back(e.kind);
  EXPECT_EQ(kinds,
            (std::vector<Kind>{Kind::ack, Kind::packet, Kind::nack, Kind::packet, Kind::interrupt, Kind::packet}));
  EXPECT_EQ(whole[3].text, "vCont;c");
}

TEST(GdbPacketReader, InterruptOutsideAPacketButDataInside) {
  auto events = read_bytes("\x03");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::interrupt);
  // Inside a packet (binary data of an X packet), 0x03 is a byte like any.
  events = read_bytes(frame(std::string("X0,1:\x03", 6)));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
  EXPECT_EQ(events[0].text, std::string("X0,1:\x03", 6));
}

TEST(GdbPacketReader, BadChecksumIsReportedAndTheNextPacketStillReads) {
  auto events = read_bytes("$g#00$g#67");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::bad_checksum);
  EXPECT_EQ(events[1].kind, Kind::packet);
  EXPECT_EQ(events[1].text, "g");
  // Checksum digits that are not hex are a bad checksum too (GDB resends).
  events = read_bytes("$g#zz");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::bad_checksum);
}

TEST(GdbPacketReader, SkipsGarbageBeforeTheDollar) {
  auto events = read_bytes("hello\r\n\xff" + frame("?"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
  EXPECT_EQ(events[0].text, "?");
}

TEST(GdbPacketReader, ADollarInsideAPacketStartsAgain) {
  // GDB gave up on a half-sent packet and sent a whole one.
  auto events = read_bytes("$m8000" + frame("g"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
  EXPECT_EQ(events[0].text, "g");
}

TEST(GdbPacketReader, AnOverlongPacketIsMalformedAndNotKept) {
  const std::string big(100, 'a');
  auto events = read_bytes(frame(big) + frame("g"), 64);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::malformed);
  EXPECT_EQ(events[0].text, "a packet of 100 bytes, more than the 64 spinlab takes");
  EXPECT_EQ(events[1].kind, Kind::packet);
  EXPECT_EQ(events[1].text, "g");
  // Exactly the cap is fine.
  events = read_bytes(frame(std::string(64, 'a')), 64);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::packet);
  // The default cap is 64 KiB.
  events = read_bytes(frame(std::string(PacketReader::kMaxPacketBytes + 1, 'b')));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::malformed);
  EXPECT_EQ(events[0].text, "a packet of 65537 bytes, more than the 65536 spinlab takes");
}

TEST(GdbPacketReader, ABadEscapeIsMalformed) {
  const std::string body = "ab}";
  auto events = read_bytes("$" + body + "#" + hex_encode(std::string(1, char(checksum(body)))));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::malformed);
  EXPECT_EQ(events[0].text, "it ends in the escape byte '}'");
}

}  // namespace
}  // namespace spinlab::gdb

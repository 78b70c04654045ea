// The TCP connection (sim/gdb/connection.h) over loopback, with a real
// client socket standing in for GDB: acks, nacks and resends, Ctrl-C, a
// client that goes away, a second client, a port in use.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "sim/gdb/connection.h"
#include "sim/gdb/packet.h"
#include "sim/load/error.h"

namespace spinlab::gdb {
namespace {

using namespace std::chrono_literals;

// A client socket connected to 127.0.0.1:port (or ::1).
int connect_to(uint16_t port, bool v6 = false) {
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  int rc;
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  EXPECT_EQ(rc, 0) << "connect to port " << port;
  return fd;
}

void put(int fd, std::string_view bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
}

// Exactly `n` bytes from fd, or what came within 5 s.
std::string take(int fd, size_t n) {
  std::string out;
  auto until = std::chrono::steady_clock::now() + 5s;
  while (out.size() < n && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t got = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
    if (got <= 0) break;
    out.append(buf, size_t(got));
  }
  return out;
}

// Whatever arrives within `wait` (to check that nothing does).
std::string take_any(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, int(wait.count())) <= 0) return "";
  char buf[4096];
  ssize_t got = ::recv(fd, buf, sizeof buf, 0);
  return got > 0 ? std::string(buf, size_t(got)) : std::string();
}

// Whether the peer closed fd within 5 s.
bool closed_by_peer(int fd) {
  auto until = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char c;
    ssize_t got = ::recv(fd, &c, 1, 0);
    if (got == 0) return true;
    if (got < 0) return errno == ECONNRESET;
  }
  return false;
}

// listen_for_gdb on a free port in a thread (it blocks until a client
// comes), the announced line read through a pipe, and one client.
struct Session {
  std::unique_ptr<Connection> conn;
  int client = -1;
  uint16_t port = 0;
  std::string announced;
  ~Session() {
    if (client >= 0) ::close(client);
  }
};

std::unique_ptr<Session> open_session(const std::string& host = "", bool v6 = false) {
  auto s = std::make_unique<Session>();
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::FILE* w = ::fdopen(fds[1], "w");
  auto listening = std::async(std::launch::async, [&] {
    auto c = listen_for_gdb(host, 0, w);
    return c;
  });
  std::string line;
  char c;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  s->announced = line;
  std::smatch m;
  static const std::regex re(R"(^spinlab: waiting for GDB on (.*):(\d+)$)");
  EXPECT_TRUE(std::regex_match(line, m, re)) << line;
  s->port = static_cast<uint16_t>(std::stoi(m[2]));
  EXPECT_NE(s->port, 0) << "port 0 must be replaced by the real one";
  s->client = connect_to(s->port, v6);
  s->conn = listening.get();
  std::fclose(w);
  ::close(fds[0]);
  return s;
}

TEST(GdbConnection, AnnouncesTheRealPortOnLoopback) {
  auto s = open_session();
  EXPECT_EQ(s->announced, "spinlab: waiting for GDB on 127.0.0.1:" + std::to_string(s->port));
}

TEST(GdbConnection, AcksAGoodPacketAndReturnsItsPayload) {
  auto s = open_session();
  put(s->client, "+$qSupported#37");  // GDB's '+' as it connects, then its first packet
  EXPECT_EQ(s->conn->receive(), "qSupported");
  EXPECT_EQ(take(s->client, 1), "+");
}

TEST(GdbConnection, NacksABadChecksumAndTakesTheResend) {
  auto s = open_session();
  put(s->client, "$g#00");
  put(s->client, "$g#67");
  EXPECT_EQ(s->conn->receive(), "g");
  EXPECT_EQ(take(s->client, 2), "-+");
}

TEST(GdbConnection, SendWaitsForTheAckAndResendsOnANack) {
  auto s = open_session();
  put(s->client, "-+");  // the answers to the reply about to be sent
  s->conn->send("OK");
  EXPECT_EQ(take(s->client, 12), "$OK#9a$OK#9a");
  EXPECT_EQ(take_any(s->client, 50ms), "");  // and no third
}

TEST(GdbConnection, SendGivesUpOnAClientThatAlwaysNacks) {
  auto s = open_session();
  put(s->client, "------");
  testing::internal::CaptureStderr();
  s->conn->send("OK");
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(take(s->client, 30), "$OK#9a$OK#9a$OK#9a$OK#9a$OK#9a");  // five sends, then no more
  EXPECT_EQ(err, "spinlab: --gdb: GDB refused a reply 5 times; the connection is closed\n");
  EXPECT_EQ(s->conn->receive(), std::nullopt);
}

TEST(GdbConnection, SendFramesAndEscapes) {
  auto s = open_session();
  s->conn->set_no_ack(true);
  s->conn->send("a#b");
  EXPECT_EQ(take(s->client, frame("a#b").size()), frame("a#b"));
}

TEST(GdbConnection, NoAckModeNeitherSendsNorWaitsForAcks) {
  auto s = open_session();
  s->conn->set_no_ack(true);
  put(s->client, "$g#67");
  EXPECT_EQ(s->conn->receive(), "g");
  s->conn->send("OK");  // returns without an ack
  EXPECT_EQ(take(s->client, 6), "$OK#9a");
  EXPECT_EQ(take_any(s->client, 50ms), "");  // no '+' for the "g"
}

TEST(GdbConnection, InterruptedSeesCtrlCOnceWithoutBlocking) {
  auto s = open_session();
  EXPECT_FALSE(s->conn->interrupted());  // nothing came: returns at once
  put(s->client, "\x03");
  bool seen = false;
  for (int i = 0; i < 2000 && !seen; ++i) {
    seen = s->conn->interrupted();
    if (!seen) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(seen);
  EXPECT_FALSE(s->conn->interrupted());  // cleared
}

TEST(GdbConnection, APacketThatCameWhileRunningWaitsForReceive) {
  auto s = open_session();
  put(s->client, frame("vCont;c") + "\x03");
  bool seen = false;
  for (int i = 0; i < 2000 && !seen; ++i) {
    seen = s->conn->interrupted();
    if (!seen) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(s->conn->receive(), "vCont;c");
}

TEST(GdbConnection, ACtrlCWhileStoppedDoesNotStopTheNextRun) {
  auto s = open_session();
  put(s->client, "\x03");
  std::this_thread::sleep_for(20ms);
  put(s->client, "$c#63");
  EXPECT_EQ(s->conn->receive(), "c");
  EXPECT_FALSE(s->conn->interrupted());
}

TEST(GdbConnection, AMalformedPacketIsAnsweredWithAnError) {
  auto s = open_session();
  testing::internal::CaptureStderr();
  auto received = std::async(std::launch::async, [&] { return s->conn->receive(); });
  put(s->client, frame(std::string(PacketReader::kMaxPacketBytes + 10, 'M')));
  const std::string why = "a packet of 65546 bytes, more than the 65536 spinlab takes";
  const std::string reply = frame("E." + why);
  EXPECT_EQ(take(s->client, 1 + reply.size()), "+" + reply);
  put(s->client, "+$g#67");
  EXPECT_EQ(received.get(), "g");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "spinlab: --gdb: a malformed packet from GDB (" + why + "); answered with an error\n");
}

TEST(GdbConnection, AClientThatWentAwayEndsReceiveAndSendDoesNotThrow) {
  auto s = open_session();
  ::close(s->client);
  s->client = -1;
  EXPECT_EQ(s->conn->receive(), std::nullopt);
  EXPECT_NO_THROW(s->conn->send("OK"));
  EXPECT_FALSE(s->conn->interrupted());
  EXPECT_EQ(s->conn->receive(), std::nullopt);
}

TEST(GdbConnection, WritingToAVanishedClientRaisesNoSigpipe) {
  auto s = open_session();
  s->conn->set_no_ack(true);  // send() writes without reading, so only the write sees the close
  ::close(s->client);
  s->client = -1;
  std::this_thread::sleep_for(20ms);
  // The first write draws a reset, the next ones EPIPE: with SIGPIPE's
  // default action this test process would die here.
  for (int i = 0; i < 5; ++i) s->conn->send(std::string(1000, 'x'));
  EXPECT_EQ(s->conn->receive(), std::nullopt);
}

TEST(GdbConnection, ASecondClientIsRefusedAndTheFirstGoesOn) {
  auto s = open_session();
  testing::internal::CaptureStderr();
  int second = connect_to(s->port);
  // The listening socket is polled with the client's: interrupted() is
  // what a running server calls.
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    s->conn->interrupted();
    pollfd p{second, POLLIN, 0};
    refused = ::poll(&p, 1, 10) > 0;
  }
  EXPECT_TRUE(closed_by_peer(second));
  ::close(second);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(std::regex_match(
      err, std::regex(R"(spinlab: --gdb: a second GDB client from 127\.0\.0\.1:\d+ was refused; one is attached\n)")))
      << err;
  // The first client never noticed.
  put(s->client, "$g#67");
  EXPECT_EQ(s->conn->receive(), "g");
  put(s->client, "+");
  s->conn->send("OK");
  EXPECT_EQ(take(s->client, 7), "+$OK#9a");
}

TEST(GdbConnection, ASecondClientIsRefusedWhileReceiveWaits) {
  auto s = open_session();
  testing::internal::CaptureStderr();
  auto received = std::async(std::launch::async, [&] { return s->conn->receive(); });
  int second = connect_to(s->port);
  EXPECT_TRUE(closed_by_peer(second));
  ::close(second);
  put(s->client, "$?#3f");
  EXPECT_EQ(received.get(), "?");
  EXPECT_NE(testing::internal::GetCapturedStderr().find("was refused; one is attached"), std::string::npos);
}

TEST(GdbConnection, APortInUseIsAnErrorNamingTheOption) {
  int taken = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(taken, 1), 0);
  socklen_t len = sizeof a;
  ::getsockname(taken, reinterpret_cast<sockaddr*>(&a), &len);
  const uint16_t port = ntohs(a.sin_port);
  try {
    listen_for_gdb("", port, stdout);
    ADD_FAILURE() << "listened on a port in use";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::unavailable);
    EXPECT_EQ(e.message(), "--gdb / run.gdb 127.0.0.1:" + std::to_string(port) +
                               ": cannot listen: the port is in use (another spinlab --gdb, or another server); "
                               "pick another, or 0 for any free one");
  }
  ::close(taken);
}

TEST(GdbConnection, AHostThatIsNotThisMachinesIsAnError) {
  try {
    listen_for_gdb("192.0.2.1", 0, stdout);  // TEST-NET-1: never a local address
    ADD_FAILURE() << "listened on a foreign address";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::unavailable);
    EXPECT_EQ(e.message(), "--gdb / run.gdb 192.0.2.1:0: cannot listen: the address is not one of this machine's");
  }
}

TEST(GdbConnection, ListensOnANamedHostAndOnIpv6) {
  auto s = open_session("localhost");
  put(s->client, "$g#67");
  EXPECT_EQ(s->conn->receive(), "g");
  // IPv6 loopback, where the machine has one.
  int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool has_v6 = probe >= 0 && ::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (probe >= 0) ::close(probe);
  if (!has_v6) GTEST_SKIP() << "no IPv6 loopback here";
  auto v6 = open_session("::1", true);
  EXPECT_EQ(v6->announced, "spinlab: waiting for GDB on [::1]:" + std::to_string(v6->port));
  put(v6->client, "$g#67");
  EXPECT_EQ(v6->conn->receive(), "g");
}

// --- [HOST:]PORT ----------------------------------------------------------------

TEST(GdbAddress, ParsesPortHostPortAndBracketedIpv6) {
  auto a = parse_gdb_address("1234");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "");
  EXPECT_EQ(a->port, 1234);
  a = parse_gdb_address("0.0.0.0:0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_EQ(a->port, 0);
  a = parse_gdb_address("localhost:65535");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 65535);
  a = parse_gdb_address("[::1]:3333");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 3333);
  a = parse_gdb_address(":1234");  // as `target remote :1234` writes it
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "");
  EXPECT_EQ(a->port, 1234);
}

TEST(GdbAddress, SaysWhatIsWrong) {
  auto why = [](std::string_view text) {
    std::string w;
    EXPECT_FALSE(parse_gdb_address(text, &w)) << text;
    return w;
  };
  EXPECT_EQ(why("99999"), "\"99999\" (PORT is at most 65535)");
  EXPECT_EQ(why("1234567"), "\"1234567\" (PORT is at most 65535)");
  EXPECT_EQ(why("host:"), "\"host:\" (no PORT after the ':')");
  EXPECT_EQ(why("abc"), "\"abc\" (not a port number)");
  EXPECT_EQ(why("-1"), "\"-1\" (not a port number)");
  EXPECT_EQ(why("::1:1234"), "\"::1:1234\" (an IPv6 host goes in brackets: [::1]:1234)");
  EXPECT_EQ(why("[::1:1234"), "\"[::1:1234\" (a '[' without its ']')");
  EXPECT_EQ(why("[::1]1234"), "\"[::1]1234\" (no :PORT after the ']')");
  EXPECT_EQ(why("a b:1234"), "\"a b:1234\" (a host name has letters, digits, '.', '-' and '_' only)");
  EXPECT_EQ(why("h\"x:1"), "\"h\"x:1\" (a host name has letters, digits, '.', '-' and '_' only)");
  EXPECT_EQ(why(""), "an empty string");
}

}  // namespace
}  // namespace spinlab::gdb

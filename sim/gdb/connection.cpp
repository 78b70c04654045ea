#include "sim/gdb/connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>

#include <fmt/format.h>

#include "sim/gdb/packet.h"
#include "sim/load/error.h"

namespace spinlab::gdb {

namespace {

// How often a reply is sent before a link that keeps answering '-' is
// given up: TCP does not corrupt bytes, so a client that nacks this often
// is broken, and waiting longer would hang the run.
constexpr int kMaxSends = 5;

// A socket address as "127.0.0.1:1234" or "[::1]:1234".
std::string address_text(const sockaddr* sa, socklen_t len) {
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (getnameinfo(sa, len, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "an unknown address";
  return sa->sa_family == AF_INET6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

class TcpConnection final : public Connection {
 public:
  TcpConnection(int listener, int client) : listener_(listener), client_(client) {}
  ~TcpConnection() override {
    if (client_ >= 0) ::close(client_);
    ::close(listener_);
  }
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  std::optional<std::string> receive() override {
    interrupt_ = false;  // as below: it came while the target was stopped
    for (;;) {
      while (!pending_.empty()) {
        ReadEvent e = std::move(pending_.front());
        pending_.pop_front();
        if (e.kind == ReadEvent::Kind::packet) return std::move(e.text);
        // Answered, so GDB does not wait for a reply that never comes.
        fmt::print(stderr, "spinlab: --gdb: a malformed packet from GDB ({}); answered with an error\n", e.text);
        send("E." + e.text);
      }
      if (client_ < 0) return std::nullopt;
      pump(-1);
    }
  }

  void send(std::string_view payload) override {
    const std::string packet = frame(payload);
    for (int sends = 0; sends < kMaxSends && client_ >= 0; ++sends) {
      write_all(packet);
      if (no_ack_) return;
      awaiting_ack_ = true;
      while (client_ >= 0 && acks_.empty()) pump(-1);
      awaiting_ack_ = false;
      if (client_ < 0) return;
      const char answer = acks_.front();
      acks_.pop_front();
      if (answer == '+') return;
    }
    if (client_ >= 0) drop(fmt::format("GDB refused a reply {} times", kMaxSends));
  }

  bool interrupted() override {
    if (client_ >= 0) pump(0);
    bool was = interrupt_;
    interrupt_ = false;
    return was;
  }

  bool closed() override {
    if (client_ >= 0) pump(0);
    return client_ < 0;
  }

  void set_no_ack(bool on) override { no_ack_ = on; }

 private:
  // Waits up to `timeout_ms` (-1: for ever, 0: not at all) for bytes from
  // the client or a second client at the door, and takes what came.
  void pump(int timeout_ms) {
    pollfd fds[2] = {{client_, POLLIN, 0}, {listener_, POLLIN, 0}};
    int n = ::poll(fds, 2, timeout_ms);
    if (n < 0) {
      if (errno != EINTR) drop(fmt::format("poll: {}", std::strerror(errno)));
      return;
    }
    if (fds[1].revents & POLLIN) refuse_second_client();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[4096];
      ssize_t got = ::recv(client_, buf, sizeof buf, 0);
      if (got == 0) {
        drop("");
      } else if (got < 0) {
        if (errno != EINTR && errno != EAGAIN) drop("");
      } else {
        reader_.feed(std::string_view(buf, size_t(got)));
        take_events();
      }
    }
  }

  void take_events() {
    while (std::optional<ReadEvent> e = reader_.next()) {
      switch (e->kind) {
        case ReadEvent::Kind::packet:
        case ReadEvent::Kind::malformed:
          if (!no_ack_) write_all("+");
          // An ack read while no reply waits for one answered nothing we
          // sent (GDB sends a '+' as it connects): it must not stand in
          // for the next reply's. (While one waits, GDB's '+' may come in
          // one read with its next packet, and counts.)
          if (!awaiting_ack_) acks_.clear();
          // A Ctrl-C before a packet came while the target was stopped: it
          // raced a stop reply, which GDB takes as the answer to it, and
          // must not stop the run this packet may start.
          interrupt_ = false;
          pending_.push_back(std::move(*e));
          break;
        case ReadEvent::Kind::bad_checksum:
          if (!no_ack_) {
            write_all("-");  // GDB sends it again
          } else {
            pending_.push_back({ReadEvent::Kind::malformed, "a bad checksum in no-ack mode"});
          }
          break;
        case ReadEvent::Kind::interrupt: interrupt_ = true; break;
        case ReadEvent::Kind::ack: acks_.push_back('+'); break;
        case ReadEvent::Kind::nack: acks_.push_back('-'); break;
      }
    }
  }

  // The listening socket stays open while a client is attached so that a
  // second GDB is told no at once instead of hanging in the backlog.
  void refuse_second_client() const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listener_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) return;
    ::close(fd);
    fmt::print(stderr, "spinlab: --gdb: a second GDB client from {} was refused; one is attached\n",
               address_text(reinterpret_cast<sockaddr*>(&addr), len));
  }

  void write_all(std::string_view bytes) {
    while (!bytes.empty() && client_ >= 0) {
      // MSG_NOSIGNAL: a GDB that vanished gives EPIPE here, not a SIGPIPE
      // that would end spinlab before it writes its report.
      ssize_t n = ::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno != EINTR) drop("");
        continue;
      }
      bytes.remove_prefix(size_t(n));
    }
  }

  // The client is gone (or is dropped, saying why on stderr); from now on
  // receive() says nullopt.
  void drop(const std::string& why) {
    if (!why.empty()) fmt::print(stderr, "spinlab: --gdb: {}; the connection is closed\n", why);
    ::close(client_);
    client_ = -1;
  }

  int listener_;
  int client_;
  PacketReader reader_;
  std::deque<ReadEvent> pending_;  // packets (and malformed ones) not yet received
  bool interrupt_ = false;
  bool no_ack_ = false;
  std::deque<char> acks_;      // '+' and '-' not yet taken by send(), in order
  bool awaiting_ack_ = false;  // send() waits for the answer to its packet
};

bool is_host_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'; }

}  // namespace

std::optional<GdbAddress> parse_gdb_address(std::string_view text, std::string* why) {
  const std::string quoted = fmt::format("\"{}\"", text);
  auto fail = [&](std::string_view what) -> std::optional<GdbAddress> {
    if (why) *why = fmt::format("{} ({})", quoted, what);
    return std::nullopt;
  };
  if (text.empty()) {
    if (why) *why = "an empty string";
    return std::nullopt;
  }
  GdbAddress a;
  std::string_view port = text;
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return fail("a '[' without its ']'");
    a.host = std::string(text.substr(1, close - 1));
    if (a.host.empty()) return fail("an empty host between '[' and ']'");
    auto v6 = [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%' || is_host_char(c);
    };
    if (!std::all_of(a.host.begin(), a.host.end(), v6)) return fail("not an IPv6 address between '[' and ']'");
    if (close + 1 == text.size() || text[close + 1] != ':') return fail("no :PORT after the ']'");
    port = text.substr(close + 2);
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) return fail("an IPv6 host goes in brackets: [::1]:1234");
    a.host = std::string(text.substr(0, colon));
    if (!std::all_of(a.host.begin(), a.host.end(), is_host_char))
      return fail("a host name has letters, digits, '.', '-' and '_' only");
    port = text.substr(colon + 1);
  }
  if (port.empty()) return fail("no PORT after the ':'");
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail("not a port number");
  if (port.size() > 5 || std::stoul(std::string(port)) > 65535) return fail("PORT is at most 65535");
  a.port = static_cast<uint16_t>(std::stoul(std::string(port)));
  return a;
}

std::unique_ptr<Connection> listen_for_gdb(const std::string& host, uint16_t port, std::FILE* announce) {
  const std::string name = host.empty() ? "127.0.0.1" : host;
  const std::string shown =
      name.find(':') != std::string::npos ? fmt::format("[{}]:{}", name, port) : fmt::format("{}:{}", name, port);
  auto fail = [&](const std::string& why) {
    return Error(ExitCode::unavailable, {}, fmt::format("--gdb / run.gdb {}: cannot listen: {}", shown, why));
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
    throw fail(fmt::format("no such host ({})", ::gai_strerror(rc)));
  int listener = -1;
  int error = 0;
  for (addrinfo* ai = found; ai && listener < 0; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    // A GDB session just ended leaves the port in TIME_WAIT: the next
    // spinlab may take it at once. (A port someone listens on stays refused.)
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 4) == 0) {
      listener = fd;
    } else {
      error = errno;
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (listener < 0) {
    if (error == EADDRINUSE)
      throw fail("the port is in use (another spinlab --gdb, or another server); pick another, or 0 for any free one");
    if (error == EADDRNOTAVAIL) throw fail("the address is not one of this machine's");
    if (error == EACCES) throw fail("a port below 1024 needs privileges; pick one above");
    throw fail(std::strerror(error));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&bound), &len);
  fmt::print(announce, "spinlab: waiting for GDB on {}\n", address_text(reinterpret_cast<sockaddr*>(&bound), len));
  std::fflush(announce);
  int client = -1;
  while (client < 0) {
    client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0 && errno != EINTR && errno != ECONNABORTED) {
      int e = errno;
      ::close(listener);
      throw fail(fmt::format("accept: {}", std::strerror(e)));
    }
  }
  // Packets are small and each waits for its answer: send them at once.
  int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // From now on the listener is only polled for clients to refuse: one that
  // gave up between the poll and the accept must not block the session.
  ::fcntl(listener, F_SETFL, ::fcntl(listener, F_GETFL) | O_NONBLOCK);
  return std::make_unique<TcpConnection>(listener, client);
}

}  // namespace spinlab::gdb

#include "sim/cli/plot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/load/files.h"

extern char** environ;

namespace spinlab {

namespace {

// A gnuplot string literal: single quotes take everything but a quote.
std::string gp_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string sweep_plot_script(const std::string& title, const std::vector<SweepParam>& params,
                              const std::vector<SweepRow>& rows) {
  // The curves: one per value of the second param, in its order.
  std::vector<int64_t> series = {0};
  if (params.size() > 1) series = params[1].values();
  std::string out;
  // noenhanced: a key's `_` is text, not a subscript. No init file is read
  // (run_gnuplot), so these settings are all there is.
  out += "set terminal svg size 800,500 fixed noenhanced font 'sans,12' background '#ffffff'\n";
  // To gnuplot's standard output: run_gnuplot writes the file, checked as
  // every output is (gnuplot says nothing when its own write fails).
  out += "set output\n";
  out += "set title " + gp_quote(title) + "\n";
  out += "set xlabel " + gp_quote(params[0].key) + "\n";
  out += "set ylabel " + gp_quote("cycles") + "\n";
  out += "set format y '%.0f'\n";
  out += "set key outside right top\n";
  out += "set grid\n";
  out += "set datafile missing '?'\n";
  // No run to draw (every one deadlocked, say): gnuplot cannot scale an
  // axis from no points, so give it the axes; the curves stay empty.
  bool any = false;
  for (const SweepRow& r : rows) any = any || (r.have_cycles && r.exit_code == 0);
  if (!any) {
    if (params[0].from != params[0].to)
      out += fmt::format("set xrange [{}:{}]\n", std::min(params[0].from, params[0].to),
                         std::max(params[0].from, params[0].to));
    out += "set yrange [0:1]\n";
  }
  std::string plot;
  for (int64_t s : series) {
    std::string name = params.size() > 1 ? fmt::format("{} = {}", params[1].key, s) : "cycles";
    plot += fmt::format("{}'-' using 1:2 with linespoints title {}", plot.empty() ? "plot " : ", ", gp_quote(name));
  }
  out += plot + "\n";
  for (int64_t s : series) {
    for (const SweepRow& r : rows) {
      if (params.size() > 1 && r.values[1] != s) continue;
      if (r.have_cycles && r.exit_code == 0)
        out += fmt::format("{} {}\n", r.values[0], r.cycles);
      else
        out += fmt::format("{} ?\n", r.values[0]);
    }
    out += "e\n";
  }
  return out;
}

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw Error(ExitCode::unavailable, {},
              "sweep --plot: no gnuplot on PATH; install it (Debian: apt-get install gnuplot-nox)");
}

void run_gnuplot(const std::string& gnuplot, const std::string& script, const std::string& out_path) {
  int in[2];
  if (::pipe(in) != 0) throw Error(ExitCode::internal, {}, fmt::format("cannot make a pipe: {}", std::strerror(errno)));
  char errors[] = "/tmp/spinlab-gnuplot-XXXXXX";
  int err_fd = ::mkstemp(errors);
  if (err_fd < 0) throw Error(ExitCode::internal, {}, "cannot make a temporary file for gnuplot's errors");
  char picture[] = "/tmp/spinlab-plot-XXXXXX";
  int out_fd = ::mkstemp(picture);
  if (out_fd < 0) {
    ::close(err_fd);
    ::unlink(errors);
    throw Error(ExitCode::internal, {}, "cannot make a temporary file for gnuplot's picture");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  // -d: no ~/.gnuplot or system init file, so the picture is the same for
  // every user.
  std::string arg0 = gnuplot, arg1 = "-d";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(err_fd);
  ::close(out_fd);
  if (rc != 0) {
    ::close(in[1]);
    ::unlink(errors);
    ::unlink(picture);
    throw Error(ExitCode::unavailable, {gnuplot}, fmt::format("cannot start gnuplot: {}", std::strerror(rc)));
  }
  // gnuplot reads all of its input; a short write means it died, which
  // waitpid reports.
  const char* p = script.data();
  size_t left = script.size();
  while (left > 0) {
    ssize_t n = ::write(in[1], p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= size_t(n);
  }
  ::close(in[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream err_in(errors);
  // Its error, not a warning before it (an empty curve warns).
  std::string first, line;
  while (std::getline(err_in, line)) {
    const size_t text = line.find_first_not_of(" \t^");
    if (text == std::string::npos) continue;
    if (first.empty() || first.find("warning:") != std::string::npos) first = line.substr(text);
  }
  ::unlink(errors);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::unlink(picture);
    throw Error(ExitCode::internal, {gnuplot},
                fmt::format("gnuplot failed ({}): {}", WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                                                          : "killed",
                            first.empty() ? "no message" : first));
  }
  std::vector<char> svg;
  try {
    svg = read_whole_file(picture, "picture gnuplot drew");
  } catch (...) {
    ::unlink(picture);
    throw;
  }
  ::unlink(picture);
  write_whole_file(out_path, std::string_view(svg.data(), svg.size()), "plot");
}

}  // namespace spinlab

#include "sim/load/error.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace spinlab {

namespace {

// Errors are printed on one line: a newline in a file name or in text quoted
// from the user's input must not split the message.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_error(const Place& place, const std::string& message) {
  std::string where;
  if (place.line > 0) {
    where = place.column > 0 ? fmt::format("{}:{}:{}", place.file, place.line, place.column)
                             : fmt::format("{}:{}", place.file, place.line);
  } else if (place.offset >= 0) {
    where = place.file.empty() ? fmt::format("offset {:#x}", place.offset)
                               : fmt::format("{}: offset {:#x}", place.file, place.offset);
  } else {
    where = place.file;
  }
  return one_line(where.empty() ? message : where + ": " + message);
}

Error::Error(ExitCode code, Place place, const std::string& message)
    : std::runtime_error(format_error(place, message)),
      code_(code),
      place_(std::move(place)),
      message_(message) {}

void require_writable(const std::string& path, const std::string& what) {
  // access() grants a writable directory, which no file can be written over.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error(ExitCode::no_input, {path}, fmt::format("cannot write the {} here: it is a directory", what));
  int rc = ::access(path.c_str(), W_OK);
  if (rc != 0 && errno == ENOENT) {
    size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    rc = ::access(dir.c_str(), W_OK);
  }
  if (rc != 0) throw Error(ExitCode::no_input, {path}, fmt::format("cannot write the {} here: {}", what, std::strerror(errno)));
}

}  // namespace spinlab

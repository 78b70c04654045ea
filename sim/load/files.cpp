#include "sim/load/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "sim/load/error.h"

namespace spinlab {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& msg) {
  throw Error(ExitCode::no_input, Place{path}, msg);
}

// What a stat() mode that is not a regular file is, in a word or two.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string why_not(int err) {
  switch (err) {
    case ENOENT: return "no such file";
    case ELOOP: return "is a symbolic link loop";
    case ENOTDIR: return "no such file (a part of the path is not a directory)";
    case EACCES: return "cannot read: permission denied";
    default: return fmt::format("cannot read: {}", std::strerror(err));
  }
}

}  // namespace

std::string not_a_regular_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const int err = errno;
    // A dangling symbolic link: the link is there, what it names is not.
    struct stat lst {};
    if (err == ENOENT && lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
      return "is a symbolic link to nothing (no such file)";
    return why_not(err);
  }
  if (S_ISREG(st.st_mode)) return "";
  return fmt::format("is {}, not {}", kind_of(st.st_mode), what);
}

void require_regular_file(const std::string& path, const std::string& what) {
  if (std::string why = not_a_regular_file(path, what); !why.empty()) refuse(path, why);
}

namespace {

// The file `path` names, absolute and normal, every symbolic link on the
// way resolved: one that points to nothing yet names the file an output
// would create.
std::filesystem::path resolved(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  for (int links = 0; links < 40 && fs::is_symlink(p, ec); ++links) {  // 40: the kernel's MAXSYMLINKS
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  const fs::path canonical = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : canonical;
}

// Whether writing `a` would lose what is written to (or read from) `b`. A
// device is no such file: two outputs to /dev/null lose nothing.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  const bool a_there = stat(a.c_str(), &sa) == 0, b_there = stat(b.c_str(), &sb) == 0;
  if ((a_there && !S_ISREG(sa.st_mode)) || (b_there && !S_ISREG(sb.st_mode))) return false;
  if (a_there && b_there) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return resolved(a) == resolved(b);
}

}  // namespace

void refuse_shared_files(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const NamedFile& out = outputs[i];
    for (const NamedFile& in : inputs)
      if (same_file(out.path, in.path))
        throw Error(ExitCode::usage, {},
                    fmt::format("{} {} is {} {}: an output would overwrite what the run reads; give it another name",
                                out.who, out.path, in.who, in.path));
    for (size_t j = 0; j < i; ++j)
      if (same_file(outputs[j].path, out.path))
        throw Error(ExitCode::usage, {},
                    fmt::format("{} {} and {} {} are one file: one output would lose the other; give each its own name",
                                outputs[j].who, outputs[j].path, out.who, out.path));
  }
}

bool something_at(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

std::vector<char> read_whole_file(const std::string& path, const std::string& what) {
  require_regular_file(path, what);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) refuse(path, why_not(errno));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st {};
  // The size is a hint: /proc's files say 0 and have more.
  std::vector<char> bytes(fstat(fd, &st) == 0 && st.st_size > 0 ? size_t(st.st_size) : size_t{4096});
  size_t done = 0;
  for (;;) {
    if (done == bytes.size()) bytes.resize(bytes.size() * 2);
    const ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) refuse(path, fmt::format("cannot read: {}", std::strerror(errno)));
    if (n == 0) break;
    done += size_t(n);
  }
  bytes.resize(done);
  return bytes;
}

void write_whole_file(const std::string& path, std::string_view text, const std::string& what) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error(ExitCode::no_input, {path}, fmt::format("cannot write the {}: {}", what, std::strerror(errno)));
  int error = std::fwrite(text.data(), 1, text.size(), f) == text.size() ? 0 : errno;
  if (std::fclose(f) != 0 && error == 0) error = errno;
  if (error != 0)
    throw Error(ExitCode::no_input, {path}, fmt::format("writing the {} failed: {}", what, std::strerror(error)));
}

}  // namespace spinlab

// What spinlab reads as input (a config, an ELF, a sweep file) must be a
// regular file. One place says what else a path turned out to be, so that a
// directory, a FIFO, /dev/null or a symbolic link loop is called what it is
// instead of "no such file", and a FIFO is never opened (opening one blocks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spinlab {

// Throws Error(no_input, path) unless `path` names a regular file, with what
// it is instead: "no such file", "is a directory, not WHAT", "is a FIFO, not
// WHAT", "is a character device, not WHAT", "is a symbolic link loop", ...
// `what` is what the caller wanted: "an ELF file", "a config file".
void require_regular_file(const std::string& path, const std::string& what);

// The same reason without the throw, or "" for a regular file: for a path
// named in a config, whose error carries the config's place.
std::string not_a_regular_file(const std::string& path, const std::string& what);

// True when something is at `path` (a file of any kind, or a dangling or
// looping symbolic link): a name that should be reported as what it is, not
// looked up as a bundled name.
bool something_at(const std::string& path);

// A file a command reads or writes, as its error names it: `who` is the
// option or key that named it ("--vcd", "trace.timeline", "the program"),
// and, for a file written beside another, whose it is ("--vcd x.vcd's
// GTKWave save file").
struct NamedFile {
  std::string who;
  std::string path;
};

// Throws Error(usage), one line naming both and the path, when two of
// `outputs` are one file, or one of them is one of `inputs` (the ELF, the
// config, a plugin): one output would lose the other, or the run its input.
// Paths are compared made absolute and normal, symbolic links resolved,
// and existing files by device and inode (a hard link is caught too).
void refuse_shared_files(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs);

// The whole of a regular file, read to its end: files whose size stat()
// does not know (/proc's) are read whole too. Throws Error(no_input, path).
std::vector<char> read_whole_file(const std::string& path, const std::string& what);

// Writes `text` as the whole of the file at `path`, checked at the open, the
// write and the close (a full disk shows at the write or, with the bytes still
// buffered, at the close). Throws Error(no_input, path): "cannot write the
// WHAT: reason" or "writing the WHAT failed: reason".
void write_whole_file(const std::string& path, std::string_view text, const std::string& what);

}  // namespace spinlab

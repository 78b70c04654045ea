// The fuzz targets' entry points (tests/fuzz/targets/*.cpp). Each takes one
// input and returns normally when spinlab handled it: decoded it, refused it
// with a spinlab::Error naming a place and a message, or ran it to a bounded
// end. Anything else is a finding: a crash, a sanitizer report, a hang, or a
// broken invariant, which fuzz_fail() turns into an abort so that libFuzzer
// keeps the input. The same functions are linked into libFuzzer binaries
// (libfuzzer_main.cpp, the clang build, SPINLAB_FUZZ=ON) and into the replay
// driver (replay.cpp) every build runs over the committed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace spinlab::fuzz {

using Target = void (*)(const uint8_t* data, size_t size);

void decode_one(const uint8_t* data, size_t size);   // targets/decode.cpp
void elf_one(const uint8_t* data, size_t size);      // targets/elf.cpp
void config_one(const uint8_t* data, size_t size);   // targets/config.cpp
void gdb_one(const uint8_t* data, size_t size);      // targets/gdb.cpp
void machine_one(const uint8_t* data, size_t size);  // targets/machine.cpp

// The target called `name` ("decode", "elf", "config", "gdb", "machine"),
// or nullptr.
Target find_target(const std::string& name);

// Prints "fuzz: " + what on stderr and aborts: a broken invariant.
[[noreturn]] void fail(const std::string& what);

// A file in a directory of this process's own (made once, under TMPDIR),
// for targets whose code under test reads a path: `name` inside it.
std::string scratch_path(const std::string& name);
// Writes `size` bytes to `path`, replacing it; fail()s when it cannot.
void write_file(const std::string& path, const uint8_t* data, size_t size);

// /dev/null, open for writing: where a machine's console and a listing go.
std::FILE* null_sink();

// A new SystemC context for the next machine; the last input's (its machine
// destroyed) is deleted.
void fresh_kernel();

// Once per process, before the first input: SystemC kept quiet.
void init();

}  // namespace spinlab::fuzz

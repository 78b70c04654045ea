// What the targets share: the table of names, failing, scratch files.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <systemc>

#include "models/kernel.h"
#include "tests/fuzz/targets.h"

namespace spinlab::fuzz {

Target find_target(const std::string& name) {
  if (name == "decode") return decode_one;
  if (name == "elf") return elf_one;
  if (name == "config") return config_one;
  if (name == "gdb") return gdb_one;
  if (name == "machine") return machine_one;
  return nullptr;
}

void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz: %s\n", what.c_str());
  std::abort();
}

std::string scratch_path(const std::string& name) {
  // One directory per process: libFuzzer's -jobs run several at once.
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/spinlab-fuzz-XXXXXX";
    if (!mkdtemp(templ.data())) fail("cannot make a scratch directory from " + templ);
    // Gone at a normal exit (libFuzzer's too); a crash leaves it to look at.
    // (A copy never freed: the static is destroyed before this runs.)
    static const std::string* removed = new std::string(templ);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*removed, ec);
    });
    return templ;
  }();
  return dir + "/" + name;
}

void write_file(const std::string& path, const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("cannot write " + path);
  bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  if (std::fclose(f) != 0 || !ok) fail("cannot write " + path);
}

std::FILE* null_sink() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  if (!f) fail("cannot open /dev/null");
  return f;
}

void fresh_kernel() {
  // models::fresh_systemc_kernel() keeps every old context (a test may still
  // hold modules of one); here the machine of the last input is gone, so its
  // context goes too, and a long fuzzing run stays flat.
  static sc_core::sc_simcontext* ours = nullptr;
  if (ours && ours == sc_core::sc_curr_simcontext) delete ours;
  ours = new sc_core::sc_simcontext;
  sc_core::sc_curr_simcontext = ours;
  sc_core::sc_default_global_context = ours;
}

void init() {
  static bool done = false;
  if (done) return;
  done = true;
  models::quiet_systemc();
}

}  // namespace spinlab::fuzz

// Runs a fuzz target (targets.h) once on each input file, without libFuzzer:
// the committed corpus as a test in every build (label fuzz-replay).
//   fuzz_replay TARGET FILE_OR_DIR...
// A directory stands for its files, in name order. Exits 0 when every input
// was handled; a finding aborts (or a sanitizer reports) on the input it
// names on stderr first.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <systemc>

#include "models/kernel.h"
#include "tests/fuzz/targets.h"

namespace fs = std::filesystem;

int sc_main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET FILE_OR_DIR...\n");
    return 64;
  }
  spinlab::fuzz::Target target = spinlab::fuzz::find_target(argv[1]);
  if (!target) {
    std::fprintf(stderr, "fuzz_replay: no target `%s`\n", argv[1]);
    return 64;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const fs::directory_entry& e : fs::directory_iterator(argv[i]))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "fuzz_replay: no input files\n");
    return 66;
  }
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", f.c_str());
      return 66;
    }
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::fprintf(stderr, "%s\n", f.c_str());
    target(bytes.data(), bytes.size());
  }
  std::printf("fuzz_replay %s: %zu inputs handled\n", argv[1], files.size());
  return 0;
}

int main(int argc, char** argv) {
  spinlab::fuzz::init();
  return sc_core::sc_elab_and_sim(argc, argv);
}

// Finding spinlab's data (sim/cli/paths.h). The build tree's directories are
// compiled in (sim/CMakeLists.txt); an installed binary finds its own
// beside it instead, so a prefix can be moved or packaged (a .deb) and the
// build tree deleted.
#include "sim/cli/paths.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>

#include "sim/load/config.h"

#ifndef SPINLAB_FIRMWARE_DIR
#define SPINLAB_FIRMWARE_DIR ""
#endif
#ifndef SPINLAB_CONFIG_DIR
#define SPINLAB_CONFIG_DIR ""
#endif
#ifndef SPINLAB_DOCS_DIR
#define SPINLAB_DOCS_DIR ""
#endif
#ifndef SPINLAB_KIT_DIR
#define SPINLAB_KIT_DIR ""
#endif
// The data directory relative to the installed executable's directory
// (CMAKE_INSTALL_BINDIR -> CMAKE_INSTALL_DATADIR/spinlab).
#ifndef SPINLAB_DATA_FROM_BIN
#define SPINLAB_DATA_FROM_BIN "../share/spinlab"
#endif

namespace spinlab {

namespace fs = std::filesystem;

namespace {

// BIN/../share/spinlab when this executable is an installed one: the data
// directory holds configs/. Looked up once; a binary in the build tree (or a
// test program) has none there and uses the compiled-in directories.
const std::optional<fs::path>& installed_data_dir() {
  static const std::optional<fs::path> dir = []() -> std::optional<fs::path> {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    fs::path data = (exe.parent_path() / SPINLAB_DATA_FROM_BIN).lexically_normal();
    if (!fs::is_directory(data / "configs", ec)) return std::nullopt;
    return data;
  }();
  return dir;
}

std::string data_dir(const char* env, const char* installed, const char* built) {
  const char* dir = std::getenv(env);
  if (dir && *dir) return dir;
  if (const auto& data = installed_data_dir()) return (*data / installed).string();
  return built;
}

}  // namespace

std::string firmware_dir() { return data_dir("SPINLAB_FIRMWARE_DIR", "firmware", SPINLAB_FIRMWARE_DIR); }
std::string config_dir() { return data_dir("SPINLAB_CONFIG_DIR", "configs", SPINLAB_CONFIG_DIR); }
std::string docs_dir() { return data_dir("SPINLAB_DOCS_DIR", "docs", SPINLAB_DOCS_DIR); }
std::string kit_dir() { return data_dir("SPINLAB_KIT_DIR", "kit", SPINLAB_KIT_DIR); }

}  // namespace spinlab

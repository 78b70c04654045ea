// `spinlab new` (sim/cli/starter.h). The exercise's files are the kit's
// starter/ (firmware/kit/starter/ in the source tree), with @NAME@, @KIT@
// and @SPINLAB@ filled in, so the Makefile needs no spinlab on PATH and no
// environment to find the kit it was written for.
#include "sim/cli/starter.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/cli/paths.h"

namespace spinlab {

namespace fs = std::filesystem;

namespace {

// The name becomes a make variable, file names and a config's program: plain
// letters, digits, '-' and '_' keep all three simple.
bool good_name(const std::string& name) {
  if (name.empty() || name[0] == '-') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::no_input, {path.string()}, "cannot read the starter file (is the firmware kit complete?)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string fill(std::string text, const std::string& key, const std::string& value) {
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

}  // namespace

void write_starter(const std::string& dir, const std::string& spinlab, std::FILE* out) {
  // '' (a script's unset variable) names no directory; fs::absolute throws on it.
  if (dir.empty()) throw Error(ExitCode::usage, {}, "new: the directory name is empty");
  fs::path path = fs::path(dir).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // "lab/" -> "lab"
  // Named by its absolute path, so `spinlab new .` in an empty lab1/ works.
  fs::path named = fs::absolute(path).lexically_normal();
  if (named.filename().empty()) named = named.parent_path();
  const std::string name = named.filename().string();
  if (!good_name(name))
    throw Error(ExitCode::usage, {dir},
                fmt::format("new: `{}` cannot name an exercise: use letters, digits, - and _ (it names the ELF and the config)", name));
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec))
    throw Error(ExitCode::bad_input, {dir}, "new: exists and is not a directory");
  if (fs::is_directory(path, ec) && !fs::is_empty(path, ec))
    throw Error(ExitCode::bad_input, {dir}, "new: directory not empty; spinlab new writes only into a new or empty one");

  const fs::path kit = kit_dir();
  const fs::path starter = kit / "starter";
  if (!fs::is_regular_file(kit / "spinlab.mk", ec) || !fs::is_directory(starter, ec))
    throw Error(ExitCode::no_input, {kit.string()},
                "no firmware kit here (spinlab.mk, starter/): build spinlab with its firmware, or set SPINLAB_KIT_DIR");
  const std::string kit_path = fs::weakly_canonical(fs::absolute(kit), ec).string();
  const struct {
    const char* from;
    std::string to;
  } files[] = {{"spinlock.c", "spinlock.c"}, {"Makefile", "Makefile"}, {"starter.toml", name + ".toml"}};

  fs::create_directories(path, ec);
  if (ec) throw Error(ExitCode::no_input, {dir}, fmt::format("new: cannot create the directory: {}", ec.message()));
  for (const auto& f : files) {
    std::string text = read_file(starter / f.from);
    text = fill(fill(fill(text, "@NAME@", name), "@KIT@", kit_path), "@SPINLAB@", spinlab);
    const fs::path target = path / f.to;
    std::ofstream file(target, std::ios::binary);
    file << text;
    if (!file.flush()) throw Error(ExitCode::no_input, {target.string()}, "new: cannot write the file");
  }
  const std::string shown = path.string();
  fmt::print(out, "spinlab new: wrote {0}/spinlock.c, {0}/Makefile and {0}/{1}.toml\n"
                  "next: make -C {0} && spinlab run {0}/{1}.toml   (spinlock.c says what to fix)\n",
             shown, name);
}

}  // namespace spinlab

// The TOML config loader with --set overrides (sim/load/config*). The input
// is a config file's text up to the first line that is exactly "--set";
// each line after it (at most 8) is one override, KEY=VALUE as --set takes
// it. The file is loaded with the overrides, and the overrides alone are
// applied to the default machine of an ELF run directly. A config spinlab
// cannot use is refused with a spinlab::Error carrying a message and the
// exit code of a bad input (64, 65 or 66); one it takes is asked for the
// settings a report lists.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/load/config.h"
#include "sim/load/error.h"
#include "tests/fuzz/targets.h"

namespace spinlab::fuzz {
namespace {

constexpr size_t kMaxOverrides = 8;

void check_error(const Error& e, const char* what) {
  if (e.message().empty()) fail(std::string(what) + " threw an Error without a message");
  const ExitCode c = e.code();
  if (c != ExitCode::usage && c != ExitCode::bad_input && c != ExitCode::no_input)
    fail(std::string(what) + " threw an Error with exit code " + std::to_string(static_cast<int>(c)) + ": " + e.what());
}

void ask(const Config& cfg, const std::vector<Override>& overrides) {
  changed_settings(cfg, overrides, {});
  for (const Override& o : overrides) override_key(o);
}

}  // namespace

void config_one(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view text = input;
  std::vector<Override> overrides;
  size_t rest = std::string_view::npos;  // where the overrides start
  if (input.substr(0, 6) == "--set\n") {
    text = {};
    rest = 6;
  } else if (const size_t at = input.find("\n--set\n"); at != std::string_view::npos) {
    text = input.substr(0, at + 1);
    rest = at + 7;
  }
  for (std::string_view lines = rest < size ? input.substr(rest) : std::string_view();
       !lines.empty() && overrides.size() < kMaxOverrides;) {
    const size_t nl = lines.find('\n');
    overrides.push_back({std::string(lines.substr(0, nl))});
    lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
  }

  const std::string path = scratch_path("config.toml");
  write_file(path, reinterpret_cast<const uint8_t*>(text.data()), text.size());
  try {
    ask(load_config(path, overrides), overrides);
  } catch (const Error& e) {
    check_error(e, "load_config");
  }
  // The overrides alone, as on `spinlab run prog.elf --set ...` (the ELF is
  // not read here).
  const std::string elf = scratch_path("program.elf");
  static const bool made = (write_file(elf, nullptr, 0), true);
  (void)made;
  try {
    ask(config_for_elf(elf, overrides), overrides);
  } catch (const Error& e) {
    check_error(e, "config_for_elf");
  }
}

}  // namespace spinlab::fuzz

// The fixture the config tests share: a scratch directory with a bundled
// firmware directory, and helpers that write and load a config.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/load/config.h"
#include "sim/load/error.h"
#include "testutil.h"

namespace spinlab {


inline const std::string kProgramElf = std::string(SIM_TEST_PROGRAMS) + "/prog.elf";

// Each test gets a scratch directory holding a bundled firmware directory
// with hello.elf and spin.elf (existence is all a config checks).
class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() : fw_env_("SPINLAB_FIRMWARE_DIR", dir_ / "firmware") {
    dir_.write("firmware/hello.elf", "");
    dir_.write("firmware/spin.elf", "");
  }

  // Writes the config file NAME (default c.toml) and returns its path.
  std::string config(const std::string& text, const std::string& name = "c.toml") {
    return dir_.write(name, text);
  }

  // Loads `text` as a config; returns what it throws.
  Error error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
    std::string path = config(text);
    return test::catch_error([&] { load_config(path, overrides); });
  }

  std::string firmware(const std::string& name) { return (std::filesystem::path(dir_ / "firmware") / name).string(); }

  test::TempDir dir_;
  test::ScopedEnv fw_env_;
};


}  // namespace spinlab

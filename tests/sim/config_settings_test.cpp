// The report's settings (changed_settings): what differs from the defaults,
// and every key a --set names, even at its default.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config_fixture.h"

namespace spinlab {
namespace {

// The settings as "key=toml" lines, in order.
std::vector<std::string> lines(const std::vector<Setting>& settings) {
  std::vector<std::string> out;
  for (const Setting& s : settings) out.push_back(s.key + "=" + s.toml);
  return out;
}

using Lines = std::vector<std::string>;

TEST_F(ConfigTest, SettingsAreWhatDiffersFromTheDefaults) {
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n[machine]\nharts = 4\nmisaligned = \"trap\"\n"), {});
  // misaligned = "trap" is the default: a config file's default is no setting.
  EXPECT_EQ(lines(changed_settings(c, {}, {})),
            (Lines{"machine.harts=4", "firmware.program=\"" + firmware("hello.elf") + "\""}));
}

TEST_F(ConfigTest, EverySetIsASettingEvenAtItsDefault) {
  std::vector<Override> set = {{" machine.misaligned = trap"}, {"run.max_cycles=1000000000"}};
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n"), set);
  EXPECT_EQ(lines(changed_settings(c, set, {})),
            (Lines{"machine.misaligned=\"trap\"", "firmware.program=\"" + firmware("hello.elf") + "\"",
                   "run.max_cycles=1000000000"}));
  EXPECT_EQ(override_key(set[0]), "machine.misaligned");
}

TEST_F(ConfigTest, ASetOfATableNamesEachOfItsKeys) {
  std::vector<Override> set = {{"machine.latency={ram = 1}"}};
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n"), set);
  Lines got = lines(changed_settings(c, set, {}));
  ASSERT_EQ(got.size(), 8u);  // the 7 latencies, each at its default, and the program
  EXPECT_EQ(got[0], "machine.latency.ram=1");
  EXPECT_EQ(got[1], "machine.latency.uart=2");
  EXPECT_EQ(got[6], "machine.latency.nic=2");
}

TEST_F(ConfigTest, TheScenarioTableIsNoSettingUnlessSet) {
  const std::string text = "[firmware]\nprogram = \"hello\"\n[scenario]\nsummary = \"a lesson\"\n";
  Config c = load_config(config(text), {});
  EXPECT_EQ(lines(changed_settings(c, {}, {})), (Lines{"firmware.program=\"" + firmware("hello.elf") + "\""}));
  std::vector<Override> set = {{"scenario.summary=other"}};
  Config s = load_config(config(text), set);
  EXPECT_EQ(lines(changed_settings(s, set, {})).back(), "scenario.summary=\"other\"");
}

TEST_F(ConfigTest, AParamsDefaultIsTheProgramsOwnValue) {
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = 5\nnest = 4294967295\n"), {});
  const std::string program = "firmware.program=\"" + firmware("hello.elf") + "\"";
  // The ELF holds 5 at phase: no change. nest has no default: listed.
  EXPECT_EQ(lines(changed_settings(c, {}, {{"phase", 5}})), (Lines{program, "firmware.params.nest=4294967295"}));
  EXPECT_EQ(lines(changed_settings(c, {}, {{"phase", 4}, {"nest", 0xffffffffu}})),
            (Lines{program, "firmware.params.phase=5"}));
  std::vector<Override> set = {{"firmware.params.phase=5"}};
  EXPECT_EQ(lines(changed_settings(c, set, {{"phase", 5}, {"nest", 0xffffffffu}})),
            (Lines{program, "firmware.params.phase=5"}));
}

}  // namespace
}  // namespace spinlab

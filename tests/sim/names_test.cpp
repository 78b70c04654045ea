// Names a user types: TARGET (sim/cli/target.h) and firmware params
// (firmware_param_address, sim/cli/run.h), with their "did you mean".
#include <cstdio>

#include <gtest/gtest.h>

#include "config_fixture.h"
#include "sim/cli/run.h"
#include "sim/cli/target.h"

namespace spinlab {
namespace {

// A config directory with configs/default.toml and two scenarios, one of
// them running the bundled program pushoff_order; the fixture's firmware
// directory holds hello, spin and pushoff_order.
class NamesTest : public ConfigTest {
 protected:
  NamesTest() : config_env_("SPINLAB_CONFIG_DIR", dir_ / "configs") {
    dir_.write("firmware/pushoff_order.elf", "");
    dir_.write("configs/default.toml", "[firmware]\nprogram = \"hello\"\n");
    scenario_ = dir_.write("configs/scenarios/06-pushoff-order.toml",
                           "[machine]\nharts = 2\n[firmware]\nprogram = \"pushoff_order\"\n");
    dir_.write("configs/scenarios/01-race.toml", "[firmware]\nprogram = \"spin\"\n");
  }

  // resolve_target, and what it said on its notes stream.
  Config resolve(const std::string& target, std::string& notes) {
    std::FILE* f = std::tmpfile();
    Config cfg;
    try {
      cfg = resolve_target(target, {}, f);
    } catch (...) {
      std::fclose(f);
      throw;
    }
    std::rewind(f);
    char buf[512];
    notes.clear();
    while (size_t n = std::fread(buf, 1, sizeof buf, f)) notes.append(buf, n);
    std::fclose(f);
    return cfg;
  }

  test::ScopedEnv config_env_;
  std::string scenario_;
};

TEST_F(NamesTest, AScenariosProgramRunsTheScenarioAndSaysSo) {
  std::string notes;
  Config cfg = resolve("pushoff_order", notes);
  EXPECT_EQ(cfg.source, scenario_);
  EXPECT_EQ(cfg.machine.harts, 2u);
  EXPECT_EQ(cfg.firmware, firmware("pushoff_order.elf"));
  EXPECT_EQ(notes,
            "spinlab: pushoff_order: the program of scenario pushoff-order: running the scenario (its machine and "
            "params); give the program's path to run it on the default machine\n");
  // Its path runs it on the default machine, silently.
  cfg = resolve(firmware("pushoff_order.elf"), notes);
  EXPECT_EQ(cfg.source, firmware("pushoff_order.elf"));
  EXPECT_EQ(cfg.machine.harts, 1u);
  EXPECT_EQ(notes, "");
}

TEST_F(NamesTest, AProgramOfNoScenarioRunsOnTheDefaultMachine) {
  std::string notes;
  Config cfg = resolve("hello", notes);
  EXPECT_EQ(cfg.source, firmware("hello.elf"));
  EXPECT_EQ(notes, "");
  // A scenario's name, and a config's, before a program's.
  EXPECT_EQ(resolve("pushoff-order", notes).source, scenario_);
  EXPECT_EQ(resolve("default", notes).source, dir_ / "configs/default.toml");
  EXPECT_EQ(notes, "");
}

TEST_F(NamesTest, BundledNamesAreScenariosConfigsAndProgramsOfNoScenario) {
  EXPECT_EQ(bundled_names(), (std::vector<std::string>{"race", "pushoff-order", "default", "hello"}));
}

TEST_F(NamesTest, AMisspeltNameGetsTheNearestBundledOnes) {
  Error e = test::catch_error([&] { resolve_target("pushof-order", {}, nullptr); });
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(std::string(e.what()),
            "pushof-order: no such file, and no bundled config or program of that name; did you mean "
            "`pushoff-order`?");
  EXPECT_EQ(test::catch_error([&] { resolve_target("rase", {}, nullptr); }).message(),
            "no such file, and no bundled config or program of that name; did you mean `race`?");
  EXPECT_EQ(test::catch_error([&] { resolve_target("defualt", {}, nullptr); }).message(),
            "no such file, and no bundled config or program of that name; did you mean `default`?");
  EXPECT_EQ(test::catch_error([&] { resolve_target("nothing-like-it", {}, nullptr); }).message(),
            "no such file, and no bundled config or program of that name; spinlab list shows the scenarios");
  // A name with .elf is a file's, but its bundled program is suggested.
  EXPECT_EQ(std::string(test::catch_error([&] { resolve_target("hello.elf", {}, nullptr); }).what()),
            "hello.elf: no such file; did you mean `hello`?");
  // A path is only a path.
  EXPECT_EQ(std::string(test::catch_error([&] { resolve_target("x/rase", {}, nullptr); }).what()),
            "x/rase: no such file");
}

// --- firmware params ---------------------------------------------------------

TEST_F(NamesTest, AParamTheProgramLacksIsBlamedWhereItWasSetWithASuggestion) {
  const std::string text = "[firmware]\nprogram = \"" + kProgramElf + "\"\n[firmware.params]\ntick = 1\n";
  Config cfg = load_config(config(text), {});
  Error e = test::catch_error([&] { load_firmware(cfg); });
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:4:1: firmware.params.tick: the program prog.elf has no symbol `tick` to set; did you "
                   "mean `ticks`?");
  // Set again by --set: the --set is to blame.
  cfg = load_config(config(text), {{"firmware.params.tick=3"}});
  EXPECT_EQ(std::string(test::catch_error([&] { load_firmware(cfg); }).what()),
            "--set firmware.params.tick=3: firmware.params.tick: the program prog.elf has no symbol `tick` to set; "
            "did you mean `ticks`?");
}

TEST_F(NamesTest, AScenariosDeclaredParamsComeFirstThenItsListIsGiven) {
  const std::string text = "[[scenario.param]]\nname = \"ticks\"\nhelp = \"h\"\n[firmware]\nprogram = \"" +
                           kProgramElf + "\"\n";
  Config cfg = load_config(config(text), {{"firmware.params.tickz=3"}});
  EXPECT_EQ(test::catch_error([&] { load_firmware(cfg); }).message(),
            "firmware.params.tickz: the program prog.elf has no symbol `tickz` to set; did you mean `ticks`?");
  cfg = load_config(config(text), {{"firmware.params.nothing_like_it=3"}});
  EXPECT_EQ(test::catch_error([&] { load_firmware(cfg); }).message(),
            "firmware.params.nothing_like_it: the program prog.elf has no symbol `nothing_like_it` to set; its "
            "params are `ticks`");
}

TEST_F(NamesTest, AKeyThatMeantADeclaredParamSuggestsIt) {
  const std::string text =
      "[[scenario.param]]\nname = \"timer_phase\"\nhelp = \"h\"\n[firmware]\nprogram = \"hello\"\n"
      "[firmware.params]\nwork = 3\n";
  EXPECT_EQ(std::string(error_of(text, {{"timer_phase=3"}}).what()),
            "--set timer_phase=3: unknown key `timer_phase`; did you mean `firmware.params.timer_phase`?");
  EXPECT_EQ(error_of(text, {{"firmware.param.timer_phase=3"}}).message(),
            "unknown key `firmware.param.timer_phase`; did you mean `firmware.params.timer_phase`?");
  EXPECT_EQ(error_of(text, {{"firmware.work=3"}}).message(),
            "unknown key `firmware.work`; did you mean `firmware.params.work`?");
  // A config key near the name wins over a param's.
  EXPECT_EQ(error_of(text, {{"trace.word=[]"}}).message(), "unknown key `trace.word`; did you mean `trace.words`?");
}

TEST_F(NamesTest, AParamIsA32BitWordNeverNegative) {
  const std::string text = "[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = -5\n";
  Error e = error_of(text);
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:4:9: firmware.params.phase: expected an integer from 0 to 4294967295 (a 32-bit word), got -5");
  e = error_of("[firmware]\nprogram = \"hello\"\n", {{"firmware.params.timer_phase=-5"}});
  EXPECT_EQ(std::string(e.what()),
            "--set firmware.params.timer_phase=-5: firmware.params.timer_phase: expected an integer from 0 to "
            "4294967295 (a 32-bit word), got -5");
  EXPECT_EQ(error_of("[firmware]\nprogram = \"hello\"\n", {{"firmware.params.x=0x100000000"}}).message(),
            "firmware.params.x: expected an integer from 0 to 4294967295 (a 32-bit word), got 4294967296");
  EXPECT_EQ(error_of("[firmware]\nprogram = \"hello\"\n", {{"firmware.params.x=late"}}).message(),
            "firmware.params.x: expected an integer from 0 to 4294967295 (a 32-bit word), got a string (\"late\")");
  // Both ends are words.
  Config cfg = load_config(config("[firmware]\nprogram = \"hello\"\n[firmware.params]\nlo = 0\nhi = 0xffffffff\n"), {});
  EXPECT_EQ(cfg.firmware_params.at("lo"), 0);
  EXPECT_EQ(cfg.firmware_params.at("hi"), 0xffffffffll);
}

TEST_F(NamesTest, AScenarioParamsDeclaredRangeIsCheckedWhereTheValueWasSet) {
  const std::string text =
      "[firmware.params]\nuse_irqsave = 1\n[[scenario.param]]\nname = \"use_irqsave\"\nhelp = \"h\"\nmax = 1\n"
      "[firmware]\nprogram = \"hello\"\n";
  Config cfg = load_config(config(text), {{"firmware.params.use_irqsave=0"}});
  EXPECT_EQ(cfg.firmware_params.at("use_irqsave"), 0);
  EXPECT_EQ(cfg.scenario.params.at(0).max, 1u);
  Error e = error_of(text, {{"firmware.params.use_irqsave=2"}});
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            "--set firmware.params.use_irqsave=2: firmware.params.use_irqsave: expected an integer from 0 to 1 (its "
            "[[scenario.param]] range), got 2");
  // In the file, before the declaration: its line.
  EXPECT_EQ(std::string(error_of("[firmware.params]\nuse_irqsave = 5\n" + text.substr(text.find("[[")), {}).what()),
            dir_ / "c.toml:2:1: firmware.params.use_irqsave: expected an integer from 0 to 1 (its [[scenario.param]] "
                   "range), got 5");
  EXPECT_EQ(error_of("[[scenario.param]]\nname = \"x\"\nhelp = \"h\"\nmin = 3\nmax = 2\n[firmware]\nprogram = "
                     "\"hello\"\n")
                .message(),
            "scenario.param[0].max: 2 is less than min (3)");
  // Without a range, the whole word.
  EXPECT_NO_THROW(load_config(config(text), {{"firmware.params.other=4294967295"}}));
}

}  // namespace
}  // namespace spinlab

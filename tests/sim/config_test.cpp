// Config files and --set: every key, every kind of error with its place, the
// firmware's resolution, and docs/config.md against the declared keys.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sim/config.h"
#include "sim/error.h"
#include "testutil.h"

namespace spinlab {
namespace {

namespace fs = std::filesystem;
using test::catch_error;
using test::ScopedEnv;
using test::TempDir;

const std::string kProgramElf = std::string(SIM_TEST_PROGRAMS) + "/prog.elf";

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
    return catch_error([&] { load_config(path, overrides); });
  }

  std::string firmware(const std::string& name) { return (fs::path(dir_ / "firmware") / name).string(); }

  TempDir dir_;
  ScopedEnv fw_env_;
};

// --- the declared keys -----------------------------------------------------

TEST(ConfigKeys, DeclaredOnceWithHelpAndCheck) {
  std::set<std::string> seen;
  for (const KeyInfo& k : config_keys()) {
    EXPECT_TRUE(seen.insert(k.key).second) << k.key << " declared twice";
    EXPECT_FALSE(k.help.empty()) << k.key;
    EXPECT_FALSE(k.accepts.empty()) << k.key;
    EXPECT_TRUE(k.type == "integer" || k.type == "string" || k.type == "array of strings" ||
                k.type == "array of tables")
        << k.key;
    EXPECT_EQ(k.required, k.default_value.empty()) << k.key;
    // They go into a markdown table, one row each.
    for (const std::string* s : {&k.help, &k.accepts, &k.unit})
      EXPECT_EQ(s->find_first_of("|\n"), std::string::npos) << k.key;
  }
  EXPECT_EQ(seen.size(), 49u) << "a new key needs a line in EveryKeyIsParsed";
}

TEST(ConfigKeys, DefaultsComeFromTheStructs) {
  auto info = [](const std::string& key) {
    for (const KeyInfo& k : config_keys())
      if (k.key == key) return k;
    ADD_FAILURE() << "no key " << key;
    return KeyInfo{};
  };
  const Config d;
  EXPECT_EQ(info("machine.harts").default_value, std::to_string(d.machine.harts));
  EXPECT_EQ(info("machine.clock_hz").default_value, "100000000");
  EXPECT_EQ(info("machine.ram_bytes").default_value, "16777216");
  EXPECT_EQ(info("machine.misaligned").default_value, "\"trap\"");
  EXPECT_EQ(info("machine.isa").default_value, "\"rv32imac\"");
  EXPECT_EQ(info("machine.latency.uart").default_value, std::to_string(d.machine.latency.uart));
  EXPECT_EQ(info("machine.cost.div").default_value, "33");
  EXPECT_EQ(info("run.max_cycles").default_value, "1000000000");
  EXPECT_TRUE(info("firmware.program").required);
  EXPECT_EQ(info("machine.harts").accepts, "an integer from 1 to 64");
  EXPECT_EQ(info("machine.ram_bytes").unit, "bytes");
  EXPECT_EQ(info("machine.clock_hz").unit, "Hz");
  EXPECT_EQ(info("machine.cost.alu").unit, "cycles");

  EXPECT_EQ(info("machine.start").default_value, "\"all\"");
  EXPECT_EQ(info("machine.start").accepts, "one of \"all\", \"hart0\"");
  EXPECT_EQ(info("machine.arbitration").default_value, "\"round_robin\"");
  EXPECT_EQ(info("machine.arbitration").accepts, "one of \"round_robin\", \"fixed_priority\"");
  EXPECT_EQ(info("machine.mtime_divider").default_value, "10");
  EXPECT_EQ(info("machine.mtime_divider").unit, "cycles");
  EXPECT_EQ(info("machine.mtime_divider").accepts, "an integer from 1 to 4294967295");
  EXPECT_EQ(info("machine.plic_sources").default_value, "31");
  EXPECT_EQ(info("machine.plic_sources").accepts, "an integer from 1 to 1023");
  EXPECT_EQ(info("machine.latency.irqsrc").default_value, std::to_string(d.machine.latency.irqsrc));
  EXPECT_EQ(info("machine.latency.irqsrc").unit, "cycles");
  EXPECT_EQ(info("trace.vcd").type, "string");
  EXPECT_EQ(info("trace.vcd").default_value, "\"\"");
  EXPECT_EQ(info("trace.words").type, "array of strings");
  EXPECT_EQ(info("trace.words").default_value, "[]");
  EXPECT_EQ(info("irq_source").type, "array of tables");
  EXPECT_EQ(info("irq_source").default_value, "[]");
  EXPECT_EQ(info("irq_source").accepts,
            "an array of at most 16 tables ([[irq_source]]) with keys name, line, first_cycle, period_cycles, "
            "count, ack");
  // An element's keys, with the defaults of a fresh IrqSourceSpec.
  const IrqSourceSpec s;
  EXPECT_TRUE(info("irq_source[].name").required);
  EXPECT_TRUE(info("irq_source[].line").required);
  EXPECT_EQ(info("irq_source[].line").accepts, "an integer from 1 to machine.plic_sources");
  EXPECT_EQ(info("irq_source[].first_cycle").default_value, std::to_string(s.first_cycle));
  EXPECT_EQ(info("irq_source[].first_cycle").unit, "cycles");
  EXPECT_EQ(info("irq_source[].period_cycles").default_value, "0");
  EXPECT_EQ(info("irq_source[].period_cycles").accepts, "a non-negative integer");
  EXPECT_EQ(info("irq_source[].count").default_value, "1");
  EXPECT_EQ(info("irq_source[].ack").default_value, "\"register\"");
  EXPECT_EQ(info("irq_source[].ack").accepts, "one of \"register\", \"claim\"");
}

// --- reading every key ------------------------------------------------------

TEST_F(ConfigTest, MinimalConfigHasTheDefaults) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  Config c = load_config(path, {});
  const Config d;
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.firmware, firmware("hello.elf"));
  EXPECT_EQ(c.machine.harts, d.machine.harts);
  EXPECT_EQ(c.machine.clock_hz, 100'000'000u);
  EXPECT_EQ(c.machine.ram_bytes, 16u << 20);
  EXPECT_EQ(c.machine.misaligned, Misaligned::trap);
  EXPECT_EQ(c.machine.isa, Isa::rv32imac);
  EXPECT_EQ(c.machine.latency.ram, d.machine.latency.ram);
  EXPECT_EQ(c.machine.cost.div, d.machine.cost.div);
  EXPECT_EQ(c.run.max_cycles, 1'000'000'000u);
  EXPECT_EQ(c.machine.start, StartMode::all);
  EXPECT_EQ(c.machine.arbitration, Arbitration::round_robin);
  EXPECT_EQ(c.machine.mtime_divider, 10u);
  EXPECT_EQ(c.machine.plic_sources, 31u);
  EXPECT_EQ(c.machine.latency.irqsrc, d.machine.latency.irqsrc);
  EXPECT_TRUE(c.machine.irq_sources.empty());
  EXPECT_EQ(c.trace.vcd, "");
  EXPECT_TRUE(c.trace.words.empty());
  EXPECT_EQ(c.trace.timeline, "");
}

TEST_F(ConfigTest, EveryKeyIsParsed) {
  Config c = load_config(config(R"(
[machine]
harts = 4
isa = "rv32ima"
clock_hz = 50_000_000
ram_bytes = 0x200000
misaligned = "emulate"
pmp_granularity_bytes = 64
start = "hart0"
arbitration = "fixed_priority"
mtime_divider = 100
plic_sources = 63

[machine.latency]
ram = 3
uart = 11
clint = 12
plic = 13
finisher = 14
irqsrc = 15

[machine.cost]
alu = 21
mul = 22
div = 23
branch_taken = 24
jump = 25
load = 26
store = 27
amo = 28
csr = 29
fence = 30
system = 31
trap_entry = 32
mret = 33
wfi = 34

[firmware]
program = "spin"

[run]
max_cycles = 5_000
monitor = "off"
on_deadlock = "continue"

[trace]
vcd = "out.vcd"
words = ["tickslock", "0x80001000"]
timeline = "out.json"

[scenario]
lesson = "lessons/03-irq-deadlock.md"

[[irq_source]]
name = "nic"
line = 40
first_cycle = 1_000
period_cycles = 500
count = 0
ack = "claim"

[[irq_source]]
name = "disk"
line = 2
)"),
                         {});
  EXPECT_EQ(c.machine.harts, 4u);
  EXPECT_EQ(c.machine.clock_hz, 50'000'000u);
  EXPECT_EQ(c.machine.ram_bytes, 0x200000u);
  EXPECT_EQ(c.machine.isa, Isa::rv32ima);
  EXPECT_EQ(c.machine.misaligned, Misaligned::emulate);
  EXPECT_EQ(c.machine.pmp_granularity_bytes, 64u);
  EXPECT_EQ(c.machine.latency.ram, 3u);
  EXPECT_EQ(c.machine.latency.uart, 11u);
  EXPECT_EQ(c.machine.latency.clint, 12u);
  EXPECT_EQ(c.machine.latency.plic, 13u);
  EXPECT_EQ(c.machine.latency.finisher, 14u);
  const Costs& k = c.machine.cost;
  EXPECT_EQ(k.alu, 21u);
  EXPECT_EQ(k.mul, 22u);
  EXPECT_EQ(k.div, 23u);
  EXPECT_EQ(k.branch_taken, 24u);
  EXPECT_EQ(k.jump, 25u);
  EXPECT_EQ(k.load, 26u);
  EXPECT_EQ(k.store, 27u);
  EXPECT_EQ(k.amo, 28u);
  EXPECT_EQ(k.csr, 29u);
  EXPECT_EQ(k.fence, 30u);
  EXPECT_EQ(k.system, 31u);
  EXPECT_EQ(k.trap_entry, 32u);
  EXPECT_EQ(k.mret, 33u);
  EXPECT_EQ(k.wfi, 34u);
  EXPECT_EQ(c.firmware, firmware("spin.elf"));
  EXPECT_EQ(c.run.max_cycles, 5000u);
  EXPECT_EQ(c.run.monitor, Switch::off);
  EXPECT_EQ(c.run.on_deadlock, OnDeadlock::go_on);
  EXPECT_EQ(c.machine.start, StartMode::hart0);
  EXPECT_EQ(c.machine.arbitration, Arbitration::fixed_priority);
  EXPECT_EQ(c.machine.mtime_divider, 100u);
  EXPECT_EQ(c.machine.plic_sources, 63u);
  EXPECT_EQ(c.machine.latency.irqsrc, 15u);
  EXPECT_EQ(c.trace.vcd, dir_ / "out.vcd");
  EXPECT_EQ(c.trace.timeline, dir_ / "out.json");
  EXPECT_EQ(c.trace.words, (std::vector<std::string>{"tickslock", "0x80001000"}));
  EXPECT_EQ(c.scenario.lesson, "lessons/03-irq-deadlock.md");
  ASSERT_EQ(c.machine.irq_sources.size(), 2u);
  const IrqSourceSpec& nic = c.machine.irq_sources[0];
  EXPECT_EQ(nic.name, "nic");
  EXPECT_EQ(nic.line, 40u);
  EXPECT_EQ(nic.first_cycle, 1000u);
  EXPECT_EQ(nic.period_cycles, 500u);
  EXPECT_EQ(nic.count, 0u);
  EXPECT_EQ(nic.ack, IrqAck::claim);
  // Keys left out of an element take IrqSourceSpec's defaults.
  const IrqSourceSpec& disk = c.machine.irq_sources[1];
  const IrqSourceSpec fresh;
  EXPECT_EQ(disk.name, "disk");
  EXPECT_EQ(disk.line, 2u);
  EXPECT_EQ(disk.first_cycle, fresh.first_cycle);
  EXPECT_EQ(disk.period_cycles, fresh.period_cycles);
  EXPECT_EQ(disk.count, fresh.count);
  EXPECT_EQ(disk.ack, IrqAck::register_write);
}

TEST_F(ConfigTest, DottedKeysAndInlineTables) {
  Config c = load_config(config("machine.harts = 2\n"
                                "machine.latency = { ram = 5 }\n"
                                "machine.cost.div = 40\n"
                                "firmware.program = \"hello\"\n"),
                         {});
  EXPECT_EQ(c.machine.harts, 2u);
  EXPECT_EQ(c.machine.latency.ram, 5u);
  EXPECT_EQ(c.machine.latency.uart, Latencies{}.uart);
  EXPECT_EQ(c.machine.cost.div, 40u);
}

TEST_F(ConfigTest, LimitsAreInclusive) {
  Config c = load_config(config("[machine]\nharts = 64\nram_bytes = 1073741824\n"
                                "[firmware]\nprogram = \"hello\"\n"),
                         {});
  EXPECT_EQ(c.machine.harts, 64u);
  EXPECT_EQ(c.machine.ram_bytes, 1u << 30);
  c = load_config(config("[machine]\nharts = 1\nram_bytes = 4096\n[firmware]\nprogram = \"hello\"\n"), {});
  EXPECT_EQ(c.machine.harts, 1u);
  EXPECT_EQ(c.machine.ram_bytes, 4096u);
}

// --- errors, each with its place ---------------------------------------------

TEST_F(ConfigTest, SyntaxErrorHasTomlsPlaceAndDescription) {
  Error e = error_of("[machine]\nharts = \n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 2u);
  EXPECT_EQ(e.place().column, 9u);
  EXPECT_EQ(std::string(e.what()), dir_ / "c.toml:2:9: Error while parsing key-value pair: expected value, saw '\\n'");
}

TEST_F(ConfigTest, DuplicateKeyIsASyntaxError) {
  Error e = error_of("[machine]\nharts = 2\nharts = 3\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 3u) << e.what();
}

TEST_F(ConfigTest, WrongType) {
  Error e = error_of("[machine]\nharts = \"two\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:2:9: machine.harts: expected an integer from 1 to 64, got a string (\"two\")");
}

TEST_F(ConfigTest, WrongTypeNamesEachType) {
  EXPECT_EQ(error_of("[machine]\nharts = 1.5\n").message(),
            "machine.harts: expected an integer from 1 to 64, got a float (1.5)");
  EXPECT_EQ(error_of("[machine]\nharts = true\n").message(),
            "machine.harts: expected an integer from 1 to 64, got a boolean (true)");
  EXPECT_EQ(error_of("[machine]\nharts = [1, 2]\n").message(),
            "machine.harts: expected an integer from 1 to 64, got an array");
  EXPECT_EQ(error_of("[machine.harts]\n").message(),
            "machine.harts: expected an integer from 1 to 64, got a table");
  EXPECT_EQ(error_of("[machine]\npmp_granularity_bytes = 12\n").message(),
            "machine.pmp_granularity_bytes: expected a power of two from 4 to 1073741824, got 12");
  EXPECT_EQ(error_of("[machine]\npmp_granularity_bytes = 2\n").message(),
            "machine.pmp_granularity_bytes: expected a power of two from 4 to 1073741824, got 2");
  EXPECT_EQ(error_of("[machine]\nmisaligned = 1\n").message(),
            "machine.misaligned: expected one of \"trap\", \"emulate\", got an integer (1)");
  EXPECT_EQ(error_of("[firmware]\nprogram = 7\n").message(),
            "firmware.program: expected a bundled program's name or a path to an ELF file, got an integer (7)");
}

TEST_F(ConfigTest, OutOfRange) {
  Error e = error_of("[machine]\nharts = 0\n");
  EXPECT_EQ(std::string(e.what()), dir_ / "c.toml:2:9: machine.harts: expected an integer from 1 to 64, got 0");
  EXPECT_EQ(error_of("[machine]\nharts = 65\n").message(),
            "machine.harts: expected an integer from 1 to 64, got 65");
  EXPECT_EQ(error_of("[machine]\nclock_hz = -5\n").message(),
            "machine.clock_hz: expected a positive integer, got -5");
  EXPECT_EQ(error_of("[machine.latency]\nram = 0\n").message(),
            "machine.latency.ram: expected an integer from 1 to 1000000, got 0");
  EXPECT_EQ(error_of("[machine.cost]\ndiv = 1000001\n").message(),
            "machine.cost.div: expected an integer from 1 to 1000000, got 1000001");
  EXPECT_EQ(error_of("[run]\nmax_cycles = 0\n").message(),
            "run.max_cycles: expected a positive integer, got 0");
}

TEST_F(ConfigTest, RamBytesMustBeWholePagesUpTo1GiB) {
  const std::string expected = "machine.ram_bytes: expected a multiple of 4096 from 4096 to 1073741824, got ";
  EXPECT_EQ(error_of("[machine]\nram_bytes = 5000\n").message(), expected + "5000");
  EXPECT_EQ(error_of("[machine]\nram_bytes = 0\n").message(), expected + "0");
  EXPECT_EQ(error_of("[machine]\nram_bytes = 0x80000000\n").message(), expected + "2147483648");
  EXPECT_EQ(error_of("[machine]\nram_bytes = \"16MiB\"\n").message(), expected + "a string (\"16MiB\")");
}

TEST_F(ConfigTest, BadChoiceListsTheChoices) {
  Error e = error_of("[machine]\nmisaligned = \"fix\"\n");
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:2:14: machine.misaligned: expected one of \"trap\", \"emulate\", got \"fix\"");
}

TEST_F(ConfigTest, UnknownKeySuggestsTheNearest) {
  Error e = error_of("[machine]\nhart = 2\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:2:1: unknown key `machine.hart`; did you mean `machine.harts`?");

  EXPECT_EQ(error_of("[machine]\nhrats = 2\n").message(),
            "unknown key `machine.hrats`; did you mean `machine.harts`?");
  EXPECT_EQ(error_of("[machine]\nram = 8192\n").message(),
            "unknown key `machine.ram`; did you mean `machine.ram_bytes`?");
  EXPECT_EQ(error_of("harts = 2\n").message(), "unknown key `harts`; did you mean `machine.harts`?");
  EXPECT_EQ(error_of("[run]\nmax_cycle = 9\n").message(),
            "unknown key `run.max_cycle`; did you mean `run.max_cycles`?");
  EXPECT_EQ(error_of("[firmware]\nprogramme = \"hello\"\n").message(),
            "unknown key `firmware.programme`; did you mean `firmware.program`?");
  EXPECT_EQ(error_of("[machine.cost]\nbranch = 2\n").message(),
            "unknown key `machine.cost.branch`; did you mean `machine.cost.branch_taken`?");
  EXPECT_EQ(error_of("[machine.latency]\nRAM = 2\n").message(),
            "unknown key `machine.latency.RAM`; did you mean `machine.latency.ram`?");
}

TEST_F(ConfigTest, UnknownTableSuggestsTheNearest) {
  Error e = error_of("[firmware]\nprogram = \"hello\"\n\n[machin]\nharts = 2\n");
  EXPECT_EQ(std::string(e.what()), dir_ / "c.toml:4:2: unknown table `machin`; did you mean `machine`?");
  EXPECT_EQ(error_of("[machine.latencies]\nram = 2\n").message(),
            "unknown table `machine.latencies`; did you mean `machine.latency`?");
  EXPECT_EQ(error_of("[cost]\nalu = 2\n").message(), "unknown table `cost`; did you mean `machine.cost`?");
}

TEST_F(ConfigTest, UnknownKeyWithNothingCloseListsTheTable) {
  EXPECT_EQ(error_of("[machine]\nflux_capacitor = 1\n").message(),
            "unknown key `machine.flux_capacitor`; [machine] has harts, isa, clock_hz, ram_bytes, misaligned, "
            "pmp_granularity_bytes, start, arbitration, mtime_divider, plic_sources, latency, cost");
  EXPECT_EQ(error_of("[machine.latency]\ndram = 1\n").message(),
            "unknown key `machine.latency.dram`; did you mean `machine.latency.ram`?");
  EXPECT_EQ(error_of("[machine.latency]\nnetwork = 1\n").message(),
            "unknown key `machine.latency.network`; [machine.latency] has ram, uart, clint, plic, finisher, irqsrc");
  EXPECT_EQ(error_of("[widget]\nname = \"x\"\n").message(),
            "unknown table `widget`; the tables are machine, firmware, run, monitor, trace, scenario, irq_source");
}

TEST_F(ConfigTest, ScenarioLessonIsARelativeMarkdownPath) {
  EXPECT_EQ(load_config(config("[firmware]\nprogram = \"spin\"\n"), {}).scenario.lesson, "");
  for (const char* bad : {"lessons/03.txt", "/abs/03.md", "../secret.md"})
    EXPECT_NE(error_of(fmt::format("[scenario]\nlesson = \"{}\"\n", bad)).message().find("scenario.lesson: expected a "
                                                                                          "relative path to a .md file"),
              std::string::npos)
        << bad;
}

TEST_F(ConfigTest, ValueWhereATableBelongs) {
  Error e = error_of("firmware = \"hello\"\n");
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:1:12: firmware: expected a table with keys program, got a string (\"hello\")");
  EXPECT_EQ(error_of("[machine]\nlatency = 3\n").message(),
            "machine.latency: expected a table with keys ram, uart, clint, plic, finisher, irqsrc, got an integer (3)");
}

TEST_F(ConfigTest, MissingProgram) {
  Error e = error_of("[machine]\nharts = 2\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml: missing key `firmware.program`: a bundled program's name or a path to an ELF file, "
                   "e.g. [firmware] program = \"hello\"");
}

TEST_F(ConfigTest, ProgramFileMissing) {
  Error e = error_of("[machine]\nharts = 2\n[firmware]\nprogram = \"build/nope.elf\"\n");
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:4:11: firmware.program: no file " + dir_ / "build/nope.elf");
}

TEST_F(ConfigTest, BundledProgramMissingSuggestsAName) {
  Error e = error_of("[firmware]\nprogram = \"helo\"\n");
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(std::string(e.what()), dir_ / "c.toml:2:11: firmware.program: no bundled program \"helo\" (no file " +
                                       firmware("helo.elf") + "); did you mean \"hello\"?");
  EXPECT_EQ(error_of("[firmware]\nprogram = \"deadlock\"\n").message(),
            "firmware.program: no bundled program \"deadlock\" (no file " + firmware("deadlock.elf") +
                "); bundled programs are hello, spin");
}

TEST_F(ConfigTest, ProgramIsADirectory) {
  fs::create_directories(dir_ / "dir.elf");
  Error e = error_of("[firmware]\nprogram = \"dir.elf\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.message(), "firmware.program: " + dir_ / "dir.elf" + " is a directory, not an ELF file");
}

TEST_F(ConfigTest, EmptyProgram) {
  EXPECT_EQ(error_of("[firmware]\nprogram = \"\"\n").message(),
            "firmware.program: expected a bundled program's name or a path to an ELF file, got an empty string");
}

TEST_F(ConfigTest, MissingOrUnreadableConfigFile) {
  Error e = catch_error([&] { load_config(dir_ / "nope.toml", {}); });
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.place().file, dir_ / "nope.toml");
  EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  e = catch_error([&] { load_config(dir_.path().string(), {}); });
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.message(), "is a directory, not a config file");
}

// --- the firmware's resolution ------------------------------------------------

TEST_F(ConfigTest, BundledNameResolvesInTheFirmwareDirectory) {
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n", "sub/c.toml"), {});
  EXPECT_EQ(c.firmware, firmware("hello.elf"));
}

TEST_F(ConfigTest, PathsResolveAgainstTheConfigsDirectory) {
  std::string elf = dir_.write("sub/build/my.elf", "");
  Config c = load_config(config("[firmware]\nprogram = \"build/my.elf\"\n", "sub/c.toml"), {});
  EXPECT_EQ(c.firmware, elf);
  // A ".elf" suffix or a '/' makes it a path, even without a directory.
  dir_.write("sub/hello.elf", "");
  c = load_config(config("[firmware]\nprogram = \"hello.elf\"\n", "sub/c.toml"), {});
  EXPECT_EQ(c.firmware, dir_ / "sub/hello.elf");
  c = load_config(config("[firmware]\nprogram = \"../sub/build/my.elf\"\n", "sub/c.toml"), {});
  EXPECT_EQ(c.firmware, elf);
  c = load_config(config("[firmware]\nprogram = \"" + elf + "\"\n", "other/c.toml"), {});
  EXPECT_EQ(c.firmware, elf);
}

TEST_F(ConfigTest, DirectoriesComeFromTheEnvironment) {
  EXPECT_EQ(firmware_dir(), dir_ / "firmware");
  ScopedEnv cfg("SPINLAB_CONFIG_DIR", "/somewhere/configs");
  EXPECT_EQ(config_dir(), "/somewhere/configs");
}

TEST(ConfigDirs, DefaultToTheBuildsDirectories) {
  ScopedEnv fw("SPINLAB_FIRMWARE_DIR", "");
  ScopedEnv cfg("SPINLAB_CONFIG_DIR", "");
  EXPECT_FALSE(firmware_dir().empty());
  EXPECT_FALSE(config_dir().empty());
  EXPECT_NE(config_dir().find("configs"), std::string::npos);
}

// --- --set --------------------------------------------------------------------

TEST_F(ConfigTest, OverridesWinOverTheFile) {
  std::string path = config("[machine]\nharts = 2\n[firmware]\nprogram = \"hello\"\n");
  Config c = load_config(path, {{"machine.harts=8"},
                                {"machine.misaligned=emulate"},
                                {"machine.isa=rv32ima"},
                                {"machine.latency.ram = 7"},
                                {"run.max_cycles=1_000"},
                                {"firmware.program=spin"}});
  EXPECT_EQ(c.machine.harts, 8u);
  EXPECT_EQ(c.machine.misaligned, Misaligned::emulate);
  EXPECT_EQ(c.machine.isa, Isa::rv32ima);
  EXPECT_EQ(c.machine.latency.ram, 7u);
  EXPECT_EQ(c.run.max_cycles, 1000u);
  EXPECT_EQ(c.firmware, firmware("spin.elf"));
}

TEST_F(ConfigTest, OverrideValuesAreToml) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  Config c = load_config(path, {{"machine.misaligned=\"emulate\""}, {"machine.cost={div = 9, mul = 2}"},
                                {"machine.ram_bytes=0x1000"}});
  EXPECT_EQ(c.machine.misaligned, Misaligned::emulate);
  EXPECT_EQ(c.machine.cost.div, 9u);
  EXPECT_EQ(c.machine.cost.mul, 2u);
  EXPECT_EQ(c.machine.ram_bytes, 4096u);
  // Later overrides win.
  c = load_config(path, {{"machine.harts=3"}, {"machine.harts=5"}});
  EXPECT_EQ(c.machine.harts, 5u);
}

// Table-driven over the declared keys, so a new key is covered at once.
TEST_F(ConfigTest, EveryKeyTakesItsDefaultAndRefusesAWrongType) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  for (const KeyInfo& k : config_keys()) {
    if (k.key.find("[]") != std::string::npos) continue;  // --set cannot reach into [[irq_source]]
    if (!k.required) {
      EXPECT_NO_THROW(load_config(path, {{k.key + "=" + k.default_value}})) << k.key;
    }
    const std::string wrong = k.type == "integer" ? "[1]" : "1.5";
    Error e = catch_error([&] { load_config(path, {{k.key + "=" + wrong}}); });
    EXPECT_EQ(e.code(), ExitCode::bad_input) << k.key;
    EXPECT_EQ(e.message(), k.key + ": expected " + k.accepts + ", got " +
                               (k.type == "integer" ? "an array" : "a float (1.5)"));
  }
}

TEST_F(ConfigTest, ArrayOfTablesIsNotATable) {
  EXPECT_EQ(error_of("[[machine]]\nharts = 2\n").message(),
            "machine: expected a table with keys harts, isa, clock_hz, ram_bytes, misaligned, pmp_granularity_bytes, "
            "start, arbitration, "
            "mtime_divider, plic_sources, latency, cost, got an array");
}

TEST_F(ConfigTest, OverrideCanSupplyTheProgram) {
  Config c = load_config(config("[machine]\nharts = 2\n"), {{"firmware.program=hello"}});
  EXPECT_EQ(c.firmware, firmware("hello.elf"));
}

TEST_F(ConfigTest, OverridePathsAreRelativeToTheCurrentDirectory) {
  std::string elf = dir_.write("cwd/x.elf", "");
  std::string path = config("[firmware]\nprogram = \"hello\"\n", "sub/c.toml");
  fs::path old = fs::current_path();
  fs::current_path(dir_ / "cwd");
  Config c;
  EXPECT_NO_THROW(c = load_config(path, {{"firmware.program=x.elf"}}));
  fs::current_path(old);
  EXPECT_EQ(c.firmware, "x.elf");
}

TEST_F(ConfigTest, OverrideErrorsNameTheOverride) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  auto error = [&](const std::string& set) { return catch_error([&] { load_config(path, {{set}}); }); };
  Error e = error("machine.harts=0");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()), "--set machine.harts=0: machine.harts: expected an integer from 1 to 64, got 0");
  EXPECT_STREQ(error("machine.harts=two").what(),
               "--set machine.harts=two: machine.harts: expected an integer from 1 to 64, got a string (\"two\")");
  EXPECT_STREQ(error("machine.harts=").what(),
               "--set machine.harts=: machine.harts: expected an integer from 1 to 64, got a string (\"\")");
  EXPECT_STREQ(error("machine.misaligned=fix").what(),
               "--set machine.misaligned=fix: machine.misaligned: expected one of \"trap\", \"emulate\", got \"fix\"");
  EXPECT_STREQ(error("machine.isa=rv32gc").what(),
               "--set machine.isa=rv32gc: machine.isa: expected one of \"rv32imac\", \"rv32ima\", got \"rv32gc\"");
  EXPECT_STREQ(error("machine.hart=2").what(),
               "--set machine.hart=2: unknown key `machine.hart`; did you mean `machine.harts`?");
  EXPECT_STREQ(error("harts=2").what(), "--set harts=2: unknown key `harts`; did you mean `machine.harts`?");
  EXPECT_STREQ(error("machine.cost={dvi = 2}").what(),
               "--set machine.cost={dvi = 2}: unknown key `machine.cost.dvi`; did you mean `machine.cost.div`?");
  EXPECT_STREQ(error("machine=2").what(),
               "--set machine=2: machine: expected a table with keys harts, isa, clock_hz, ram_bytes, misaligned, "
               "pmp_granularity_bytes, start, arbitration, mtime_divider, plic_sources, latency, cost, got an integer (2)");
  e = error("firmware.program=nothere.elf");
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_STREQ(e.what(), "--set firmware.program=nothere.elf: firmware.program: no file nothere.elf");
}

TEST_F(ConfigTest, MalformedOverride) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  for (std::string set : {"machine.harts", "=4", " = 4"}) {
    Error e = catch_error([&] { load_config(path, {{set}}); });
    EXPECT_EQ(e.code(), ExitCode::bad_input) << set;
    EXPECT_EQ(std::string(e.what()), "--set " + set + ": expected section.key=value, e.g. --set machine.harts=4");
  }
}

// --- an ELF run directly ------------------------------------------------------

TEST_F(ConfigTest, ConfigForElfIsTheDefaultMachine) {
  Config c = config_for_elf(kProgramElf, {});
  const Config d;
  EXPECT_EQ(c.source, kProgramElf);
  EXPECT_EQ(c.firmware, kProgramElf);
  EXPECT_EQ(c.machine.harts, d.machine.harts);
  EXPECT_EQ(c.machine.ram_bytes, d.machine.ram_bytes);
  EXPECT_EQ(c.machine.cost.trap_entry, d.machine.cost.trap_entry);
  EXPECT_EQ(c.run.max_cycles, d.run.max_cycles);
}

TEST_F(ConfigTest, ConfigForElfTakesOverrides) {
  Config c = config_for_elf(kProgramElf, {{"machine.harts=2"}, {"machine.cost.amo=5"}});
  EXPECT_EQ(c.machine.harts, 2u);
  EXPECT_EQ(c.machine.cost.amo, 5u);
  EXPECT_STREQ(catch_error([&] { config_for_elf(kProgramElf, {{"run.max_cycle=5"}}); }).what(),
               "--set run.max_cycle=5: unknown key `run.max_cycle`; did you mean `run.max_cycles`?");
}

TEST_F(ConfigTest, ConfigForMissingElf) {
  Error e = catch_error([&] { config_for_elf(dir_ / "none.elf", {}); });
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(std::string(e.what()), dir_ / "none.elf: no such file");
}

// --- the multicore machine ------------------------------------------------------

TEST_F(ConfigTest, StartAndArbitrationAreChoices) {
  Error e = error_of("[machine]\nstart = \"hart1\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:2:9: machine.start: expected one of \"all\", \"hart0\", got \"hart1\"");
  EXPECT_EQ(std::string(error_of("[machine]\narbitration = \"lottery\"\n").what()),
            dir_ / "c.toml:2:15: machine.arbitration: expected one of \"round_robin\", \"fixed_priority\", "
                   "got \"lottery\"");
  EXPECT_EQ(error_of("[machine]\narbitration = 1\n").message(),
            "machine.arbitration: expected one of \"round_robin\", \"fixed_priority\", got an integer (1)");
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  Config c = load_config(path, {{"machine.start=hart0"}, {"machine.arbitration=fixed_priority"}});
  EXPECT_EQ(c.machine.start, StartMode::hart0);
  EXPECT_EQ(c.machine.arbitration, Arbitration::fixed_priority);
}

TEST_F(ConfigTest, MtimeDividerAndPlicSourcesRanges) {
  EXPECT_EQ(std::string(error_of("[machine]\nmtime_divider = 0\n").what()),
            dir_ / "c.toml:2:17: machine.mtime_divider: expected an integer from 1 to 4294967295, got 0");
  EXPECT_EQ(error_of("[machine]\nmtime_divider = 0x1_0000_0000\n").message(),
            "machine.mtime_divider: expected an integer from 1 to 4294967295, got 4294967296");
  EXPECT_EQ(std::string(error_of("[machine]\nplic_sources = 0\n").what()),
            dir_ / "c.toml:2:16: machine.plic_sources: expected an integer from 1 to 1023, got 0");
  EXPECT_EQ(error_of("[machine]\nplic_sources = 1024\n").message(),
            "machine.plic_sources: expected an integer from 1 to 1023, got 1024");
  EXPECT_EQ(std::string(error_of("[machine.latency]\nirqsrc = 0\n").what()),
            dir_ / "c.toml:2:10: machine.latency.irqsrc: expected an integer from 1 to 1000000, got 0");
  Config c = load_config(config("[machine]\nmtime_divider = 1\nplic_sources = 1023\n"
                                "[firmware]\nprogram = \"hello\"\n"),
                         {});
  EXPECT_EQ(c.machine.mtime_divider, 1u);
  EXPECT_EQ(c.machine.plic_sources, 1023u);
  c = load_config(config("[machine]\nmtime_divider = 4294967295\nplic_sources = 1\n"
                         "[firmware]\nprogram = \"hello\"\n"),
                  {});
  EXPECT_EQ(c.machine.mtime_divider, 4294967295u);
  EXPECT_EQ(c.machine.plic_sources, 1u);
}

TEST_F(ConfigTest, NewKeysSuggestTheNearest) {
  EXPECT_EQ(std::string(error_of("[machine]\narbitation = \"x\"\n").what()),
            dir_ / "c.toml:2:1: unknown key `machine.arbitation`; did you mean `machine.arbitration`?");
  EXPECT_EQ(error_of("[machine]\nmtime_div = 4\n").message(),
            "unknown key `machine.mtime_div`; did you mean `machine.mtime_divider`?");
  EXPECT_EQ(error_of("[machine]\nplic_source = 4\n").message(),
            "unknown key `machine.plic_source`; did you mean `machine.plic_sources`?");
  EXPECT_EQ(error_of("[machine.latency]\nirq = 4\n").message(),
            "unknown key `machine.latency.irq`; did you mean `machine.latency.irqsrc`?");
  EXPECT_EQ(error_of("[trace]\nvdc = \"x.vcd\"\n").message(), "unknown key `trace.vdc`; did you mean `trace.vcd`?");
  EXPECT_EQ(error_of("[trace]\nword = []\n").message(), "unknown key `trace.word`; did you mean `trace.words`?");
  EXPECT_EQ(error_of("[traces]\nvcd = \"x.vcd\"\n").message(), "unknown table `traces`; did you mean `trace`?");
  EXPECT_EQ(error_of("start = \"all\"\n").message(), "unknown key `start`; did you mean `machine.start`?");
  EXPECT_EQ(std::string(error_of("[[irq_sources]]\nname = \"nic\"\n").what()),
            dir_ / "c.toml:1:3: unknown table `irq_sources`; did you mean `irq_source`?");
  EXPECT_EQ(error_of("[[irqsource]]\nname = \"nic\"\n").message(),
            "unknown table `irqsource`; did you mean `irq_source`?");
}

// --- [trace] --------------------------------------------------------------------

TEST_F(ConfigTest, TraceVcdResolvesAgainstTheConfigsDirectory) {
  auto vcd = [&](const std::string& value) {
    return load_config(config("[firmware]\nprogram = \"hello\"\n[trace]\nvcd = " + value + "\n", "sub/c.toml"), {})
        .trace.vcd;
  };
  EXPECT_EQ(vcd("\"run.vcd\""), dir_ / "sub/run.vcd");
  fs::create_directories(dir_ / "sub/out");
  EXPECT_EQ(vcd("\"out/run.vcd\""), dir_ / "sub/out/run.vcd");
  EXPECT_EQ(vcd("\"../run.vcd\""), dir_ / "run.vcd");
  EXPECT_EQ(vcd("\"" + dir_ / "abs.vcd" + "\""), dir_ / "abs.vcd");
  EXPECT_EQ(vcd("\"\""), "");  // no trace
}

TEST_F(ConfigTest, TraceVcdOverrideIsRelativeToTheCurrentDirectory) {
  fs::create_directories(dir_ / "cwd");
  std::string path = config("[firmware]\nprogram = \"hello\"\n[trace]\nvcd = \"file.vcd\"\n", "sub/c.toml");
  fs::path old = fs::current_path();
  fs::current_path(dir_ / "cwd");
  Config c, none;
  EXPECT_NO_THROW(c = load_config(path, {{"trace.vcd=x.vcd"}}));
  EXPECT_NO_THROW(none = load_config(path, {{"trace.vcd=\"\""}}));
  fs::current_path(old);
  EXPECT_EQ(c.trace.vcd, "x.vcd");
  EXPECT_EQ(none.trace.vcd, "");
}

TEST_F(ConfigTest, TraceVcdErrors) {
  EXPECT_EQ(std::string(error_of("[trace]\nvcd = 1\n").what()),
            dir_ / "c.toml:2:7: trace.vcd: expected a file path, or \"\" for none, got an integer (1)");
  Error e = error_of("[firmware]\nprogram = \"hello\"\n[trace]\nvcd = \"out/run.vcd\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:4:7: trace.vcd: no directory " + dir_ / "out" + " to write run.vcd in");
  fs::create_directories(dir_ / "out");
  EXPECT_EQ(error_of("[firmware]\nprogram = \"hello\"\n[trace]\nvcd = \"out\"\n").message(),
            "trace.vcd: " + dir_ / "out" + " is a directory; name a file to write");
}

TEST_F(ConfigTest, TraceWordsAreSymbolsOrAlignedAddresses) {
  Config c = load_config(config("[firmware]\nprogram = \"hello\"\n[trace]\n"
                                "words = [\"tickslock\", \"0x80001000\", \"0X8000100C\", \"cons.lock\", \"0x0\"]\n"),
                         {});
  EXPECT_EQ(c.trace.words,
            (std::vector<std::string>{"tickslock", "0x80001000", "0X8000100C", "cons.lock", "0x0"}));
  c = load_config(config("[firmware]\nprogram = \"hello\"\n"), {{"trace.words=[\"tickslock\", \"0x80000004\"]"}});
  EXPECT_EQ(c.trace.words, (std::vector<std::string>{"tickslock", "0x80000004"}));
  // A later --set replaces the list.
  c = load_config(config("[firmware]\nprogram = \"hello\"\n[trace]\nwords = [\"a\", \"b\"]\n"),
                  {{"trace.words=[]"}});
  EXPECT_TRUE(c.trace.words.empty());
}

TEST_F(ConfigTest, TraceWordErrorsNameTheElement) {
  // Each element's own line:col, in a list over several lines.
  const std::string head = "[trace]\nwords = [\n  \"tickslock\",\n  ";
  const std::string expected = "expected an ELF symbol name or a 4-aligned hex address (\"0x80001000\"), got ";
  auto at_line_4 = [&](const std::string& item) { return std::string(error_of(head + item + ",\n]\n").what()); };
  EXPECT_EQ(at_line_4("\"0x80001002\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"0x80001002\" (not 4-aligned)");
  EXPECT_EQ(at_line_4("\"\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "an empty string");
  EXPECT_EQ(at_line_4("\"0x8000zz00\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"0x8000zz00\" (not a hex number)");
  EXPECT_EQ(at_line_4("\"0x\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"0x\" (not a hex number)");
  EXPECT_EQ(at_line_4("\"0x8000_1000\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"0x8000_1000\" (not a hex number)");
  EXPECT_EQ(at_line_4("\"0x100000000\""), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"0x100000000\" (more than 32 bits)");
  EXPECT_EQ(at_line_4("\"2147487744\""),
            dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"2147487744\" (write an address in hex, with 0x)");
  EXPECT_EQ(at_line_4("\"ticks lock\""),
            dir_ / "c.toml:4:3: trace.words[1]: " + expected + "\"ticks lock\" (a symbol name has no spaces)");
  EXPECT_EQ(at_line_4("0x80001000"), dir_ / "c.toml:4:3: trace.words[1]: " + expected + "an integer (2147487744)");
  // Leading zeros do not make an address wider.
  EXPECT_NO_THROW(load_config(config("[firmware]\nprogram = \"hello\"\n[trace]\nwords = [\"0x0080001000\"]\n"), {}));
  // Not an array at all.
  EXPECT_EQ(std::string(error_of("[trace]\nwords = \"tickslock\"\n").what()),
            dir_ / "c.toml:2:9: trace.words: expected an array of strings, each an ELF symbol name or a 4-aligned "
                   "hex address (\"0x80001000\"), got a string (\"tickslock\")");
  // From --set, the --set is the place.
  std::string path = config("[firmware]\nprogram = \"hello\"\n");
  EXPECT_STREQ(catch_error([&] { load_config(path, {{"trace.words=[\"a\", \"0x3\"]"}}); }).what(),
               ("--set trace.words=[\"a\", \"0x3\"]: trace.words[1]: " + expected + "\"0x3\" (not 4-aligned)").c_str());
}

// --- [[irq_source]] -----------------------------------------------------------------

const std::string kProgram = "[firmware]\nprogram = \"hello\"\n";

TEST_F(ConfigTest, IrqSourcesAsInlineArray) {
  // At the top, before [firmware]: after it, the key would be firmware.irq_source.
  Config c = load_config(config("irq_source = [{ name = \"nic\", line = 3 }, { name = \"disk\", line = 4, "
                                "ack = \"claim\" }]\n" + kProgram),
                         {});
  ASSERT_EQ(c.machine.irq_sources.size(), 2u);
  EXPECT_EQ(c.machine.irq_sources[0].name, "nic");
  EXPECT_EQ(c.machine.irq_sources[0].line, 3u);
  EXPECT_EQ(c.machine.irq_sources[1].name, "disk");
  EXPECT_EQ(c.machine.irq_sources[1].ack, IrqAck::claim);
}

TEST_F(ConfigTest, IrqSourceKeysAreCheckedWithTheirPlace) {
  const std::string head = kProgram + "\n[[irq_source]]\nname = \"nic\"\nline = 3\n\n[[irq_source]]\n";
  // The second [[irq_source]] is on line 8; its keys start on line 9.
  auto second = [&](const std::string& keys) { return std::string(error_of(head + keys).what()); };
  EXPECT_EQ(second("name = \"disk\"\nline = 0\n"),
            dir_ / "c.toml:10:8: irq_source[1].line: expected an integer from 1 to machine.plic_sources, got 0");
  EXPECT_EQ(second("name = \"disk\"\nline = 1024\n"),
            dir_ / "c.toml:10:8: irq_source[1].line: expected an integer from 1 to machine.plic_sources, got 1024");
  EXPECT_EQ(second("name = \"disk\"\nline = \"4\"\n"),
            dir_ / "c.toml:10:8: irq_source[1].line: expected an integer from 1 to machine.plic_sources, "
                   "got a string (\"4\")");
  EXPECT_EQ(second("name = \"disk\"\nline = 4\nack = \"edge\"\n"),
            dir_ / "c.toml:11:7: irq_source[1].ack: expected one of \"register\", \"claim\", got \"edge\"");
  EXPECT_EQ(second("name = \"disk\"\nline = 4\nfirst_cycle = -1\n"),
            dir_ / "c.toml:11:15: irq_source[1].first_cycle: expected a non-negative integer, got -1");
  EXPECT_EQ(second("name = \"disk\"\nline = 4\nperiod_cycles = 1.5\n"),
            dir_ / "c.toml:11:17: irq_source[1].period_cycles: expected a non-negative integer, got a float (1.5)");
  EXPECT_EQ(second("name = \"my disk\"\nline = 4\n"),
            dir_ / "c.toml:9:8: irq_source[1].name: expected a name of letters, digits, _ and -, got \"my disk\"");
  EXPECT_EQ(second("name = \"\"\nline = 4\n"),
            dir_ / "c.toml:9:8: irq_source[1].name: expected a name of letters, digits, _ and -, got an empty string");
}

TEST_F(ConfigTest, IrqSourceMissingKeysPointAtTheirTable) {
  Error e = error_of(kProgram + "\n[[irq_source]]\nname = \"nic\"\nline = 3\n\n[[irq_source]]\nline = 4\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:8:1: missing key `irq_source[1].name`: a name of letters, digits, _ and -");
  EXPECT_EQ(std::string(error_of(kProgram + "[[irq_source]]\nname = \"nic\"\n").what()),
            dir_ / "c.toml:3:1: missing key `irq_source[0].line`: an integer from 1 to machine.plic_sources");
}

TEST_F(ConfigTest, IrqSourceUnknownKeysSuggestTheNearest) {
  const std::string head = kProgram + "[[irq_source]]\nname = \"nic\"\n";
  EXPECT_EQ(std::string(error_of(head + "lien = 3\n").what()),
            dir_ / "c.toml:5:1: unknown key `irq_source[0].lien`; did you mean `irq_source[0].line`?");
  EXPECT_EQ(error_of(head + "line = 3\nperiod = 100\n").message(),
            "unknown key `irq_source[0].period`; did you mean `irq_source[0].period_cycles`?");
  EXPECT_EQ(error_of(head + "line = 3\nfirst = 100\n").message(),
            "unknown key `irq_source[0].first`; did you mean `irq_source[0].first_cycle`?");
  EXPECT_EQ(error_of(head + "line = 3\nAck = \"claim\"\n").message(),
            "unknown key `irq_source[0].Ack`; did you mean `irq_source[0].ack`?");
  EXPECT_EQ(error_of(head + "line = 3\ncolour = \"red\"\n").message(),
            "unknown key `irq_source[0].colour`; [[irq_source]] has name, line, first_cycle, period_cycles, count, ack");
  EXPECT_EQ(error_of(head + "line = 3\n[irq_source.timing]\nfirst = 1\n").message(),
            "unknown table `irq_source[0].timing`; [[irq_source]] has name, line, first_cycle, period_cycles, "
            "count, ack");
}

TEST_F(ConfigTest, IrqSourceMustBeAnArrayOfTables) {
  const std::string accepts =
      "an array of at most 16 tables ([[irq_source]]) with keys name, line, first_cycle, period_cycles, count, ack";
  EXPECT_EQ(std::string(error_of("[irq_source]\nname = \"nic\"\nline = 3\n").what()),
            dir_ / "c.toml:1:1: irq_source: expected " + accepts + ", got a table");
  EXPECT_EQ(std::string(error_of("irq_source = 3\n").what()),
            dir_ / "c.toml:1:14: irq_source: expected " + accepts + ", got an integer (3)");
  EXPECT_EQ(std::string(error_of("irq_source = [{ name = \"nic\", line = 3 }, 7]\n").what()),
            dir_ / "c.toml:1:43: irq_source[1]: expected a table with keys name, line, first_cycle, "
                   "period_cycles, count, ack, got an integer (7)");
}

TEST_F(ConfigTest, AtMost16IrqSources) {
  std::string text = kProgram;
  for (int i = 1; i <= 16; ++i) text += fmt::format("[[irq_source]]\nname = \"s{}\"\nline = {}\n", i, i);
  EXPECT_EQ(load_config(config(text), {}).machine.irq_sources.size(), 16u);
  text += "[[irq_source]]\nname = \"s17\"\nline = 17\n";
  EXPECT_EQ(std::string(error_of(text).what()),
            dir_ / "c.toml:51:1: irq_source[16]: too many [[irq_source]] tables: 17, at most 16");
}

TEST_F(ConfigTest, IrqSourceLineIsCheckedAgainstTheFinalPlicSources) {
  const std::string sources = "[[irq_source]]\nname = \"nic\"\nline = 40\n";
  // The default machine has 31 sources.
  EXPECT_EQ(std::string(error_of(kProgram + sources).what()),
            dir_ / "c.toml:5:8: irq_source[0].line: expected an integer from 1 to machine.plic_sources, got 40; "
                   "machine.plic_sources is 31");
  // [machine] may come after the sources, and a --set counts too.
  std::string path = config(kProgram + sources + "[machine]\nplic_sources = 40\n");
  EXPECT_EQ(load_config(path, {}).machine.irq_sources.at(0).line, 40u);
  Error e = catch_error([&] { load_config(path, {{"machine.plic_sources=39"}}); });
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:5:8: irq_source[0].line: expected an integer from 1 to machine.plic_sources, got 40; "
                   "machine.plic_sources is 39");
  EXPECT_EQ(load_config(config(kProgram + sources), {{"machine.plic_sources=64"}}).machine.plic_sources, 64u);
}

TEST_F(ConfigTest, IrqSourceNamesAndLinesAreUnique) {
  const std::string nic = kProgram + "\n[[irq_source]]\nname = \"nic\"\nline = 3\n\n[[irq_source]]\n";
  Error e = error_of(nic + "name = \"nic\"\nline = 4\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()), dir_ / "c.toml:9:8: irq_source[1].name: \"nic\" is already the name of "
                                          "irq_source[0] (line 5); each [[irq_source]] needs its own name");
  EXPECT_EQ(std::string(error_of(nic + "name = \"disk\"\nline = 3\n").what()),
            dir_ / "c.toml:10:8: irq_source[1].line: 3 is already the line of irq_source[0] (line 6); "
                   "each [[irq_source]] needs its own line");
  // Written differently, the same number.
  EXPECT_EQ(error_of(nic + "name = \"disk\"\nline = 0x3\n").message(),
            "irq_source[1].line: 3 is already the line of irq_source[0] (line 6); each [[irq_source]] needs its "
            "own line");
  // Names differ by case: two names.
  EXPECT_NO_THROW(load_config(config(nic + "name = \"NIC\"\nline = 4\n"), {}));
}

TEST_F(ConfigTest, IrqSourceCountNeedsAPeriod) {
  const std::string head = kProgram + "[[irq_source]]\nname = \"nic\"\nline = 3\n";
  EXPECT_EQ(std::string(error_of(head + "count = 5\n").what()),
            dir_ / "c.toml:6:9: irq_source[0].count: count = 5 needs period_cycles > 0 (period_cycles = 0 "
                   "raises one event only)");
  EXPECT_EQ(error_of(head + "count = 0\nperiod_cycles = 0\n").message(),
            "irq_source[0].count: count = 0 (without end) needs period_cycles > 0 (period_cycles = 0 raises one "
            "event only)");
  Config c = load_config(config(head + "count = 0\nperiod_cycles = 100\n"), {});
  EXPECT_EQ(c.machine.irq_sources.at(0).count, 0u);
  EXPECT_EQ(c.machine.irq_sources.at(0).period_cycles, 100u);
}

TEST_F(ConfigTest, SetCannotReachIntoAnArrayOfTables) {
  std::string path = config(kProgram + "[[irq_source]]\nname = \"nic\"\nline = 3\n");
  for (std::string key : {"irq_source.line", "irq_source[0].line"}) {
    Error e = catch_error([&] { load_config(path, {{key + "=4"}}); });
    EXPECT_EQ(e.code(), ExitCode::bad_input) << key;
    EXPECT_EQ(std::string(e.what()), "--set " + key + "=4: " + key +
                                         ": --set cannot change a key of one [[irq_source]] table; edit the config "
                                         "file, or replace the whole array: --set 'irq_source=[{ ... }, ...]'");
  }
}

TEST_F(ConfigTest, SetReplacesTheWholeArrayOfTables) {
  std::string path = config(kProgram + "[[irq_source]]\nname = \"nic\"\nline = 3\n"
                                       "[[irq_source]]\nname = \"disk\"\nline = 4\n");
  Config c = load_config(path, {{"irq_source=[{ name = \"timer2\", line = 4, count = 0, period_cycles = 9 }]"}});
  ASSERT_EQ(c.machine.irq_sources.size(), 1u);
  EXPECT_EQ(c.machine.irq_sources[0].name, "timer2");
  EXPECT_EQ(c.machine.irq_sources[0].line, 4u);
  EXPECT_EQ(c.machine.irq_sources[0].period_cycles, 9u);
  EXPECT_TRUE(load_config(path, {{"irq_source=[]"}}).machine.irq_sources.empty());
  // The file's elements are gone: no clash with the replaced "disk" on line 4.
  c = load_config(path, {{"irq_source=[{ name = \"disk\", line = 9 }, { name = \"nic\", line = 4 }]"}});
  EXPECT_EQ(c.machine.irq_sources.at(1).line, 4u);
  // Errors inside it name the --set.
  EXPECT_STREQ(catch_error([&] { load_config(path, {{"irq_source=[{ line = 3 }]"}}); }).what(),
               "--set irq_source=[{ line = 3 }]: missing key `irq_source[0].name`: a name of letters, digits, _ and -");
  EXPECT_STREQ(catch_error([&] { load_config(path, {{"irq_source=[{ name = \"a\", lne = 3 }]"}}); }).what(),
               "--set irq_source=[{ name = \"a\", lne = 3 }]: unknown key `irq_source[0].lne`; did you mean "
               "`irq_source[0].line`?");
  // An ELF run directly takes them too.
  c = config_for_elf(kProgramElf, {{"irq_source=[{ name = \"nic\", line = 1 }]"}});
  EXPECT_EQ(c.machine.irq_sources.at(0).name, "nic");
}

// --- docs/config.md -------------------------------------------------------------

std::string doc_text() {
  std::ifstream in(SIM_CONFIG_DOC);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The row docs/config.md must have for a key.
std::string doc_row(const KeyInfo& k) {
  return "| `" + k.key + "` | " + k.type + " | " + (k.required ? "required" : "`" + k.default_value + "`") + " | " +
         (k.unit.empty() ? "-" : k.unit) + " | " + k.accepts + " | " + k.help + " |";
}

TEST(ConfigDoc, ListsEveryKeyWithItsDefault) {
  const std::string doc = doc_text();
  ASSERT_FALSE(doc.empty()) << "cannot read " << SIM_CONFIG_DOC;
  std::set<std::string> lines;
  std::istringstream in(doc);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  for (const KeyInfo& k : config_keys())
    EXPECT_TRUE(lines.count(doc_row(k))) << SIM_CONFIG_DOC << " lacks (or has a stale) row for " << k.key
                                         << "; it should read:\n"
                                         << doc_row(k);
}

TEST(ConfigDoc, ListsNoUndeclaredKey) {
  std::set<std::string> declared;
  for (const KeyInfo& k : config_keys()) declared.insert(k.key);
  std::istringstream in(doc_text());
  const std::regex row(R"(^\| `([a-z_.\[\]]+)` \|)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) {
      EXPECT_TRUE(declared.count(m[1])) << SIM_CONFIG_DOC << " documents an undeclared key " << m[1];
    }
  }
}

TEST_F(ConfigTest, DocExampleLoads) {
  const std::string doc = doc_text();
  const std::string open = "```toml\n";
  size_t begin = doc.find(open);
  ASSERT_NE(begin, std::string::npos) << "no ```toml example in " << SIM_CONFIG_DOC;
  begin += open.size();
  size_t end = doc.find("```", begin);
  ASSERT_NE(end, std::string::npos);
  std::string example = doc.substr(begin, end - begin);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(example, m, std::regex(R"(program = "([a-z_]+)\")")));
  dir_.write("firmware/" + m[1].str() + ".elf", "");
  Config c;
  EXPECT_NO_THROW(c = load_config(config(example), {})) << example;
  EXPECT_EQ(c.firmware, firmware(m[1].str() + ".elf"));
  // It shows the arrays too.
  EXPECT_FALSE(c.machine.irq_sources.empty());
  EXPECT_FALSE(c.trace.words.empty());
  EXPECT_FALSE(c.trace.vcd.empty());
}

// --- [firmware.params] ------------------------------------------------------

TEST_F(ConfigTest, FirmwareParamsAreNamedIntegersAndSetOverridesThem) {
  std::string path = config("[firmware]\nprogram = \"hello\"\n[firmware.params]\ntimer_phase = 120\nmask = 0xffffffff\n");
  Config c = load_config(path, {});
  EXPECT_EQ(c.firmware_params.at("timer_phase"), 120);
  EXPECT_EQ(c.firmware_params.at("mask"), 0xffffffffll);
  c = load_config(path, {{"firmware.params.timer_phase=7"}, {"firmware.params.other=-1"}});
  EXPECT_EQ(c.firmware_params.at("timer_phase"), 7);
  EXPECT_EQ(c.firmware_params.at("other"), -1);
}

TEST_F(ConfigTest, FirmwareParamsMustBe32BitIntegersWithSymbolNames) {
  Error e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = \"late\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 4u);
  EXPECT_EQ(e.place().column, 9u);
  EXPECT_NE(e.message().find("firmware.params.phase: expected a 32-bit integer"), std::string::npos) << e.message();
  e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = 0x100000000\n");
  EXPECT_NE(e.message().find("32-bit"), std::string::npos) << e.message();
  e = error_of("[firmware]\nprogram = \"hello\"\nparams = 3\n");
  EXPECT_NE(e.message().find("expected a table of NAME = integer"), std::string::npos) << e.message();
  e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\n\"2x\" = 1\n");
  EXPECT_NE(e.message().find("name of a symbol"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace spinlab

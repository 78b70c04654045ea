// Config files and --set: every key, every kind of error with its place, the
// firmware's resolution, an ELF run directly. By section (the multicore
// machine, [trace], [[irq_source]], docs/config.md, [firmware.params]):
// config_sections_test.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sim/load/config.h"
#include "sim/load/error.h"
#include "sim/cli/paths.h"
#include "testutil.h"
#include "config_fixture.h"

namespace spinlab {
namespace {

namespace fs = std::filesystem;
using test::catch_error;
using test::ScopedEnv;
using test::TempDir;

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
  EXPECT_EQ(seen.size(), 72u) << "a new key needs a line in EveryKeyIsParsed";
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
  EXPECT_EQ(info("run.gdb").default_value, "\"\"");
  // Deadlocks and races: what --expect calls "deadlock" and "race".
  EXPECT_EQ(info("run.gdb_stop_on").default_value,
            "[\"irq-deadlock\", \"recursive-deadlock\", \"cross-cpu-deadlock\", \"mutual-exclusion\", \"thread-deadlock\"]");
  EXPECT_EQ(info("run.gdb_checkpoint").default_value, "1000000");
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
  EXPECT_EQ(c.trace.window, "");
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
nic = 16

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
gdb = "localhost:1234"
gdb_stop_on = ["race", "irq-unsafe-lock", "race"]
gdb_checkpoint = 0

[trace]
vcd = "out.vcd"
words = ["tickslock", "0x80001000"]
timeline = "out.json"
window = "9000..11000"

[scenario]
lesson = "lessons/03-irq-deadlock.md"
summary = "one line"

[[scenario.param]]
name = "timer_phase"
help = "the tick's phase"
min = 10
max = 400

[[scenario.param]]
name = "fixed"
help = "the fix"
max = 1

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

[[nic]]
name = "eth0"
line = 3
first_cycle = 100
gap_cycles = 2000
gap_jitter_cycles = 500
burst_frames = 4
burst_gap_cycles = 50
count = 9
frame_min_bytes = 60
frame_max_bytes = 90
seed = 11
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
  EXPECT_EQ(c.run.gdb, "localhost:1234");
  // As kinds, in declaration order, once each.
  EXPECT_EQ(c.run.gdb_stop_on, (std::vector<FindingKind>{FindingKind::irq_unsafe_lock, FindingKind::mutual_exclusion}));
  EXPECT_EQ(c.run.gdb_checkpoint, 0u);
  EXPECT_EQ(c.machine.start, StartMode::hart0);
  EXPECT_EQ(c.machine.arbitration, Arbitration::fixed_priority);
  EXPECT_EQ(c.machine.mtime_divider, 100u);
  EXPECT_EQ(c.machine.plic_sources, 63u);
  EXPECT_EQ(c.machine.latency.irqsrc, 15u);
  EXPECT_EQ(c.machine.latency.nic, 16u);
  EXPECT_EQ(c.trace.vcd, dir_ / "out.vcd");
  EXPECT_EQ(c.trace.timeline, dir_ / "out.json");
  EXPECT_EQ(c.trace.window, "9000..11000");
  EXPECT_EQ(c.trace.words, (std::vector<std::string>{"tickslock", "0x80001000"}));
  EXPECT_EQ(c.scenario.lesson, "lessons/03-irq-deadlock.md");
  EXPECT_EQ(c.scenario.summary, "one line");
  ASSERT_EQ(c.scenario.params.size(), 2u);
  EXPECT_EQ(c.scenario.params[0].name, "timer_phase");
  EXPECT_EQ(c.scenario.params[0].help, "the tick's phase");
  EXPECT_EQ(c.scenario.params[0].min, 10u);
  EXPECT_EQ(c.scenario.params[0].max, 400u);
  EXPECT_EQ(c.scenario.params[1].name, "fixed");
  EXPECT_EQ(c.scenario.params[1].help, "the fix");
  EXPECT_EQ(c.scenario.params[1].min, 0u);
  EXPECT_EQ(c.scenario.params[1].max, 1u);
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
  ASSERT_EQ(c.machine.nics.size(), 1u);
  const NicSpec& eth = c.machine.nics[0];
  EXPECT_EQ(eth.name, "eth0");
  EXPECT_EQ(eth.line, 3u);
  EXPECT_EQ(eth.first_cycle, 100u);
  EXPECT_EQ(eth.gap_cycles, 2000u);
  EXPECT_EQ(eth.gap_jitter_cycles, 500u);
  EXPECT_EQ(eth.burst_frames, 4u);
  EXPECT_EQ(eth.burst_gap_cycles, 50u);
  EXPECT_EQ(eth.count, 9u);
  EXPECT_EQ(eth.frame_min_bytes, 60u);
  EXPECT_EQ(eth.frame_max_bytes, 90u);
  EXPECT_EQ(eth.seed, 11u);
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
            "machine.clock_hz: expected an integer from 1 to 1000000000000, got -5");
  EXPECT_EQ(error_of("[machine.latency]\nram = 0\n").message(),
            "machine.latency.ram: expected an integer from 1 to 1000000, got 0");
  EXPECT_EQ(error_of("[machine.cost]\ndiv = 1000001\n").message(),
            "machine.cost.div: expected an integer from 1 to 1000000, got 1000001");
  EXPECT_EQ(error_of("[run]\nmax_cycles = 0\n").message(),
            "run.max_cycles: expected a positive integer, got 0");
}

// SystemC counts time in picoseconds, in 63 bits: a clock faster than 1 THz
// has a cycle of no picoseconds (a division by zero once), and a run whose
// last cycle lies past 2^63 ps never reaches it (it hung at 1 Hz).
TEST_F(ConfigTest, TheRunMustFitSystemCsTime) {
  const std::string program = "[firmware]\nprogram = \"hello\"\n";
  EXPECT_EQ(error_of(program + "[machine]\nclock_hz = 1_000_000_000_001\n").message(),
            "machine.clock_hz: expected an integer from 1 to 1000000000000, got 1000000000001");
  EXPECT_EQ(error_of(program + "[machine]\nclock_hz = 9223372036854775807\n").message(),
            "machine.clock_hz: expected an integer from 1 to 1000000000000, got 9223372036854775807");
  // 1 Hz: a cycle is 1e12 ps, and the default limit of 1e9 cycles is past 2^63 ps.
  Error e = error_of(program + "[machine]\nclock_hz = 1\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(std::string(e.what()), dir_ /
                                       "c.toml:4:12: run.max_cycles: 1000000000 cycles of 1000000000000 ps "
                                       "(machine.clock_hz = 1) pass the 2^63 ps SystemC's time can count; at most "
                                       "9223372 cycles at this clock");
  // Named where the limit is, when the config gives one.
  e = error_of(program + "[machine]\nclock_hz = 1\n[run]\nmax_cycles = 9223373\n");
  EXPECT_EQ(std::string(e.what()).rfind(dir_ / "c.toml:6:14: run.max_cycles: 9223373 cycles", 0), 0u) << e.what();
  Config c = load_config(config(program + "[machine]\nclock_hz = 1\n[run]\nmax_cycles = 9223372\n"), {});
  EXPECT_EQ(c.run.max_cycles, 9223372u);
  c = load_config(config(program + "[machine]\nclock_hz = 1_000_000_000_000\n"), {});
  EXPECT_EQ(c.machine.clock_hz, 1000000000000u);
  // At the default clock, 10 ns a cycle: a --max-cycles is named as the user gave it.
  const std::string path = config(program);
  e = catch_error([&] { load_config(path, {{"run.max_cycles=922337203685478", "--max-cycles 922337203685478"}}); });
  EXPECT_STREQ(e.what(),
               "--max-cycles 922337203685478: run.max_cycles: 922337203685478 cycles of 10000 ps "
               "(machine.clock_hz = 100000000) pass the 2^63 ps SystemC's time can count; at most "
               "922337203685477 cycles at this clock");
}

// toml++ reads a dotted key by recursion, a level a part: 50 000 parts
// overflowed the stack. More than 1001 are refused before the parse, and
// dots in strings, comments and floats are no key's.
TEST_F(ConfigTest, AKeyOfThousandsOfPartsIsRefused) {
  std::string parts;
  for (int i = 0; i < 50000; ++i) parts += i ? ".a" : "a";
  Error e = error_of("# a comment\n[" + parts + "]\n");
  EXPECT_EQ(std::string(e.what()),
            dir_ / "c.toml:2:3: a dotted key of more than 1001 parts (a config's keys have at most four)");
  e = error_of("x = 1\n  " + parts + " = 1\n");
  EXPECT_EQ(std::string(e.what()).rfind(dir_ / "c.toml:2:4: a dotted key", 0), 0u) << e.what();
  std::string dots(5000, '.');
  std::string floats;
  for (int i = 0; i < 2000; ++i) floats += i ? ", 1.5" : "1.5";
  // Not keys: these reach toml++ and the loader, which say what else is wrong.
  for (const std::string& text : {"[scenario]\ntitle = \"" + dots + "\" # " + dots + "\n",
                                  "[scenario]\ntitle = \'\'\'\n" + dots + "\n\'\'\'\n", "x = [" + floats + "]\n"})
    EXPECT_EQ(error_of(text).message().find("dotted key"), std::string::npos) << error_of(text).message();
}

// A file name with a NUL in it names no file; printed, the NUL cut the message short.
TEST_F(ConfigTest, AFileNameWithANulIsRefused) {
  EXPECT_EQ(error_of("[firmware]\nprogram = \"hel\\u0000lo\"\n").message(),
            "firmware.program: expected a bundled program's name or a path to an ELF file, got \"hel\\u0000lo\", a "
            "file name holding a NUL");
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
            "unknown key `machine.latency.network`; [machine.latency] has ram, uart, clint, plic, finisher, irqsrc, nic");
  EXPECT_EQ(error_of("[widget]\nname = \"x\"\n").message(),
            "unknown table `widget`; the tables are machine, firmware, run, monitor, trace, scenario, irq_source, nic");
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
            "machine.latency: expected a table with keys ram, uart, clint, plic, finisher, irqsrc, nic, got an integer (3)");
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
                                       firmware("helo.elf") + "); did you mean `hello`?");
  EXPECT_EQ(error_of("[firmware]\nprogram = \"deadlock\"\n").message(),
            "firmware.program: no bundled program \"deadlock\" (no file " + firmware("deadlock.elf") +
                "); bundled programs are hello, spin");
}

TEST_F(ConfigTest, ProgramIsADirectory) {
  fs::create_directories(dir_ / "dir.elf");
  Error e = error_of("[firmware]\nprogram = \"dir.elf\"\n");
  EXPECT_EQ(e.code(), ExitCode::no_input);  // cannot be read, as a directory given as TARGET
  EXPECT_EQ(e.message(), "firmware.program: " + dir_ / "dir.elf" + " is a directory, not an ELF file");
}

TEST_F(ConfigTest, ProgramIsACharacterDevice) {
  // Not "no file /dev/null": it is there, and is no file.
  Error e = error_of("[firmware]\nprogram = \"/dev/null\"\n");
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.message(), "firmware.program: /dev/null is a character device, not an ELF file");
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
  ScopedEnv kit("SPINLAB_KIT_DIR", "/somewhere/kit");
  EXPECT_EQ(kit_dir(), "/somewhere/kit");
}

TEST(ConfigDirs, DefaultToTheBuildsDirectories) {
  ScopedEnv fw("SPINLAB_FIRMWARE_DIR", "");
  ScopedEnv cfg("SPINLAB_CONFIG_DIR", "");
  EXPECT_FALSE(firmware_dir().empty());
  EXPECT_FALSE(config_dir().empty());
  EXPECT_NE(config_dir().find("configs"), std::string::npos);
  // A test program has no share/spinlab beside it: the build tree's kit.
  ScopedEnv kit("SPINLAB_KIT_DIR", "");
  EXPECT_EQ(std::filesystem::path(kit_dir()).filename(), "kit");
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

}  // namespace
}  // namespace spinlab

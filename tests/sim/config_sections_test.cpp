// Config tests by section: the multicore machine, [trace], [[irq_source]],
// docs/config.md against the declarations, [firmware.params].
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
#include "testutil.h"
#include "config_fixture.h"

namespace spinlab {
namespace {

namespace fs = std::filesystem;
using test::catch_error;
using test::ScopedEnv;
using test::TempDir;

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
  EXPECT_EQ(e.code(), ExitCode::no_input);  // an output that cannot be written, as --vcd
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

TEST_F(ConfigTest, NicKeysAreReadWithTheirDefaults) {
  Config c = load_config(config(kProgram + "[[nic]]\nname = \"eth0\"\nline = 5\nburst_frames = 4\n"
                                           "gap_cycles = 7700\ngap_jitter_cycles = 2000\ncount = 200\nseed = 7\n"),
                         {});
  ASSERT_EQ(c.machine.nics.size(), 1u);
  const NicSpec& n = c.machine.nics[0];
  const NicSpec fresh;
  EXPECT_EQ(n.name, "eth0");
  EXPECT_EQ(n.line, 5u);
  EXPECT_EQ(n.burst_frames, 4u);
  EXPECT_EQ(n.gap_cycles, 7700u);
  EXPECT_EQ(n.gap_jitter_cycles, 2000u);
  EXPECT_EQ(n.count, 200u);
  EXPECT_EQ(n.seed, 7u);
  EXPECT_EQ(n.burst_gap_cycles, fresh.burst_gap_cycles);
  EXPECT_EQ(n.frame_min_bytes, 64u);
  EXPECT_EQ(n.frame_max_bytes, 1518u);
}

TEST_F(ConfigTest, NicKeysThatBoundEachOtherAreCheckedWithTheirPlace) {
  const std::string head = kProgram + "[[irq_source]]\nname = \"rx\"\nline = 1\n[[nic]]\nname = \"eth0\"\n";
  // [[nic]] is on line 6; its keys after name start on line 8.
  auto err = [&](const std::string& keys) { return std::string(error_of(head + keys).what()); };
  EXPECT_EQ(err("line = 2\ngap_cycles = 2000\ngap_jitter_cycles = 5000\n"),
            dir_ / "c.toml:10:21: nic[0].gap_jitter_cycles: 5000 must be less than gap_cycles (2000): a gap is at "
                   "least 1 cycle");
  EXPECT_EQ(err("line = 2\nframe_min_bytes = 100\nframe_max_bytes = 99\n"),
            dir_ / "c.toml:10:19: nic[0].frame_max_bytes: 99 is less than frame_min_bytes (100)");
  EXPECT_EQ(err("line = 1\n"),
            dir_ / "c.toml:8:8: nic[0].line: 1 is already the line of irq_source[0]; a NIC needs a line of its own");
  EXPECT_EQ(err("line = 2\nburst_frames = 0\n"),
            dir_ / "c.toml:9:16: nic[0].burst_frames: expected an integer from 1 to 65536, got 0");
  EXPECT_EQ(err("line = 2\nseed = -1\n"),
            dir_ / "c.toml:9:8: nic[0].seed: expected an integer from 0 to 4294967295, got -1");
  EXPECT_EQ(err("line = 40\n"),
            dir_ / "c.toml:8:8: nic[0].line: expected an integer from 1 to machine.plic_sources, got 40; "
                   "machine.plic_sources is 31");
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
  c = load_config(path, {{"firmware.params.timer_phase=7"}, {"firmware.params.other=0xfffffffb"}});
  EXPECT_EQ(c.firmware_params.at("timer_phase"), 7);
  EXPECT_EQ(c.firmware_params.at("other"), 0xfffffffbll);
}

TEST_F(ConfigTest, FirmwareParamsMustBe32BitIntegersWithSymbolNames) {
  Error e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = \"late\"\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 4u);
  EXPECT_EQ(e.place().column, 9u);
  EXPECT_EQ(e.message(), "firmware.params.phase: expected an integer from 0 to 4294967295 (a 32-bit word), got a "
                         "string (\"late\")");
  e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\nphase = 0x100000000\n");
  EXPECT_EQ(e.message(), "firmware.params.phase: expected an integer from 0 to 4294967295 (a 32-bit word), got "
                         "4294967296");
  e = error_of("[firmware]\nprogram = \"hello\"\nparams = 3\n");
  EXPECT_NE(e.message().find("expected a table of NAME = integer"), std::string::npos) << e.message();
  e = error_of("[firmware]\nprogram = \"hello\"\n[firmware.params]\n\"2x\" = 1\n");
  EXPECT_NE(e.message().find("name of a symbol"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace spinlab


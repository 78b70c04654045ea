// The spinlab command line: run a machine, disassemble a program.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <systemc>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "models/kernel.h"
#include "sim/load/config.h"
#include "sim/cli/disasm.h"
#include "sim/gdb/connection.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "sim/load/files.h"
#include "sim/out/expect.h"
#include "sim/out/explain.h"
#include "sim/out/gtkwave.h"
#include "sim/out/narrate.h"
#include "sim/out/report.h"
#include "sim/cli/plot.h"
#include "sim/cli/ptable.h"
#include "sim/cli/run.h"
#include "sim/cli/scenarios.h"
#include "sim/cli/standard_output.h"
#include "sim/cli/starter.h"
#include "sim/cli/suggest.h"
#include "sim/cli/sweep.h"
#include "sim/cli/sweep_dist.h"
#include "sim/cli/target.h"
#include "sim/out/terminal.h"
#include "sim/out/vcd.h"

namespace po = boost::program_options;

namespace spinlab {
namespace {

constexpr const char* kUsage = R"(usage: spinlab <command> [options]

commands:
  run TARGET [options]   run a machine; TARGET is a config file (.toml), an ELF
                         program, or the name of a bundled config or program
  trace TARGET [options] run like `run`, printing every instruction each hart
                         retires, with disassembly, symbols and results; stops
                         at 100000 cycles unless --max-cycles says otherwise
  disasm TARGET          disassemble a program's code, with symbols; TARGET
                         as for run (an ELF, a config or a bundled name)
  list [--json]          the bundled scenarios (configs/scenarios/), one a
                         line: the name `run NAME` takes, then what it shows;
                         --json adds each one's lesson and params
  sweep TARGET --param KEY=FROM..TO:STEP [--param KEY2=FROM..TO:STEP]
        [--csv] [--plot FILE.svg] [run options]
                         run once per value of a config key (or per pair of
                         values of two), in parallel, and print a table of
                         the outcomes; --plot draws the cycles with gnuplot;
                         --emit-commands prints the runs for GNU parallel or
                         Slurm, and `sweep --merge DIR` makes their table
  new DIR                a first exercise in DIR (new or empty): two harts,
                         a counter, a spinlock to finish; spinlock.c, a
                         Makefile for the firmware kit, DIR.toml (docs/kit.md)
  protection-table [--json] [--jobs N] [--set KEY=VALUE]
                         ULK's Table 5-6 measured: every combination of
                         kernel control paths under every protection, on 1
                         and 2 harts, in parallel; prints the table as
                         Markdown (docs/lessons/protection-table.md)

options:
  -h, --help             this text (spinlab COMMAND --help, or spinlab help COMMAND:
                         the command's options)
  --version              the version

on a terminal, `run` colours the narrative and the findings (--color=never,
or NO_COLOR=1, turns it off) and shows a progress line on long runs; piped,
the output is plain and the same every time (docs/terminal.md)

exit codes: the firmware's own exit code when it ends the run; 64 bad command
line, 65 bad config or ELF, 66 missing file, 69 gnuplot not installed or
the --gdb port not free, 70 internal error, 124 cycle limit reached, 125 every hart asleep for good, 126
deadlock found, 130 Ctrl-C (143 SIGTERM, 141 standard output closed: outputs still written), 137 killed from GDB; with --expect OUTCOME, 0 when the run showed it and 1 when
not (docs/exit-codes.md, docs/grading.md)
)";

// Parses `command`'s options and its one positional argument, `positional`
// (its name in the usage: TARGET, DIR; nullptr: it takes none). Any more is
// a usage error that names them; boost would say "too many positional
// options have been specified on the command line".
po::variables_map parse_command(const std::vector<std::string>& args, const po::options_description& opts,
                                const char* command, const char* positional) {
  constexpr const char* kWords = "positional-arguments";
  po::options_description hidden;
  hidden.add_options()(kWords, po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add(kWords, -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (!vm.count(kWords)) return vm;
  const auto words = vm[kWords].as<std::vector<std::string>>();
  if (!positional || words.size() > 1)
    throw Error(ExitCode::usage, {},
                fmt::format("{}: takes {}, got `{}`", command,
                            positional ? fmt::format("one {}", positional) : std::string("no argument"),
                            fmt::join(words, " ")));
  std::string key = positional;  // vm["target"], vm["dir"]
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  vm.emplace(key, po::variable_value(words.front(), false));
  return vm;
}

// A whole number from 1 to `max`, written in decimal, or a usage error
// naming the option. Read as a string: boost's unsigned conversion takes
// "-1" as 2^64-1 (or 2^32-1).
uint64_t whole_number_option(const po::variables_map& vm, const char* option, const char* what, uint64_t max) {
  const std::string text = vm[option].as<std::string>();
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0 || v > max)
    throw Error(ExitCode::usage, {},
                fmt::format("--{}: expected a whole number of {} from 1 to {}, got \"{}\"", option, what, max, text));
  return v;
}

// --max-cycles N: any number of cycles from 1 to the largest TOML integer
// (run.max_cycles is one).
std::string max_cycles_option(const po::variables_map& vm) {
  return std::to_string(whole_number_option(vm, "max-cycles", "cycles", INT64_MAX));
}

// --jobs N: runs at once, by default one per CPU. More than a thousand
// processes at once is a typo, not a plan.
unsigned jobs_option(const po::variables_map& vm) {
  if (!vm.count("jobs")) return std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(whole_number_option(vm, "jobs", "runs at once", 1024));
}

// An output option given an empty name ('' from a script's unset variable)
// is a mistake: "" would mean "off" for --vcd and name no file for --report.
void refuse_empty_outputs(const po::variables_map& vm) {
  for (const char* o : {"vcd", "timeline", "report", "plot"})
    if (vm.count(o) && vm[o].as<std::string>().empty())
      throw Error(ExitCode::usage, {}, fmt::format("--{}: the file name is empty", o));
}

// The cycle limit `spinlab trace` sets unless told one: a trace prints a
// line per instruction, so a whole run would be millions of lines.
constexpr uint64_t kTraceMaxCycles = 100'000;

// --gdb [HOST:]PORT, checked here so a typo is a command-line error (64),
// as the --set of run.gdb it becomes.
Override gdb_override(const std::string& text) {
  std::string why;
  if (!gdb::parse_gdb_address(text, &why))
    throw Error(ExitCode::usage, {}, fmt::format("--gdb: expected [HOST:]PORT with PORT from 0 to 65535, got {}", why));
  return {fmt::format("run.gdb=\"{}\"", text)};  // the check leaves no character TOML would escape
}

// sweep and protection-table run many machines at once: none can wait for
// the one GDB run.gdb names.
void refuse_gdb(const Config& cfg, const char* command) {
  if (!cfg.run.gdb.empty())
    throw Error(ExitCode::usage, {},
                fmt::format("{}: runs many machines at once, and run.gdb = \"{}\" would have each wait for GDB; "
                            "debug one run with spinlab run --gdb",
                            command, cfg.run.gdb));
}

// The files a run reads: its ELF, its config and its device plugins.
std::vector<NamedFile> run_inputs(const Config& cfg) {
  std::vector<NamedFile> inputs = {{"the program", cfg.firmware}};
  if (cfg.source != cfg.firmware) inputs.push_back({"the config", cfg.source});
  for (const DeviceConfig& d : cfg.devices) inputs.push_back({fmt::format("device {}'s plugin", d.name), d.plugin});
  return inputs;
}

// An output named by `option` on the command line, or else by the config's
// `key` (trace.vcd, trace.timeline); with the VCD, the GTKWave save file
// and the filters written beside it.
void add_output(std::vector<NamedFile>& outputs, const po::variables_map& vm, const char* option, const char* key,
                const std::string& path) {
  if (path.empty()) return;
  const std::string who = vm.count(option) ? fmt::format("--{}", option) : std::string(key);
  outputs.push_back({who, path});
  if (std::string(option) != "vcd") return;
  const GtkwaveFiles files = gtkwave_files(path);
  outputs.push_back({fmt::format("{} {}'s GTKWave save file", who, path), files.gtkw});
  for (const std::string& filter : files.filters())
    outputs.push_back({fmt::format("{} {}'s filter file", who, path), filter});
}

// `run`, and `trace` (run with --trace-insns and a low cycle limit).
int cmd_run(const std::vector<std::string>& args, bool trace) {
  po::options_description opts(trace ? "spinlab trace TARGET [options]" : "spinlab run TARGET [options]");
  // One option a line, as --help lists them.
  // clang-format off
  opts.add_options()
      ("help,h", "this text")
      ("set", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: override a config key (repeatable), e.g. --set machine.harts=4")
      ("max-cycles", po::value<std::string>()->value_name("N"), "N: stop after N cycles (the same as --set run.max_cycles=N)")
      ("gdb", po::value<std::string>()->value_name("[HOST:]PORT"), "wait for GDB on PORT (on 127.0.0.1 unless HOST is given; 0: any free port) before the first cycle (the same as --set run.gdb=...; docs/debugging.md)")
      ("quiet,q", "print only the firmware's output, no summary")
      ("report", po::value<std::string>(), "FILE.json: write the outcome as JSON (docs/report.md)")
      ("vcd", po::value<std::string>(), "FILE.vcd: write a VCD trace for GTKWave (overrides trace.vcd; docs/tracing.md)")
      ("vcd-window", po::value<std::string>()->value_name("FROM..TO"), "only cycles FROM..TO go into the VCD (overrides trace.window)")
      ("timeline", po::value<std::string>(), "FILE.json: write the lock monitor's timeline for ui.perfetto.dev (overrides trace.timeline; docs/timeline.md)")
      ("narrate", po::value<std::string>()->implicit_value("*")->value_name("LOCK,..."), "print every lock and interrupt event the monitor sees, in cycle order; =LOCK,...: only the events of those locks, named as the narrative names them")
      ("harts", po::value<std::string>()->value_name("LIST"), "0,2: narrate (and trace) only those harts")
      ("cycles", po::value<std::string>()->value_name("FROM..TO"), "narrate (and trace) only cycles FROM to TO (FROM.. or ..TO: open ended)")
      ("no-idle-skip", "visit every cycle instead of jumping over idle ones (slower; for checking that skipping changes nothing)")
      ("color", po::value<std::string>()->value_name("WHEN"), "auto, always or never: colour the narrative and the findings (auto: when stdout is a terminal and NO_COLOR is unset)")
      ("explain", "after the summary, print the scenario's lesson rule and what this run showed, in plain words")
      ("expect", po::value<std::string>()->value_name("OUTCOME"), "deadlock, clean, race or a finding kind (irq-deadlock, ...): exit 0 when the run showed it, 1 when not (docs/grading.md)");
  // clang-format on
  if (!trace)
    opts.add_options()("trace-insns", "print every instruction each hart retires, in cycle order (docs/terminal.md)");
  // A bare --narrate takes no value: the next word stays the TARGET
  // (`run --narrate irq-deadlock`); a lock list is given with '='. "*" is
  // every lock (boost refuses an empty value after '=').
  std::vector<std::string> words = args;
  for (std::string& w : words)
    if (w == "--narrate") w = "--narrate=*";
  const char* command = trace ? "trace" : "run";
  po::variables_map vm = parse_command(words, opts, command, "TARGET");
  refuse_empty_outputs(vm);
  if (vm.count("help")) {
    fmt::print(standard_output(),
               "{}\nTARGET: a config file (.toml), an ELF program, or a bundled name (spinlab list); a scenario's "
               "program runs its scenario (docs/loading.md)\n",
               (std::ostringstream() << opts).str());
    // The config keys are docs/config.md's; a config's [[device]] keys are
    // its own (the plugins' params), listed for the TARGET given.
    if (vm.count("target")) {
      const Config cfg = resolve_target(vm["target"].as<std::string>(), {});
      if (!cfg.devices.empty())
        fmt::print(standard_output(),
                   "The [[device]] keys of {}, for --set device.NAME.KEY=VALUE (docs/devices.md):\n{}", cfg.source,
                   device_key_listing(cfg.devices));
    } else {
      fmt::print(standard_output(),
                 "Config keys: docs/config.md; with a TARGET, --help also lists its [[device]] keys.\n");
    }
    if (trace)
      fmt::print(standard_output(),
                 "Stops at {} cycles unless --max-cycles (or --set run.max_cycles) says otherwise.\n"
                 "Line format (docs/terminal.md):\n"
                 "  cycle N hartH PC <symbol+off> (BITS) instruction    rd=VALUE mem[ADDR]=VALUE\n"
                 "  cycle N hartH -- CAUSE (mcause M) at PC <symbol+off>; handler PC <symbol>\n",
                 kTraceMaxCycles);
    return 0;
  }
  if (!vm.count("target"))
    throw Error(ExitCode::usage, {}, fmt::format("{}: missing TARGET (a config file, an ELF or a bundled name)", command));
  const ColorMode color_mode = vm.count("color") ? parse_color_mode(vm["color"].as<std::string>()) : ColorMode::automatic;

  std::vector<Override> overrides;
  if (vm.count("set"))
    for (const std::string& s : vm["set"].as<std::vector<std::string>>()) overrides.push_back({s});
  if (vm.count("max-cycles")) {
    const std::string n = max_cycles_option(vm);
    overrides.push_back({"run.max_cycles=" + n, "--max-cycles " + n});
  }
  if (vm.count("gdb")) overrides.push_back(gdb_override(vm["gdb"].as<std::string>()));

  const std::string expected = vm.count("expect") ? parse_expect(vm["expect"].as<std::string>()) : std::string();
  Config cfg = resolve_target(vm["target"].as<std::string>(), overrides);
  bool limit_given = vm.count("max-cycles") > 0;
  for (const Override& o : overrides) limit_given = limit_given || o.text.rfind("run.max_cycles", 0) == 0;
  const bool default_limit = trace && !limit_given && cfg.run.max_cycles > kTraceMaxCycles;
  if (default_limit) cfg.run.max_cycles = kTraceMaxCycles;
  if (vm.count("no-idle-skip")) cfg.run.skip_idle = false;
  if (vm.count("narrate")) cfg.run.narrate = true;
  if (vm.count("quiet")) cfg.run.quiet = true;
  if (vm.count("vcd")) cfg.trace.vcd = vm["vcd"].as<std::string>();  // relative to the working directory
  if (vm.count("timeline")) cfg.trace.timeline = vm["timeline"].as<std::string>();  // likewise
  if (vm.count("vcd-window")) cfg.trace.window = vcd_window_option(vm["vcd-window"].as<std::string>());
  ElfImage elf = load_firmware(cfg);
  std::vector<NamedFile> outputs;
  add_output(outputs, vm, "report", "", vm.count("report") ? vm["report"].as<std::string>() : std::string());
  add_output(outputs, vm, "timeline", "trace.timeline", cfg.trace.timeline);
  add_output(outputs, vm, "vcd", "trace.vcd", cfg.trace.vcd);
  refuse_shared_files(outputs, run_inputs(cfg));
  const std::string rule = vm.count("explain") ? scenario_rule(cfg) : std::string();
  if (vm.count("report")) require_writable(vm["report"].as<std::string>(), "report");
  RunExtras extras;
  if (vm.count("narrate") && vm["narrate"].as<std::string>() != "*")
    parse_narrate_locks(vm["narrate"].as<std::string>(), elf, extras.filter);
  for (const char* filter : {"harts", "cycles"})
    if (vm.count(filter) && !cfg.run.narrate && !trace && !vm.count("trace-insns"))
      throw Error(ExitCode::usage, {}, fmt::format("--{}: chooses what the narrative and the instruction trace show; "
                                                   "add --narrate or --trace-insns", filter));
  if (vm.count("harts")) parse_narrate_harts(vm["harts"].as<std::string>(), cfg.machine.harts, extras.filter);
  if (vm.count("cycles")) parse_narrate_cycles(vm["cycles"].as<std::string>(), extras.filter);
  extras.insn_trace = trace || vm.count("trace-insns");
  extras.color = use_color(color_mode, stdout);  // the terminal, if it is one
  extras.progress = !extras.insn_trace && want_progress(cfg.run.quiet);
  extras.keep_output = vm.count("explain") > 0;
  extras.keep_uart = vm.count("report") > 0;
  extras.expect = expected;
  RunOutcome outcome = run_machine(cfg, elf, standard_output(), extras);
  if (!vm.count("quiet")) print_summary(standard_output(), cfg, elf, outcome);
  if (default_limit && !vm.count("quiet") && outcome.reason == models::StopReason::cycle_limit)
    fmt::print(standard_output(),
               "spinlab trace: stopped at its default limit of {} cycles; --max-cycles N traces further\n",
               kTraceMaxCycles);
  if (vm.count("explain")) print_explanation(standard_output(), cfg, rule, outcome, extras.color);
  if (vm.count("report"))
    if (std::optional<Error> e =
            write_report(vm["report"].as<std::string>(), make_report(cfg, elf, outcome, overrides, expected));
        e && !outcome.output_error)
      outcome.output_error = e;
  // After the report: what could be written, was; the first failure is the
  // one line (sc_main prints it; a standard output that failed is told only
  // without it).
  if (outcome.output_error) throw *outcome.output_error;
  std::fflush(standard_output());  // before --expect's line on stderr
  return expected.empty() ? exit_status(outcome) : grade_run(outcome, expected, stderr);
}

int cmd_disasm(const std::vector<std::string>& args) {
  po::options_description opts("spinlab disasm TARGET");
  opts.add_options()("help,h", "this text");
  po::variables_map vm = parse_command(args, opts, "disasm", "TARGET");
  if (vm.count("help")) {
    fmt::print(
        standard_output(),
        "{}\nTARGET: as for run, an ELF program, a config file (.toml) or a bundled name; lists the program it runs\n",
        (std::ostringstream() << opts).str());
    return 0;
  }
  if (!vm.count("target"))
    throw Error(ExitCode::usage, {}, "disasm: missing TARGET (an ELF, a config file or a bundled name)");
  // The program is the same whichever config runs it: no note.
  disassemble_elf(resolve_target(vm["target"].as<std::string>(), {}, nullptr).firmware, standard_output());
  return 0;
}

int cmd_list(const std::vector<std::string>& args) {
  po::options_description opts("spinlab list [--json]");
  // One option a line, as --help lists them.
  // clang-format off
  opts.add_options()
      ("help,h", "this text")
      ("json", "a JSON array: name, summary, lesson and params (name, default, min, max, help) of each scenario");
  // clang-format on
  po::variables_map vm = parse_command(args, opts, "list", nullptr);
  if (vm.count("help")) {
    fmt::print(standard_output(), "{}", (std::ostringstream() << opts).str());
    return 0;
  }
  // Every scenario is read before anything is printed: a broken one is one
  // error line, not half a list.
  const std::string dir = config_dir() + "/scenarios";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ExitCode::no_input, {dir}, "no such directory: where are the scenarios? (SPINLAB_CONFIG_DIR/scenarios)");
  std::vector<ScenarioInfo> scenarios;
  for (const std::string& file : scenario_files()) scenarios.push_back(describe_scenario(file));
  if (vm.count("json")) std::fputs(scenario_list_json(scenarios).c_str(), standard_output());
  else print_scenario_list(standard_output(), scenarios);
  return 0;
}

int cmd_new(const std::vector<std::string>& args, const std::string& self) {
  po::options_description opts("spinlab new DIR");
  opts.add_options()("help,h", "this text");
  po::variables_map vm = parse_command(args, opts, "new", "DIR");
  if (vm.count("help")) {
    fmt::print(standard_output(),
               "{}\nWrites a two-hart spinlock exercise into DIR, built with `make -C DIR` against the\n"
               "firmware kit and run with `spinlab run DIR/DIR.toml` (docs/kit.md).\n",
               (std::ostringstream() << opts).str());
    return 0;
  }
  if (!vm.count("dir")) throw Error(ExitCode::usage, {}, "new: missing DIR (the exercise's new directory)");
  write_starter(vm["dir"].as<std::string>(), self, standard_output());
  return 0;
}

int cmd_sweep(const std::vector<std::string>& args, const std::string& self) {
  po::options_description opts("spinlab sweep TARGET --param KEY=FROM..TO:STEP [--param KEY2=FROM..TO:STEP] [options]\n"
                               "spinlab sweep --merge DIR [--csv] [--plot FILE.svg]");
  // One option a line, as --help lists them.
  // clang-format off
  opts.add_options()
      ("help,h", "this text")
      ("param", po::value<std::vector<std::string>>()->composing(), "KEY=FROM..TO:STEP: a config key to vary, e.g. firmware.params.timer_phase=0..400:10 (pushoff-order) or machine.harts=1..4; a second --param runs every pair of values")
      ("csv", "print CSV instead of a table")
      ("plot", po::value<std::string>(), "FILE.svg: draw the cycles of each run with gnuplot: x the first param, one curve per value of the second")
      ("jobs,j", po::value<std::string>()->value_name("N"), "N: runs at once, 1 to 1024 (default: the number of CPUs)")
      ("set", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: passed to every run, e.g. --set run.max_cycles=2000000")
      ("max-cycles", po::value<std::string>()->value_name("N"), "N: passed to every run")
      ("vcd", po::value<std::string>(), "FILE.vcd: a VCD trace per run, FILE.KEY-VALUE.vcd (trace.vcd likewise)")
      ("timeline", po::value<std::string>(), "FILE.json: a timeline per run, FILE.KEY-VALUE.json (trace.timeline likewise)")
      ("report", po::value<std::string>(), "FILE.json: a report per run, FILE.KEY-VALUE.json, and in FILE.json the sweep file that --merge reads")
      ("narrate", po::value<std::string>()->implicit_value("")->value_name("[=LOCK,...]"), "passed to the run (with its filter, if given): only for a sweep of one run; its output comes before the table")
      ("explain", "passed to the run: only for a sweep of one run; its output comes before the table")
      ("expect", po::value<std::string>()->value_name("OUTCOME"), "deadlock, clean, race or a finding kind: judge each run by it; the sweep exits 1 unless every run showed it")
      ("emit-commands", "print one `spinlab run` line per run instead of running them (for GNU parallel or a Slurm array); needs --report")
      ("shard", po::value<std::string>()->value_name("I/N"), "run (or emit) only share I of N: every Nth run from the Ith")
      ("merge", po::value<std::string>()->value_name("DIR"), "print the table from the reports in DIR (or the sweep file named), as the sweep itself would");
  // clang-format on
  std::vector<std::string> words = args;  // a bare --narrate: as in cmd_run
  for (std::string& w : words)
    if (w == "--narrate") w = "--narrate=*";
  po::variables_map vm = parse_command(words, opts, "sweep", "TARGET");
  refuse_empty_outputs(vm);
  if (vm.count("help")) {
    fmt::print(standard_output(),
               "{}\nexit code: 0 when every run exited 0 (with --expect: every run showed it), else 1;\n"
               "64-70 before any run (docs/sweep.md, docs/exit-codes.md)\n"
               "examples:\n"
               "  spinlab sweep pushoff-order --param firmware.params.timer_phase=140..170\n"
               "  spinlab sweep hello --param machine.cost.div=1..101:20 --param machine.harts=1..3 --plot div.svg\n"
               "  spinlab sweep irq-deadlock --param machine.harts=1..4 --expect deadlock\n"
               "  spinlab sweep pushoff-order --param firmware.params.timer_phase=0..400 --report runs/p.json "
               "--emit-commands | parallel\n"
               "  spinlab sweep --merge runs\n",
               (std::ostringstream() << opts).str());
    return 0;
  }
  auto print_table = [&](const SweepTable& table, const std::string& gnuplot) {
    // A standard output that cannot take the table is told after the plot.
    if (vm.count("csv")) print_sweep_csv(standard_output(), table);
    else print_sweep_table(standard_output(), table);
    if (vm.count("plot"))
      run_gnuplot(gnuplot, sweep_plot_script("spinlab sweep " + table.target, table.params, table.rows),
                  vm["plot"].as<std::string>());
    return sweep_exit_code(table);
  };
  // The plot's needs first: a missing gnuplot or an unwritable file costs no runs.
  std::string gnuplot;
  if (vm.count("plot")) {
    gnuplot = find_gnuplot();
    require_writable(vm["plot"].as<std::string>(), "plot");
  }
  if (vm.count("merge")) {
    for (const char* o : {"target", "param", "set", "max-cycles", "vcd", "timeline", "report", "narrate", "explain",
                          "expect", "emit-commands", "shard", "jobs"})
      if (vm.count(o))
        throw Error(ExitCode::usage, {}, fmt::format("sweep --merge: the sweep file says what ran; {} is not taken here",
                                                     o == std::string("target") ? "TARGET" : "--" + std::string(o)));
    return print_table(merge_sweep(vm["merge"].as<std::string>()), gnuplot);
  }
  if (!vm.count("target")) throw Error(ExitCode::usage, {}, "sweep: missing TARGET (a config file, an ELF or a bundled name)");
  SweepOptions o;
  o.target = vm["target"].as<std::string>();
  if (vm.count("param"))
    for (const std::string& p : vm["param"].as<std::vector<std::string>>()) o.params.push_back(parse_sweep_param(p));
  check_sweep_params(o.params);
  std::vector<Override> check;  // the keys, checked once here: a typo is one error, not one per run
  if (vm.count("set"))
    for (const std::string& s : vm["set"].as<std::vector<std::string>>()) {
      o.extra_args.insert(o.extra_args.end(), {"--set", s});
      check.push_back({s});
    }
  if (vm.count("max-cycles")) o.extra_args.insert(o.extra_args.end(), {"--max-cycles", max_cycles_option(vm)});
  if (vm.count("narrate")) {
    const std::string filter = vm["narrate"].as<std::string>();
    o.extra_args.push_back(filter.empty() || filter == "*" ? "--narrate" : "--narrate=" + filter);
  }
  if (vm.count("explain")) o.extra_args.push_back("--explain");
  o.quiet = !vm.count("narrate") && !vm.count("explain");
  if (vm.count("expect")) o.expect = parse_expect(vm["expect"].as<std::string>());
  if (vm.count("shard")) parse_shard(vm["shard"].as<std::string>(), o.shard, o.shards);
  for (const SweepParam& p : o.params) check.push_back({fmt::format("{}={}", p.key, p.from)});
  Config cfg = resolve_target(o.target, check);
  refuse_gdb(cfg, "sweep");
  load_firmware(cfg);  // and its params' words: a typo is one error, not one per run
  // Every run writes its own files, named by its values.
  o.outputs.vcd = vm.count("vcd") ? vm["vcd"].as<std::string>() : cfg.trace.vcd;
  o.outputs.timeline = vm.count("timeline") ? vm["timeline"].as<std::string>() : cfg.trace.timeline;
  if (vm.count("report")) o.outputs.report = vm["report"].as<std::string>();
  // Each run's files are named alike from these (FILE.KEY-VALUE.json): two
  // of these that are one file make every run's two one file.
  std::vector<NamedFile> outputs;
  add_output(outputs, vm, "report", "", o.outputs.report);
  add_output(outputs, vm, "timeline", "trace.timeline", o.outputs.timeline);
  add_output(outputs, vm, "vcd", "trace.vcd", o.outputs.vcd);
  add_output(outputs, vm, "plot", "", vm.count("plot") ? vm["plot"].as<std::string>() : std::string());
  refuse_shared_files(outputs, run_inputs(cfg));
  const std::vector<SweepRun> runs = plan_sweep(o);
  if (!o.quiet && runs.size() != 1)
    throw Error(ExitCode::usage, {}, fmt::format("sweep --{}: tells one run's story, and this sweep has {} runs; give one value (KEY=V..V)",
                                                 vm.count("narrate") ? "narrate" : "explain", runs.size()));
  if (vm.count("emit-commands")) {
    for (const char* no : {"csv", "plot", "jobs"})
      if (vm.count(no)) throw Error(ExitCode::usage, {}, fmt::format("sweep --emit-commands: runs nothing, so --{} has nothing to do", no));
    if (o.outputs.report.empty())
      throw Error(ExitCode::usage, {}, "sweep --emit-commands: needs --report DIR/NAME.json (each run writes DIR/NAME.KEY-VALUE.json; --merge DIR reads them)");
    write_sweep_file(o.outputs.report, o, runs);
    emit_sweep_commands(standard_output(), self, shard_runs(runs, o.shard, o.shards), o.expect);
    return 0;
  }
  if (!o.outputs.report.empty()) write_sweep_file(o.outputs.report, o, runs);
  unsigned jobs = jobs_option(vm);
  SweepTable table = run_sweep(self, o, jobs);
  if (!o.quiet)
    for (const SweepRow& r : table.rows) std::fputs(r.output.c_str(), standard_output());
  return print_table(table, gnuplot);
}

int cmd_protection_table(const std::vector<std::string>& args, const std::string& self) {
  po::options_description opts("spinlab protection-table [options]");
  // One option a line, as --help lists them.
  // clang-format off
  opts.add_options()
      ("help,h", "this text")
      ("json", "print the raw matrix as JSON instead: every run (paths, protection, harts, outcome, cycles, updates lost, findings) and the table")
      ("jobs,j", po::value<std::string>()->value_name("N"), "N: runs at once, 1 to 1024 (default: the number of CPUs)")
      ("set", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: passed to every run, e.g. firmware.params.window=500");
  // clang-format on
  po::variables_map vm = parse_command(args, opts, "protection-table", nullptr);
  if (vm.count("help")) {
    fmt::print(standard_output(),
               "{}\nRuns the program `protection` (configs/protection.toml) once per combination of kernel\n"
               "control paths (exceptions, interrupts, deferrable functions), protection (none, semaphore,\n"
               "local_bh_disable, local_irq_save, spin_lock, spin_lock_bh, spin_lock_irqsave: weakest\n"
               "first) and hart count (1, 2). Each cell is the weakest protection whose run lost no update,\n"
               "did not deadlock or hang, and raised no finding; the run of the next weaker one shows why\n"
               "(docs/lessons/protection-table.md).\n",
               (std::ostringstream() << opts).str());
    return 0;
  }
  std::vector<std::string> extra;
  std::vector<Override> check;
  if (vm.count("set"))
    for (const std::string& s : vm["set"].as<std::vector<std::string>>()) {
      extra.insert(extra.end(), {"--set", s});
      check.push_back({s});
    }
  // The config and the keys once here: a typo is one error, not one per run.
  Config cfg = resolve_target("protection", check);
  refuse_gdb(cfg, "protection-table");
  load_firmware(cfg);
  unsigned jobs = jobs_option(vm);
  std::vector<PtableRun> runs = run_protection_table(self, extra, jobs);
  if (vm.count("json")) fmt::print(standard_output(), "{}\n", protection_table_json(runs).dump(2));
  else print_protection_table(standard_output(), runs);
  return 0;
}

// This executable's path, for running itself (sweep, protection-table).
std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, static_cast<size_t>(n));
  return argv0;
}

int main_checked(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return static_cast<int>(ExitCode::usage);
  }
  std::string cmd = args.front();
  args.erase(args.begin());
  auto is_help = [](const std::string& a) { return a == "-h" || a == "--help" || a == "help"; };
  if (cmd == "--version") {
    if (!args.empty())
      throw Error(ExitCode::usage, {}, fmt::format("--version: takes no argument, got `{}`", args.front()));
    fmt::print(standard_output(), "spinlab {}\n", SPINLAB_VERSION);
    return 0;
  }
  // `spinlab help` is the usage; `spinlab help CMD` is `spinlab CMD --help`.
  if (is_help(cmd)) {
    if (args.empty() || is_help(args.front())) {
      std::fputs(kUsage, standard_output());
      return 0;
    }
    if (args.size() > 1)
      throw Error(ExitCode::usage, {}, fmt::format("{}: takes one command, got `{}`", cmd, fmt::join(args, " ")));
    cmd = args.front();
    args = {"--help"};
  }
  // Every command, once: dispatch and the "did you mean" read this list.
  const std::string self = self_path(argv[0]);
  const std::vector<std::pair<std::string, std::function<int()>>> commands = {
      {"run", [&] { return cmd_run(args, false); }},
      {"trace", [&] { return cmd_run(args, true); }},
      {"disasm", [&] { return cmd_disasm(args); }},
      {"list", [&] { return cmd_list(args); }},
      {"new", [&] { return cmd_new(args, self); }},
      {"sweep", [&] { return cmd_sweep(args, self); }},
      {"protection-table", [&] { return cmd_protection_table(args, self); }},
  };
  std::vector<std::string> names;
  for (const auto& [name, command] : commands) {
    if (name == cmd) return command();
    names.push_back(name);
  }
  throw Error(ExitCode::usage, {},
              fmt::format("unknown command `{}`{} (try spinlab --help)", cmd, did_you_mean(nearest_names(cmd, names))));
}

}  // namespace
}  // namespace spinlab

int sc_main(int argc, char** argv) {
  try {
    const int code = spinlab::main_checked(argc, argv);
    // Every other output is written: now a standard output that failed.
    const int output = spinlab::standard_output_status();
    return output != 0 ? output : code;
  } catch (const spinlab::Error& e) {
    std::fflush(spinlab::standard_output());
    fmt::print(stderr, "spinlab: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const po::error& e) {
    std::fflush(spinlab::standard_output());
    fmt::print(stderr, "spinlab: {} (try spinlab --help)\n", e.what());
    return static_cast<int>(spinlab::ExitCode::usage);
  } catch (const std::exception& e) {
    std::fflush(spinlab::standard_output());
    fmt::print(stderr, "spinlab: internal error: {}\n", e.what());
    return static_cast<int>(spinlab::ExitCode::internal);
  }
}

// Our own main (instead of libsystemc's) so the kernel is quiet before it
// prints anything: no banner, no informational reports.
int main(int argc, char** argv) {
  spinlab::models::quiet_systemc();
  return sc_core::sc_elab_and_sim(argc, argv);
}

#include "sim/cli/ptable.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "sim/load/error.h"

namespace spinlab {

// Weakest first. The local protections come before the spin locks, each
// keeping out more of this CPU's kernel control paths than the one before:
// a semaphore keeps out only the others that want the data (and only those
// that may sleep); local softirq disabling keeps out every deferrable
// function on this CPU; local interrupt disabling every interrupt, and with
// them the deferrable functions they would run. A spin lock is the first that
// reaches other CPUs, and the dearest: their paths busy-wait. Its pairs add
// the local disabling to it, softirqs before interrupts.
const std::vector<Protection>& protections() {
  static const std::vector<Protection> list = {
      {0, "none", 0},
      {1, "semaphore", kSemaphore},
      {2, "local_bh_disable", kBhOff},
      {3, "local_irq_save", kIrqOff},
      {4, "spin_lock", kSpin},
      {5, "spin_lock_bh", kSpin | kBhOff},
      {6, "spin_lock_irqsave", kSpin | kIrqOff},
  };
  return list;
}

std::string part_words(unsigned parts) {
  static const std::pair<unsigned, const char*> words[] = {
      {kSemaphore, "semaphore"},
      {kIrqOff, "local interrupt disabling"},
      {kBhOff, "local softirq disabling"},
      {kSpin, "spin lock"},
  };
  std::string out;
  for (const auto& [bit, word] : words)
    if (parts & bit) out += (out.empty() ? "" : " + ") + std::string(word);
  return out.empty() ? "none" : out;
}

// ULK 3rd edition, Table 5-6, row by row.
const std::vector<PtableRow>& ptable_rows() {
  static const std::vector<PtableRow> rows = {
      {kExceptions, 0, "Exceptions", kSemaphore, 0},
      {kInterrupts, 0, "Interrupts", kIrqOff, kSpin},
      {kDeferrable, 0, "Deferrable functions", 0, kSpin},  // softirqs: "spin lock"
      {kDeferrable, 1, "Deferrable functions", 0, 0},      // tasklets: "none"
      {kExceptions | kInterrupts, 0, "Exceptions + Interrupts", kIrqOff, kSpin},
      {kExceptions | kDeferrable, 0, "Exceptions + Deferrable functions", kBhOff, kSpin},
      {kInterrupts | kDeferrable, 0, "Interrupts + Deferrable functions", kIrqOff, kSpin},
      {kExceptions | kInterrupts | kDeferrable, 0, "Exceptions + Interrupts + Deferrable functions", kIrqOff, kSpin},
  };
  return rows;
}

namespace {

constexpr int kHarts[] = {1, 2};
constexpr const char* kTarget = "protection";  // configs/protection.toml
constexpr const char* kCountLine = "protection: ";

const char* deferred_name(int deferred) { return deferred ? "tasklet" : "softirq"; }

constexpr std::pair<unsigned, const char*> kPathNames[] = {
    {kExceptions, "exceptions"}, {kInterrupts, "interrupts"}, {kDeferrable, "deferrable"}};

std::string paths_words(unsigned paths) {
  std::string out;
  for (auto [bit, word] : kPathNames)
    if (paths & bit) out += (out.empty() ? "" : "+") + std::string(word);
  return out;
}

const PtableRun* find_run(const std::vector<PtableRun>& runs, size_t row, size_t protection, int harts) {
  for (const PtableRun& r : runs)
    if (r.row == row && r.protection == protection && r.harts == harts) return &r;
  return nullptr;
}

// What went wrong in a run: in a few words for the cells (`brief` false),
// in a word or two for the matrix.
std::string describe_failure(const PtableRun& r, bool brief) {
  if (r.passed()) return "ok";
  std::vector<std::string> what;
  if (r.counted && r.actual < r.expected)
    what.push_back(brief ? fmt::format("{} lost", r.expected - r.actual)
                         : fmt::format("{} of {} updates lost", r.expected - r.actual, r.expected));
  if (r.exit_code == int(ExitCode::deadlock) && !brief) what.push_back("deadlock");
  if (r.exit_code == int(ExitCode::cycle_limit))
    what.push_back(brief ? "hung" : fmt::format("hung (cycle limit, {} cycles)", r.cycles));
  if (r.exit_code == int(ExitCode::asleep)) what.push_back(brief ? "asleep" : "hung (every hart asleep)");
  for (const std::string& f : r.judged) what.push_back(f);
  if (brief && !r.kernel_bugs.empty()) what.push_back("BUG");
  if (!brief)
    for (const std::string& b : r.kernel_bugs) what.push_back("BUG: " + b);
  if (what.empty()) what.push_back(r.outcome);
  std::string out;
  for (const std::string& w : what) out += (out.empty() ? "" : brief ? ", " : "; ") + w;
  return out;
}

// The cell's evidence: the weakest that passed and the next weaker failing.
std::string evidence(const std::vector<PtableRun>& runs, size_t row, int harts, int weakest) {
  if (weakest < 0) return "nothing passed";
  if (weakest == 0) return "nothing is weaker";
  const PtableRun* r = find_run(runs, row, size_t(weakest - 1), harts);
  return fmt::format("`{}` fails: {}", protections()[size_t(weakest - 1)].name, r ? r->failure() : "not run");
}

// The parts needed further on MP, and " instead of ..." when the MP
// protection drops a part of the UP one (a semaphore replaced by a lock).
std::string further_words(unsigned up, unsigned mp) {
  std::string words = part_words(mp & ~up);
  if (up & ~mp) words += " instead of " + part_words(up & ~mp);
  return words;
}

struct Cell {
  int up = -1, mp = -1;  // weakest passing protection, by hart count
  unsigned up_parts() const { return up < 0 ? 0 : protections()[size_t(up)].parts; }
  unsigned mp_parts() const { return mp < 0 ? 0 : protections()[size_t(mp)].parts; }
  bool agrees(const PtableRow& book) const {
    return up >= 0 && mp >= 0 && up_parts() == book.book_up && (mp_parts() & ~up_parts()) == book.book_mp &&
           (up_parts() & ~mp_parts()) == 0;
  }
};

Cell cell_of(const std::vector<PtableRun>& runs, size_t row) {
  return {weakest_passing(runs, row, 1), weakest_passing(runs, row, 2)};
}

std::string cell_up_words(const Cell& c) { return c.up < 0 ? "nothing passed" : part_words(c.up_parts()); }
std::string cell_mp_words(const Cell& c) {
  return c.up < 0 || c.mp < 0 ? "nothing passed" : further_words(c.up_parts(), c.mp_parts());
}

}  // namespace

bool PtableRun::passed() const {
  return exit_code == 0 && counted && actual == expected && judged.empty() && kernel_bugs.empty();
}

std::string PtableRun::failure() const { return describe_failure(*this, false); }

std::vector<std::string> ptable_run_args(const PtableRow& row, const Protection& p, int harts,
                                         const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"run", kTarget,
                                   "--set", fmt::format("firmware.params.paths={}", row.paths),
                                   "--set", fmt::format("firmware.params.deferred={}", row.deferred),
                                   "--set", fmt::format("firmware.params.protect={}", p.param),
                                   "--set", fmt::format("machine.harts={}", harts)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return args;
}

bool finding_counts(const nlohmann::json& f) {
  static const char* const always[] = {"irq-deadlock", "recursive-deadlock", "cross-cpu-deadlock",
                                       "thread-deadlock", "sleep-in-interrupt", "switch-holding-lock"};
  const std::string kind = f.value("kind", "");
  if (f.value("deadlock", false) || std::find(std::begin(always), std::end(always), kind) != std::end(always))
    return true;
  std::vector<std::string> names;
  auto add = [&](const nlohmann::json& lock) {
    if (lock.is_object() && lock.contains("name") && lock["name"].is_string()) names.push_back(lock["name"]);
    else if (lock.is_string()) names.push_back(lock.get<std::string>());
  };
  if (f.contains("lock")) add(f["lock"]);
  for (const char* list : {"holds", "waits"})
    if (f.contains(list) && f[list].is_array())
      for (const nlohmann::json& h : f[list])
        if (h.contains("lock")) add(h["lock"]);
  if (f.contains("chain") && f["chain"].is_array())
    for (const nlohmann::json& d : f["chain"]) {
      if (d.contains("from")) add(d["from"]);
      if (d.contains("to")) add(d["to"]);
    }
  if (names.empty()) return true;
  for (const std::string& n : names)
    if (n != "countlock" && n != "countsem") return false;
  return true;
}

void read_ptable_output(PtableRun& run) {
  std::istringstream in(run.output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(kCountLine, 0) == 0) {
      unsigned long long actual = 0, expected = 0, lost = 0;
      size_t at = line.find(": counter ");
      if (at != std::string::npos &&
          std::sscanf(line.c_str() + at, ": counter %llu of %llu, %llu lost", &actual, &expected, &lost) == 3) {
        run.counted = true;
        run.actual = actual;
        run.expected = expected;
      }
    }
  }
  // The kernel's BUG lines (schedule_debug): harts print without a lock, so
  // two harts' lines may be interleaved; the message is searched anywhere.
  for (const char* bug : {"scheduling while atomic", "scheduling while in interrupt"})
    if (run.output.find(std::string("BUG: ") + bug) != std::string::npos) run.kernel_bugs.push_back(bug);
  if (run.report.is_object() && run.report.contains("findings"))
    for (const nlohmann::json& f : run.report["findings"]) {
      std::vector<std::string>& list = finding_counts(f) ? run.judged : run.ignored;
      const std::string kind = f.value("kind", "");
      if (std::find(list.begin(), list.end(), kind) == list.end()) list.push_back(kind);
    }
}

std::vector<PtableRun> run_protection_table(const std::string& self, const std::vector<std::string>& extra_args,
                                            unsigned jobs) {
  std::vector<PtableRun> runs;
  std::vector<std::vector<std::string>> args;
  for (size_t row = 0; row < ptable_rows().size(); ++row)
    for (int harts : kHarts)
      for (size_t p = 0; p < protections().size(); ++p) {
        PtableRun r;
        r.row = row;
        r.protection = p;
        r.harts = harts;
        runs.push_back(r);
        args.push_back(ptable_run_args(ptable_rows()[row], protections()[p], harts, extra_args));
      }
  std::vector<RunRow> results = run_children(self, args, jobs);
  for (size_t i = 0; i < runs.size(); ++i) {
    static_cast<RunRow&>(runs[i]) = std::move(results[i]);
    if (runs[i].outcome.rfind("error: ", 0) == 0)
      throw Error(ExitCode::internal, {},
                  fmt::format("protection-table: the run with paths={} protect={} harts={} failed to run: {}",
                              ptable_rows()[runs[i].row].paths, protections()[runs[i].protection].param,
                              runs[i].harts, runs[i].outcome.substr(7)));
    read_ptable_output(runs[i]);
  }
  return runs;
}

int weakest_passing(const std::vector<PtableRun>& runs, size_t row, int harts) {
  for (size_t p = 0; p < protections().size(); ++p) {
    const PtableRun* r = find_run(runs, row, p, harts);
    if (r && r->passed()) return int(p);
  }
  return -1;
}

void print_protection_table(std::FILE* out, const std::vector<PtableRun>& runs) {
  const std::vector<PtableRow>& rows = ptable_rows();
  fmt::print(out,
             "| Kernel control paths accessing the data structure | UP protection | MP further protection | "
             "the book (UP / MP further) |\n"
             "|---|---|---|---|\n");
  std::vector<std::string> differences;
  for (size_t i = 0; i < rows.size(); ++i) {
    // Deferrable functions alone are two rows of the matrix (softirq,
    // tasklet) and one of the book's: "none or spin lock".
    const size_t last = i + 1 < rows.size() && rows[i + 1].paths == rows[i].paths ? i + 1 : i;
    std::vector<std::string> up, mp, book_mp, up_why, mp_why;
    bool agrees = true;
    for (size_t k = i; k <= last; ++k) {
      const Cell c = cell_of(runs, k);
      const std::string tag = last > i ? fmt::format(" ({})", deferred_name(rows[k].deferred)) : "";
      const std::string who = last > i ? fmt::format("{}: ", deferred_name(rows[k].deferred)) : "";
      up.push_back(cell_up_words(c) + tag);
      mp.push_back(cell_mp_words(c) + tag);
      book_mp.push_back(part_words(rows[k].book_mp) + tag);
      auto why = [&](int weakest, int harts) {
        if (weakest < 0) return who + "nothing passed";
        return fmt::format("{}`{}` passes; {}", who, protections()[size_t(weakest)].name,
                           evidence(runs, k, harts, weakest));
      };
      up_why.push_back(why(c.up, 1));
      mp_why.push_back(why(c.mp, 2));
      if (!c.agrees(rows[k])) {
        agrees = false;
        differences.push_back(fmt::format("{}{}: measured {} / {}; the book says {} / {}", rows[k].name, tag,
                                          cell_up_words(c), cell_mp_words(c), part_words(rows[k].book_up),
                                          part_words(rows[k].book_mp)));
      }
    }
    // One variant's words when both say the same.
    auto join = [&](const std::vector<std::string>& v, const char* sep) {
      std::string all;
      for (const std::string& x : v) all += (all.empty() ? "" : sep) + x;
      return all;
    };
    auto words = [&](std::vector<std::string> v) {
      if (v.size() == 2 && v[0].substr(0, v[0].rfind(" (")) == v[1].substr(0, v[1].rfind(" (")))
        return v[0].substr(0, v[0].rfind(" ("));
      return join(v, " or ");
    };
    fmt::print(out, "| {} | **{}**<br>1 hart: {} | **{}**<br>2 harts: {} | {} / {}{} |\n", rows[i].name, words(up),
               join(up_why, "; "), words(mp), join(mp_why, "; "), part_words(rows[i].book_up), words(book_mp),
               agrees ? "" : " **(differs)**");
    i = last;
  }
  fmt::print(out, "\n");
  if (differences.empty()) {
    fmt::print(out, "Every cell agrees with the book.\n");
  } else {
    fmt::print(out, "Cells that differ from the book:\n\n");
    for (const std::string& d : differences) fmt::print(out, "- {}\n", d);
  }

  fmt::print(out,
             "\nAny run again: `spinlab run protection --set firmware.params.paths=P --set "
             "firmware.params.protect=N --set firmware.params.deferred=D --set machine.harts=H`, "
             "paths the sum of 1 (exceptions), 2 (interrupts) and 4 (deferrable functions); protect ");
  for (const Protection& p : protections())
    fmt::print(out, "{}{} ({})", p.param == 0 ? "" : ", ", p.param, p.name);
  fmt::print(out, "; deferred 0 (softirq) or 1 (tasklet).\n");

  // The whole matrix, one table per hart count.
  for (int harts : kHarts) {
    fmt::print(out, "\nEvery run on {} hart{} (ok: nothing lost, no deadlock, no finding):\n\n| paths |", harts,
               harts == 1 ? "" : "s");
    for (const Protection& p : protections()) fmt::print(out, " {} |", p.name);
    fmt::print(out, "\n|---|");
    for (size_t p = 0; p < protections().size(); ++p) fmt::print(out, "---|");
    fmt::print(out, "\n");
    for (size_t k = 0; k < rows.size(); ++k) {
      const bool variant = (k + 1 < rows.size() && rows[k + 1].paths == rows[k].paths) ||
                           (k > 0 && rows[k - 1].paths == rows[k].paths);
      fmt::print(out, "| {}{} |", paths_words(rows[k].paths),
                 variant ? fmt::format(" ({})", deferred_name(rows[k].deferred)) : "");
      for (size_t p = 0; p < protections().size(); ++p) {
        const PtableRun* r = find_run(runs, k, p, harts);
        fmt::print(out, " {} |", r ? describe_failure(*r, true) : "-");
      }
      fmt::print(out, "\n");
    }
  }
}

nlohmann::json protection_table_json(const std::vector<PtableRun>& runs) {
  using nlohmann::json;
  json order = json::array();
  for (const Protection& p : protections()) order.push_back(p.name);
  json list = json::array();
  for (const PtableRun& r : runs) {
    const PtableRow& row = ptable_rows()[r.row];
    const Protection& p = protections()[r.protection];
    json paths = json::array();
    for (auto [bit, word] : kPathNames)
      if (row.paths & bit) paths.push_back(word);
    std::string command = "spinlab";
    for (const std::string& a : ptable_run_args(row, p, r.harts, {})) command += " " + a;
    list.push_back({{"paths", paths},
                    {"deferred", (row.paths & kDeferrable) ? json(deferred_name(row.deferred)) : json(nullptr)},
                    {"protection", p.name},
                    {"harts", r.harts},
                    {"passed", r.passed()},
                    {"outcome", r.outcome},
                    {"exit_code", r.exit_code},
                    {"cycles", r.have_cycles ? json(r.cycles) : json(nullptr)},
                    {"expected", r.counted ? json(r.expected) : json(nullptr)},
                    {"actual", r.counted ? json(r.actual) : json(nullptr)},
                    {"lost", r.counted ? json(r.expected - r.actual) : json(nullptr)},
                    {"findings", r.findings},
                    {"findings_judged", r.judged},
                    {"findings_ignored", r.ignored},
                    {"kernel_bugs", r.kernel_bugs},
                    {"failure", r.passed() ? json(nullptr) : json(r.failure())},
                    {"command", command}});
  }
  json table = json::array();
  for (size_t k = 0; k < ptable_rows().size(); ++k) {
    const PtableRow& row = ptable_rows()[k];
    Cell c = cell_of(runs, k);
    auto name_of = [](int i) { return i < 0 ? json(nullptr) : json(protections()[size_t(i)].name); };
    table.push_back({{"row", row.name},
                     {"deferred", (row.paths & kDeferrable) ? json(deferred_name(row.deferred)) : json(nullptr)},
                     {"up", name_of(c.up)},
                     {"mp", name_of(c.mp)},
                     {"up_words", cell_up_words(c)},
                     {"mp_further_words", cell_mp_words(c)},
                     {"book_up", part_words(row.book_up)},
                     {"book_mp_further", part_words(row.book_mp)},
                     {"agrees", c.agrees(row)}});
  }
  return {{"order", order}, {"table", table}, {"runs", list}};
}

}  // namespace spinlab

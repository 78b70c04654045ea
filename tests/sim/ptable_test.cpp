// spinlab protection-table's judgement, on made-up runs: which findings
// judge a protection, the count line, the weakest passing protection of a
// cell and the cell's words against the book's.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/cli/ptable.h"

namespace spinlab {
namespace {

nlohmann::json finding(const std::string& kind, const std::string& lock) {
  return {{"kind", kind}, {"deadlock", false}, {"lock", {{"addr", 0x80001000}, {"name", lock}}},
          {"holds", nlohmann::json::array()}, {"waits", nlohmann::json::array()}};
}

TEST(Ptable, DeadlocksAndSleepsAlwaysJudge) {
  nlohmann::json f = finding("irq-deadlock", "tickslock");
  f["deadlock"] = true;
  EXPECT_TRUE(finding_counts(f));
  EXPECT_TRUE(finding_counts(finding("sleep-in-interrupt", "threads+0x30c")));
}

TEST(Ptable, WarningsJudgeOnlyOnTheProgramsOwnLocks) {
  EXPECT_TRUE(finding_counts(finding("irq-unsafe-lock", "countlock")));
  EXPECT_FALSE(finding_counts(finding("release-not-held", "threads+0x30c")));
  // A lock-order inversion between countsem and a kernel word: not the counter's protection.
  nlohmann::json f = finding("lock-order-inversion", "countsem");
  f["chain"] = {{{"from", {{"name", "threads+0x30c"}}}, {"to", {{"name", "countsem"}}}},
                {{"from", {{"name", "countsem"}}}, {"to", {{"name", "threads+0x30c"}}}}};
  EXPECT_FALSE(finding_counts(f));
}

TEST(Ptable, ReadsTheCountLineTheBugsAndTheFindings) {
  PtableRun r;
  r.exit_code = 3;
  r.output = "protection: paths 3 protect 2 harts 1: counter 119 of 160, 41 lost\n";
  r.report = {{"findings", {finding("release-not-held", "threads+0x30c")}}};
  read_ptable_output(r);
  EXPECT_TRUE(r.counted);
  EXPECT_EQ(r.expected, 160u);
  EXPECT_EQ(r.actual, 119u);
  EXPECT_TRUE(r.judged.empty());
  EXPECT_EQ(r.ignored, std::vector<std::string>{"release-not-held"});
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.failure(), "41 of 160 updates lost");

  PtableRun bug;
  bug.output = "BUG: scheduling while atomic: driver/2/0x00000100\nprotection: paths 4 protect 1 harts 2: counter 84 of 84, 0 lost\n";
  read_ptable_output(bug);
  EXPECT_EQ(bug.kernel_bugs, std::vector<std::string>{"scheduling while atomic"});
  EXPECT_FALSE(bug.passed());
}

// A whole matrix where each row passes from the book's protection on: the
// table agrees everywhere, and the failing run below each cell is named.
TEST(Ptable, TheBooksMatrixAgrees) {
  auto index_of = [](unsigned parts) {
    for (size_t p = 0; p < protections().size(); ++p)
      if (protections()[p].parts == parts) return p;
    ADD_FAILURE() << "no protection of parts " << parts;
    return size_t(0);
  };
  std::vector<PtableRun> runs;
  for (size_t row = 0; row < ptable_rows().size(); ++row)
    for (int harts : {1, 2})
      for (size_t p = 0; p < protections().size(); ++p) {
        const PtableRow& b = ptable_rows()[row];
        size_t need = index_of(harts == 1 ? b.book_up : (b.book_up | b.book_mp));
        PtableRun r;
        r.row = row, r.protection = p, r.harts = harts;
        r.counted = true, r.expected = 100, r.actual = p >= need ? 100 : 90;
        r.exit_code = p >= need ? 0 : 3;
        runs.push_back(r);
      }
  EXPECT_EQ(weakest_passing(runs, 1, 1), 3);  // interrupts, UP: local_irq_save
  EXPECT_EQ(weakest_passing(runs, 1, 2), 6);  // ... MP: spin_lock_irqsave
  nlohmann::json j = protection_table_json(runs);
  for (const nlohmann::json& cell : j["table"]) EXPECT_TRUE(cell["agrees"].get<bool>()) << cell.dump();
  char* text = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  print_protection_table(out, runs);
  std::fclose(out);
  std::string md(text, size);
  std::free(text);
  EXPECT_NE(md.find("| Interrupts | **local interrupt disabling**<br>1 hart: `local_irq_save` passes; "
                    "`local_bh_disable` fails: 10 of 100 updates lost | **spin lock**"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| Deferrable functions | **none**"), std::string::npos) << md;
  EXPECT_NE(md.find("**spin lock (softirq) or none (tasklet)**"), std::string::npos) << md;
  EXPECT_NE(md.find("Every cell agrees with the book."), std::string::npos) << md;

  // Exceptions on 2 harts passing only from spin_lock: the MP cell drops the semaphore.
  for (PtableRun& r : runs)
    if (r.row == 0 && r.harts == 2 && r.protection < 4) r.actual = 90, r.exit_code = 3;
  j = protection_table_json(runs);
  EXPECT_EQ(j["table"][0]["mp_further_words"], "spin lock instead of semaphore");
  EXPECT_FALSE(j["table"][0]["agrees"].get<bool>());
}

}  // namespace
}  // namespace spinlab

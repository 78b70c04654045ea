#include <gtest/gtest.h>

#include "sim/cli/suggest.h"

namespace spinlab {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("run", "run"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("irq-deadlok", "irq-deadlock"), 1u);   // an insertion
  EXPECT_EQ(edit_distance("timer_phasee", "timer_phase"), 1u);  // a deletion
  EXPECT_EQ(edit_distance("race", "rice"), 1u);                 // a substitution
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(EditDistance, AnAdjacentTranspositionIsOneEdit) {
  EXPECT_EQ(edit_distance("hrats", "harts"), 1u);
  EXPECT_EQ(edit_distance("rnu", "run"), 1u);
  // Levenshtein alone would say 2 for each.
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  // Optimal string alignment: no edit of a transposed pair again.
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);
}

TEST(MaxTypoEdits, TwoOrAThirdOfALongName) {
  EXPECT_EQ(max_typo_edits("rnu"), 2u);
  EXPECT_EQ(max_typo_edits("timer_phas"), 3u);
  EXPECT_EQ(max_typo_edits("a_much_longer_name"), 6u);
}

TEST(NearestNames, TheClosestWithinTheLimit) {
  const std::vector<std::string> known = {"race", "irq-deadlock", "irqsave", "pushoff-order", "irq_deadlock"};
  EXPECT_EQ(nearest_names("irq-deadlok", known), std::vector<std::string>{"irq-deadlock"});
  EXPECT_EQ(nearest_names("pushof-order", known), std::vector<std::string>{"pushoff-order"});
  EXPECT_EQ(nearest_names("IRQSAVE", known), std::vector<std::string>{"irqsave"});  // case ignored
  EXPECT_TRUE(nearest_names("zzzzzz", known).empty());
  // Three edits from "race" is another word, not a typo of it.
  EXPECT_TRUE(nearest_names("bars", {"race"}).empty());
  EXPECT_EQ(nearest_names("rice", {"race"}), std::vector<std::string>{"race"});
}

TEST(NearestNames, EveryNameAtTheSmallestDistanceInOrderWithoutRepeats) {
  EXPECT_EQ(nearest_names("irq-deadlock-", {"irq_deadlock", "irq-deadlock", "irq-deadlock"}),
            std::vector<std::string>{"irq-deadlock"});
  EXPECT_EQ(nearest_names("fixd", {"fixed", "fix", "fixes"}), (std::vector<std::string>{"fixed", "fix"}));
  EXPECT_EQ(nearest_names("ab", {"a1", "a2", "a3", "a4"}), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(nearest_names("ab", {"a1", "a2", "a3", "a4"}, 1), std::vector<std::string>{"a1"});
  EXPECT_TRUE(nearest_names("x", {}).empty());
}

// Issue 16: a 300 kB unknown key took 25 s (a quadratic table per known
// name). A name far longer than any known one is a typo of none, and a known
// name whose length differs by more than the edits allowed is skipped.
TEST(NearestNames, AHugeNameCostsNothingAndGuessesNothing) {
  std::vector<std::string> known;
  for (int i = 0; i < 200; ++i) known.push_back("machine.key" + std::to_string(i));
  const std::string huge(1 << 20, 'k');
  EXPECT_TRUE(nearest_names(huge, known).empty());
  EXPECT_TRUE(nearest_names(std::string(200, 'm'), known).empty());
  // Near the cap a real typo is still found.
  const std::string long_name(120, 'a');
  EXPECT_EQ(nearest_names(long_name + "b", {long_name}), std::vector<std::string>{long_name});
}

TEST(EditDistance, LongStringsInLinearMemory) {
  EXPECT_EQ(edit_distance(std::string(5000, 'a'), std::string(5000, 'a') + "b"), 1u);
  EXPECT_EQ(edit_distance("ab" + std::string(3000, 'x'), "ba" + std::string(3000, 'x')), 1u);
}

TEST(DidYouMean, OneTwoOrSeveral) {
  EXPECT_EQ(did_you_mean({}), "");
  EXPECT_EQ(did_you_mean({"run"}), "; did you mean `run`?");
  EXPECT_EQ(did_you_mean({"fixed", "fix"}), "; did you mean `fixed` or `fix`?");
  EXPECT_EQ(did_you_mean({"a1", "a2", "a3"}), "; did you mean `a1`, `a2` or `a3`?");
}

}  // namespace
}  // namespace spinlab

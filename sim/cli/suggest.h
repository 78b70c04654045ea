// "Did you mean": the known names nearest to one a user mistyped (a config
// key, a bundled scenario or program, a command, a symbol, a firmware param).
// The one place that decides how near is near enough.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spinlab {

// Edit distance counting an adjacent transposition as one edit ("hrats" is
// one from "harts"): the optimal string alignment distance.
size_t edit_distance(std::string_view a, std::string_view b);

// edit_distance(a, b) when it is at most `limit`, else limit + 1, found
// without the quadratic table when the lengths alone rule it out (the
// distance is at least their difference) or a name is far longer than any
// spinlab knows: what a "did you mean" needs, at no cost for a huge name.
size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit);

// A name as an error message shows it: whole up to 64 characters, else its
// first 48, "...", and its length (a 300 kB key makes no 300 kB line).
std::string shown_name(std::string_view name);

// The most edits a typo of `typed` may hold: 2, or a third of its length for
// a long name. More, and the guess would be a different word.
size_t max_typo_edits(std::string_view typed);

// The names in `known` that `typed` is most likely a typo of: those at the
// smallest edit distance (case ignored), if that is within max_typo_edits,
// in `known`'s order, without repeats, at most `most`; empty when none is
// near.
std::vector<std::string> nearest_names(std::string_view typed, const std::vector<std::string>& known,
                                       size_t most = 3);

// "; did you mean `a`?", "; did you mean `a` or `b`?", "; did you mean `a`,
// `b` or `c`?"; "" for none: what an error appends.
std::string did_you_mean(const std::vector<std::string>& guesses);

}  // namespace spinlab

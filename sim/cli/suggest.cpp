#include "sim/cli/suggest.h"

#include <algorithm>
#include <cctype>

namespace spinlab {

namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// No name spinlab knows is this long: a longer one is not a typo of one.
constexpr size_t kMaxTypedName = 256;

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the table (this one, the one before, the one before that:
  // a transposition looks two back), not all of them.
  const size_t m = b.size();
  std::vector<size_t> before(m + 1), prev(m + 1), row(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[m];
}

size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit) {
  const size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap > limit || a.size() > kMaxTypedName || b.size() > kMaxTypedName) return limit + 1;
  return std::min(edit_distance(a, b), limit + 1);
}

std::string shown_name(std::string_view name) {
  if (name.size() <= 64) return std::string(name);
  return std::string(name.substr(0, 48)) + "... (" + std::to_string(name.size()) + " characters)";
}

size_t max_typo_edits(std::string_view typed) { return std::max<size_t>(2, typed.size() / 3); }

std::vector<std::string> nearest_names(std::string_view typed, const std::vector<std::string>& known, size_t most) {
  const std::string t = lowered(typed);
  size_t best = max_typo_edits(typed);
  std::vector<std::string> out;
  for (const std::string& name : known) {
    const size_t d = edit_distance_within(t, lowered(name), best);
    if (d > best) continue;
    if (d < best) {
      best = d;
      out.clear();
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  if (out.size() > most) out.resize(most);
  return out;
}

std::string did_you_mean(const std::vector<std::string>& guesses) {
  if (guesses.empty()) return std::string();
  std::string out = "; did you mean ";
  for (size_t i = 0; i < guesses.size(); ++i) {
    if (i > 0) out += i + 1 == guesses.size() ? " or " : ", ";
    out += "`" + guesses[i] + "`";
  }
  return out + "?";
}

}  // namespace spinlab

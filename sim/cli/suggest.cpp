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

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

size_t max_typo_edits(std::string_view typed) { return std::max<size_t>(2, typed.size() / 3); }

std::vector<std::string> nearest_names(std::string_view typed, const std::vector<std::string>& known, size_t most) {
  const std::string t = lowered(typed);
  size_t best = max_typo_edits(typed);
  std::vector<std::string> out;
  for (const std::string& name : known) {
    const size_t d = edit_distance(t, lowered(name));
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

// Lockdep's pictures (sim/monitor/pictures.h).
#include "sim/monitor/pictures.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "sim/out/words.h"

namespace spinlab::pictures {

// The interrupt's name in a lockdep picture: "<Interrupt: timer>".
namespace {

const char* irq_short(Context c) {
  if (c == Context::softirq) return "softirq";
  return words::interrupt_short(interrupt_code(c));
}

}  // namespace

// Linux lockdep's "possible unsafe locking scenario" for one CPU.
std::string irq_scenario(unsigned hart, const std::string& lock, Context irq) {
  return fmt::format(
      "  possible unsafe locking scenario:\n\n"
      "         hart{}\n"
      "         ----\n"
      "    lock({});\n"
      "    <Interrupt: {}>\n"
      "      lock({});\n\n"
      "   *** DEADLOCK ***\n\n",
      hart, lock, irq_short(irq), lock);
}

// The same for several harts, one column each: every hold and every wait
// of a wait-for cycle, in the order of the cycles they happened at.
std::string cross_scenario(const Finding& f) {
  std::vector<unsigned> columns;
  for (const Wait& w : f.waits)
    if (std::find(columns.begin(), columns.end(), w.hart) == columns.end()) columns.push_back(w.hart);
  struct Step {
    uint64_t cycle;
    unsigned hart;
    std::string text;
  };
  std::vector<Step> steps;
  size_t width = 16;
  for (size_t i = 0; i < f.waits.size(); ++i) {
    steps.push_back({f.holds[i].since, f.holds[i].hart, fmt::format("lock({});", f.holds[i].lock.name)});
    steps.push_back({f.waits[i].since, f.waits[i].hart, fmt::format("lock({});", f.waits[i].lock.name)});
    width = std::max(width, steps.back().text.size() + 4);
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.cycle < b.cycle; });
  // As lockdep draws it: a column's title 5 to the right of its lines.
  auto line = [&](size_t col, const std::string& text, size_t indent) {
    return std::string(4 + col * width + indent, ' ') + text + "\n";
  };
  std::string head, rule;
  for (size_t c = 0; c < columns.size(); ++c) {
    std::string title = fmt::format("hart{}", columns[c]);
    size_t at = 4 + c * width + 5;
    head += std::string(at - head.size(), ' ') + title;
    rule += std::string(at - rule.size(), ' ') + "----";
  }
  std::string out = "  possible unsafe locking scenario:\n\n" + head + "\n" + rule + "\n";
  for (const Step& s : steps) {
    size_t col = static_cast<size_t>(std::find(columns.begin(), columns.end(), s.hart) - columns.begin());
    out += line(col, s.text, 0);
  }
  return out + "\n   *** DEADLOCK ***\n\n";
}

// Two columns, like lockdep's: each hart's test (the load that found the
// lock free) and set (the store), in the order they happened.
std::string overlap_scenario(const Hold& first, const Hold& second) {
  struct Step {
    uint64_t cycle;
    size_t col;
    std::string text;
  };
  const std::string& name = first.lock.name;
  std::vector<Step> steps = {{first.tested, 0, fmt::format("test({}) == 0;", name)},
                             {first.since, 0, fmt::format("set({});", name)},
                             {second.tested, 1, fmt::format("test({}) == 0;", name)},
                             {second.since, 1, fmt::format("set({});", name)}};
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.cycle < b.cycle; });
  // As lockdep draws it: a column's title 5 to the right of its lines.
  const size_t width = name.size() + 16;
  const std::string title0 = fmt::format("hart{}", first.hart);
  std::string out = fmt::format("  possible unsafe locking scenario:\n\n{:9}{:{}}hart{}\n{:9}{:{}}----\n", "", title0,
                                width, second.hart, "", "----", width);
  for (const Step& st : steps) out += std::string(4 + st.col * width, ' ') + st.text + "\n";
  return out + "\n   *** BOTH INSIDE ***\n\n";
}

// As lockdep's print_circular_lock_scenario draws it: CPU0 holds `target` (the
// lock held at the new dependency) and takes `source` (the new lock); CPU1
// holds `parent` (the lock held when `target` was taken, at the chain's
// end) and takes `target`. The CPUs are any two contexts, not harts: one
// hart alone can take locks in both orders at different times.
std::string circular_scenario(const Finding& f) {
  const std::string& source = f.chain.at(0).to.name;
  const std::string& target = f.chain.at(0).from.name;
  const std::string& parent = f.chain.back().from.name;
  std::string out = "  possible unsafe locking scenario:\n\n";
  if (f.chain.size() > 2) {
    // The whole chain, where lockdep names only three of its locks.
    out += "  Chain exists of:\n    " + source;
    for (size_t i = 1; i < f.chain.size(); ++i) out += " --> " + f.chain[i].to.name;
    out += "\n\n";
  }
  size_t width = 16;
  for (const Dependency& d : f.chain) width = std::max(width, d.to.name.size() + 12);
  out += fmt::format("{:9}{:{}}CPU1\n{:9}{:{}}----\n", "", "CPU0", width, "", "----", width);
  out += fmt::format("    lock({});\n", target);
  out += fmt::format("{:{}}lock({});\n", "", 4 + width, parent);
  out += fmt::format("{:{}}lock({});\n", "", 4 + width, target);
  out += fmt::format("    lock({});\n", source);
  return out + "\n   *** DEADLOCK ***\n\n";
}

std::string switch_scenario(const ThreadRef& holder, const ThreadRef& other, const std::string& lock, bool irqs_off) {
  const std::string a = thread_label(holder), b = thread_label(other);
  const size_t width = std::max<size_t>(a.size(), lock.size() + 16) + 6;
  auto col = [&](size_t c, const std::string& text) { return std::string(4 + c * width, ' ') + text + "\n"; };
  std::string out = fmt::format("  possible unsafe locking scenario:\n\n{:9}{:{}}{}\n{:9}{:{}}----\n", "", a, width, b,
                                "", "----", width);
  out += col(0, fmt::format("lock({});", lock));
  out += col(0, fmt::format("<switch to {}>", b));
  if (irqs_off) out += col(1, "local_irq_disable();");
  out += col(1, fmt::format("lock({});", lock));
  return out + (irqs_off ? "\n   *** DEADLOCK ***\n\n" : "\n   *** SPINS UNTIL " + a + " RUNS AGAIN ***\n\n");
}

}  // namespace spinlab::pictures

#include "sim/out/explain.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/monitor/monitor.h"
#include "sim/out/terminal.h"

namespace spinlab {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Markdown to plain text, for one line: **bold** and `code` lose their marks,
// [text](link) becomes text.
std::string plain(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 2, "**") == 0) {
      ++i;
    } else if (line[i] == '`') {
    } else if (line[i] == '[') {
      size_t close = line.find("](", i);
      size_t end = close == std::string::npos ? close : line.find(')', close);
      if (end == std::string::npos) {
        out += line[i];
        continue;
      }
      out += line.substr(i + 1, close - i - 1);
      i = end;
    } else {
      out += line[i];
    }
  }
  return out;
}

// `text` as lines of at most `width` columns, each starting with `indent`.
std::string wrap(const std::string& text, const std::string& indent, size_t width) {
  std::istringstream words(text);
  std::string out, line, word;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string context_words(Context c) {
  if (c == Context::softirq) return "a bottom half (softirq)";
  return c == Context::process ? std::string("process context") : fmt::format("its {} handler", to_string(c));
}

std::string irqs(bool enabled) { return enabled ? "interrupts enabled" : "interrupts disabled"; }

// One finding as a story.
std::string story(const Finding& f) {
  switch (f.kind) {
    case FindingKind::irq_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      std::string s = fmt::format("hart{} took {} at cycle {}, in {} with {}, at {}. ", h.hart, f.lock.name, h.since,
                                  context_words(h.context), irqs(h.interrupts_enabled), format_site(h.taken_at));
      if (f.has_interrupt)
        s += fmt::format("At cycle {} the {} came on hart{}, interrupting {}. ", f.interrupt.cycle,
                         to_string(f.interrupt.cause), f.interrupt.hart, format_site(f.interrupt.interrupted_at));
      s += fmt::format(
          "{} asked for {} at {}, and spun on it from cycle {} — but hart{} itself held {}, and could not "
          "release it until the handler returned: a deadlock, on one CPU (found at cycle {}).",
          w.context == Context::softirq ? "Its bottom half (softirq), run after the handler acknowledged the device "
                                          "and turned interrupts back on,"
                                        : "Its handler",
          f.lock.name, format_site(w.at), w.since, h.hart, f.lock.name, f.cycle);
      return s;
    }
    case FindingKind::recursive_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      return fmt::format(
          "hart{} took {} at cycle {}, at {}, and asked for it again at cycle {}, at {}, while still holding it: it "
          "waits for itself, a deadlock (found at cycle {}).",
          h.hart, f.lock.name, h.since, format_site(h.taken_at), w.since, format_site(w.at), f.cycle);
    }
    case FindingKind::cross_cpu_deadlock: {
      std::string s;
      for (size_t i = 0; i < f.waits.size(); ++i)
        s += fmt::format("hart{} waited for {} from cycle {} (at {}), which hart{} held since cycle {}. ",
                         f.waits[i].hart, f.waits[i].lock.name, f.waits[i].since, format_site(f.waits[i].at), f.holds[i].hart,
                         f.holds[i].since);
      return s + fmt::format("Each waited for the next, round a cycle: none could go on, a deadlock across harts "
                             "(found at cycle {}).",
                             f.cycle);
    }
    case FindingKind::irq_unsafe_lock: {
      const Hold& irq = f.holds.at(0);
      const Hold& on = f.holds.at(1);
      std::string how = on.enabled_later
                            ? fmt::format("took it with interrupts disabled at cycle {} but enabled them at cycle {} "
                                          "while still holding it",
                                          on.since, on.enabled_cycle)
                            : fmt::format("held it{} with interrupts enabled at cycle {}, taken at {}",
                                          on.context == Context::softirq ? " in a bottom half (softirq)" : "", on.since,
                                          format_site(on.taken_at));
      std::string s = fmt::format("{} is taken in an interrupt handler (hart{}'s {} handler, cycle {}, at {}), and hart{} {}.",
                                  f.lock.name, irq.hart, to_string(irq.context), irq.since,
                                  format_site(irq.taken_at), on.hart, how);
      if (!could_interrupt(on, irq.context))
        return s + fmt::format(
                       " No deadlock this time, and not by luck: hart{}'s mie.{} was clear while it held {}, so the "
                       "{} could not come there (a hart takes an interrupt only when its mie bit and mstatus.MIE "
                       "are both set). Had hart{} enabled it, the handler would have spun forever on a lock its own "
                       "hart held.",
                       on.hart, enable_bit(irq.context), f.lock.name, to_string(irq.context), on.hart);
      return s + fmt::format(
                     " No deadlock this time, but only because of timing: had that interrupt come on hart{} while it "
                     "held {}, the handler would have spun forever on a lock its own hart held.",
                     on.hart, f.lock.name);
    }
    case FindingKind::softirq_unsafe_lock: {
      const Hold& bh = f.holds.at(0);
      const Hold& on = f.holds.at(1);
      std::string s = fmt::format(
          "{} is taken in a bottom half (hart{}, cycle {}, at {}), and hart{} held it in process context with "
          "interrupts enabled at cycle {}, taken at {}",
          f.lock.name, bh.hart, bh.since, format_site(bh.taken_at), on.hart, on.since, format_site(on.taken_at));
      if (f.has_interrupt)
        s += fmt::format(", while the bottom half of the {} ran on hart{} (cycle {})", to_string(f.interrupt.cause),
                         f.interrupt.hart, f.interrupt.cycle);
      return s + fmt::format(
                     ": bottom halves were not disabled. No deadlock this time, but only because of timing: had "
                     "that bottom half taken {} then, it would have spun forever on a lock its own hart held.",
                     f.lock.name);
    }
    case FindingKind::wfi_holding_lock: {
      std::string names;
      for (const Hold& h : f.holds) names += (names.empty() ? "" : ", ") + h.lock.name;
      return fmt::format("hart{} went to sleep in wfi at cycle {}, at {}, while holding {}: every hart that wants it "
                         "spins until hart{} wakes.",
                         f.hart, f.cycle, format_site(f.at), names, f.hart);
    }
    case FindingKind::release_not_held: {
      std::string holder = f.holds.empty() ? std::string("nobody held it")
                                           : fmt::format("hart{} held it", f.holds[0].hart);
      return fmt::format("hart{} released {} at cycle {}, at {}, but {}.", f.hart, f.lock.name, f.cycle, format_site(f.at),
                         holder);
    }
    case FindingKind::mutual_exclusion: {
      const Hold& first = f.holds.at(0);
      const Hold& second = f.holds.at(1);
      return fmt::format(
          "hart{} found {} free at cycle {} and set it at cycle {}; hart{} had found it free too, at cycle {}, and "
          "set it at cycle {} while hart{} was inside: both were in the critical section at once, and the lock "
          "excluded nobody.",
          first.hart, f.lock.name, first.tested, first.since, second.hart, second.tested, second.since, first.hart);
    }
    case FindingKind::lock_order_inversion: {
      const Dependency& now = f.chain.at(0);
      std::string s = fmt::format("At cycle {} hart{} {} {} at {}, while holding {}. ", now.cycle, now.hart,
                                  now.attempt ? "asked for" : "took", now.to.name, format_site(now.to_at),
                                  now.from.name);
      for (size_t i = 1; i < f.chain.size(); ++i)
        s += fmt::format("Earlier, at cycle {}, hart{} had {} {} while holding {}, at {}. ", f.chain[i].cycle,
                         f.chain[i].hart, f.chain[i].attempt ? "asked for" : "taken", f.chain[i].to.name,
                         f.chain[i].from.name, format_site(f.chain[i].to_at));
      return s + "The locks were taken in both orders: two harts doing both at once would each hold a lock the "
                 "other waits for, a deadlock, whether or not this run had it.";
    }
    case FindingKind::switch_holding_lock: {
      const Hold& h = f.holds.at(0);
      return fmt::format(
          "Thread {} took {} at cycle {}, at {}, and hart{} switched from it to thread {} at cycle {}, at {}, with "
          "the lock still held: every thread that wants it now spins until {} runs again.",
          thread_label(f.thread), f.lock.name, h.since, format_site(h.taken_at), f.hart, thread_label(f.to_thread),
          f.cycle, format_site(f.at), thread_label(f.thread));
    }
    case FindingKind::thread_deadlock: {
      const Hold& h = f.holds.at(0);
      const Wait& w = f.waits.at(0);
      return fmt::format(
          "Thread {} took {} at cycle {}, at {}, and was switched out. Thread {}, on the same hart{}, asked for it "
          "at cycle {}, at {}, with interrupts disabled: nothing could preempt it to run {} again, a deadlock "
          "between two threads of one CPU (found at cycle {}).",
          thread_label(h.thread), f.lock.name, h.since, format_site(h.taken_at), thread_label(w.thread), f.hart,
          w.since, format_site(w.at), thread_label(h.thread), f.cycle);
    }
    case FindingKind::sleep_in_interrupt:
      return fmt::format(
          "The {} came on hart{} at cycle {}, interrupting {}; before its handler had acknowledged the device, "
          "hart{} switched from thread {} to thread {} at cycle {}, at {}: the handler slept.",
          to_string(f.interrupt.cause), f.hart, f.interrupt.cycle, format_site(f.interrupt.interrupted_at), f.hart,
          thread_label(f.thread), thread_label(f.to_thread), f.cycle, format_site(f.at));
  }
  // A kind this explanation does not know yet: the report's first line.
  std::string text = format_finding(f);
  return text.substr(0, text.find('\n'));
}

std::string ending(const RunOutcome& o) {
  switch (o.reason) {
    case models::StopReason::finisher:
    case models::StopReason::tohost:
      return fmt::format("The firmware ended the run at cycle {} with exit code {}.", o.cycles, o.exit_code);
    case models::StopReason::cycle_limit:
      return fmt::format("The run reached run.max_cycles ({} cycles) before the firmware ended it.", o.cycles);
    case models::StopReason::asleep:
      return fmt::format("At cycle {} every hart slept in wfi with nothing left to wake one.", o.cycles);
    case models::StopReason::deadlock:
      return fmt::format("The monitor stopped the run at cycle {} (exit code 126).", o.cycles);
    case models::StopReason::killed:
      return fmt::format("The debugger killed the run at cycle {} (exit code 137).", o.cycles);
    case models::StopReason::interrupted:
      return fmt::format("A signal (Ctrl-C or SIGTERM) stopped the run at cycle {}; what it showed so far is above.",
                         o.cycles);
    case models::StopReason::running: break;
  }
  return "";
}

}  // namespace

std::string lesson_rule(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ExitCode::no_input, {path}, "cannot read the lesson");
  std::vector<std::string> body;
  std::string heading;
  for (std::string line; std::getline(in, line);) {
    if (heading.empty()) {
      if (line == "## The rule" || line == "## The rules") heading = line.substr(3);
      continue;
    }
    if (starts_with(line, "# ") || starts_with(line, "## ")) break;
    body.push_back(line);
  }
  if (heading.empty()) throw Error(ExitCode::bad_input, {path}, "the lesson has no \"## The rule\" section");
  while (!body.empty() && body.front().empty()) body.erase(body.begin());
  while (!body.empty() && body.back().empty()) body.pop_back();
  std::string out = heading + ":\n";
  for (const std::string& line : body) out += line.empty() ? "\n" : "  " + plain(line) + "\n";
  return out;
}

std::string explain_outcome(const RunOutcome& o, const std::vector<std::string>& firmware_lines, size_t width) {
  std::string out;
  bool deadlock = false;
  for (const Finding& f : o.findings) {
    out += wrap(story(f), "  ", width);
    out += wrap(fmt::format("The rule it broke: {}.", f.rule), "  ", width) + "\n";
    deadlock = deadlock || is_deadlock(f.kind);
  }
  if (o.monitor.is_null())
    out += wrap("The lock monitor was off (run.monitor = \"off\"): there are no findings to explain.", "  ", width);
  else if (o.findings.empty())
    out += wrap("No deadlock, and nothing the lock monitor warns about.", "  ", width) + "\n";
  else if (!deadlock)
    out += wrap("No deadlock this run.", "  ", width) + "\n";
  for (const LockStats& l : o.locks) {
    std::string s = fmt::format("{}: taken {} time{}", l.lock.name, l.acquisitions, l.acquisitions == 1 ? "" : "s");
    if (l.irq_acquisitions) s += fmt::format(" ({} in an interrupt handler)", l.irq_acquisitions);
    s += fmt::format(", held {} cycles at most", l.hold_cycles_max);
    if (l.waits)
      s += fmt::format("; harts found it taken and waited {} time{} ({} failed attempt{}), {} cycles in all "
                       "(longest {})",
                       l.waits, l.waits == 1 ? "" : "s", l.attempts, l.attempts == 1 ? "" : "s", l.wait_cycles_total,
                       l.wait_cycles_max);
    else
      s += "; nobody ever had to wait for it";
    if (l.overlaps)
      s += fmt::format("; {} time{} a hart went in while another was inside", l.overlaps, l.overlaps == 1 ? "" : "s");
    if (l.held_at_end) s += "; still held when the run ended";
    out += wrap(s + ".", "  ", width);
  }
  if (!o.locks.empty()) out += "\n";
  out += wrap(ending(o), "  ", width);
  auto last = std::find_if(firmware_lines.rbegin(), firmware_lines.rend(),
                           [](const std::string& s) { return s.find_first_not_of(" \t\r") != std::string::npos; });
  if (last == firmware_lines.rend())
    out += wrap("The firmware printed nothing.", "  ", width);
  else
    out += wrap(fmt::format("The firmware's last line: \"{}\"", last->substr(last->find_first_not_of(" \t"))), "  ",
                width);
  return out;
}

std::string scenario_rule(const Config& cfg) {
  return cfg.scenario.lesson.empty() ? std::string() : lesson_rule(docs_dir() + "/" + cfg.scenario.lesson);
}

void print_explanation(std::FILE* out, const Config& cfg, const std::string& rule, const RunOutcome& o, bool color) {
  std::string text = "\n";
  if (cfg.scenario.lesson.empty()) {
    text += paint_heading("There is no lesson for this run", color) +
            fmt::format(": {} is not a scenario (its config has no scenario.lesson).\n\n", cfg.source);
  } else {
    size_t colon = rule.find(':');
    text += fmt::format("{}: docs/{}\n\n", paint_heading("The lesson", color), cfg.scenario.lesson);
    text += paint_heading(rule.substr(0, colon), color) + rule.substr(colon) + "\n";
  }
  text += paint_heading("What this run showed", color) + ":\n";
  text += explain_outcome(o, o.firmware_output);
  std::fputs(text.c_str(), out);
  std::fflush(out);
}

}  // namespace spinlab

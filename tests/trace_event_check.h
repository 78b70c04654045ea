// A checker for Chrome trace event files (docs/timeline.md), shared by the
// timeline's unit tests (tests/sim) and its scenario tests (tests/scenarios):
// the spans of each (pid, tid) track must nest, as Perfetto requires.
//
// Per track, events are taken in ts order (file order among equal ts, and for
// "X" events, the longer first, as Perfetto does), with a stack: a "B" opens
// a span, an "E" must close the innermost open one (of the same name when it
// names one), an "X" must lie inside the span it starts in, and nothing may
// stay open at the end.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace spinlab::test {

struct TraceSlice {
  std::string name;
  std::string cat;
  double ts = 0;
  double end = 0;
  int depth = 0;
  int parent = -1;      // index into the track's slices; -1 at the top
  nlohmann::json args;  // the begin's args, with the end's merged in
};

struct TraceTrack {
  std::string thread_name;
  std::vector<TraceSlice> slices;      // in the order they begin
  std::vector<nlohmann::json> instants;  // "i"/"I" events
};

struct TraceCheck {
  std::vector<std::string> problems;         // empty: every track nests
  std::string process_name;
  std::map<std::pair<int, int>, TraceTrack> tracks;  // by (pid, tid)

  // The chain of parents of track slice i, innermost first, as names.
  std::vector<std::string> ancestors(const TraceTrack& t, int i) const {
    std::vector<std::string> out;
    for (int p = t.slices[static_cast<size_t>(i)].parent; p >= 0; p = t.slices[static_cast<size_t>(p)].parent)
      out.push_back(t.slices[static_cast<size_t>(p)].name);
    return out;
  }
};

inline TraceCheck check_trace(const nlohmann::json& trace) {
  using nlohmann::json;
  TraceCheck c;
  const json* events = &trace;
  if (trace.is_object()) {
    if (!trace.contains("traceEvents") || !trace["traceEvents"].is_array()) {
      c.problems.push_back("no traceEvents array");
      return c;
    }
    events = &trace["traceEvents"];
  }
  struct Ev {
    const json* j;
    double ts;
    double dur;
    size_t order;
  };
  std::map<std::pair<int, int>, std::vector<Ev>> by_track;
  size_t order = 0;
  for (const json& e : *events) {
    std::string ph = e.value("ph", "");
    if (ph == "M") {
      std::string name = e.value("name", "");
      if (name == "process_name") c.process_name = e["args"].value("name", "");
      if (name == "thread_name") c.tracks[{e.value("pid", 0), e.value("tid", 0)}].thread_name = e["args"].value("name", "");
      continue;
    }
    if (!e.contains("ts") || !e["ts"].is_number()) {
      c.problems.push_back("an event without a numeric ts: " + e.dump());
      continue;
    }
    double dur = ph == "X" ? e.value("dur", 0.0) : 0.0;
    by_track[{e.value("pid", 0), e.value("tid", 0)}].push_back({&e, e["ts"].get<double>(), dur, order++});
  }
  for (auto& [key, evs] : by_track) {
    std::string where = "pid " + std::to_string(key.first) + " tid " + std::to_string(key.second) + ": ";
    std::stable_sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
      if (a.ts != b.ts) return a.ts < b.ts;
      return a.dur > b.dur;
    });
    TraceTrack& t = c.tracks[key];
    struct Open {
      size_t slice;
      bool complete;  // an X: ends at its own end
    };
    std::vector<Open> stack;
    // X spans that end by `ts` are over.
    auto settle = [&](double ts) {
      while (!stack.empty() && stack.back().complete && t.slices[stack.back().slice].end <= ts) stack.pop_back();
    };
    auto open = [&](const json& e, double ts, double end, bool complete) {
      TraceSlice s;
      s.name = e.value("name", "");
      s.cat = e.value("cat", "");
      s.ts = ts;
      s.end = end;
      s.depth = static_cast<int>(stack.size());
      s.parent = stack.empty() ? -1 : static_cast<int>(stack.back().slice);
      s.args = e.value("args", json::object());
      t.slices.push_back(s);
      stack.push_back({t.slices.size() - 1, complete});
    };
    for (const Ev& ev : evs) {
      const json& e = *ev.j;
      std::string ph = e.value("ph", "");
      if (ph == "i" || ph == "I") {
        t.instants.push_back(e);
      } else if (ph == "B") {
        settle(ev.ts);
        open(e, ev.ts, ev.ts, false);
      } else if (ph == "X") {
        settle(ev.ts);
        if (!stack.empty() && stack.back().complete && t.slices[stack.back().slice].end < ev.ts + ev.dur)
          c.problems.push_back(where + "X \"" + e.value("name", "") + "\" at " + std::to_string(ev.ts) +
                               " ends after the X it is in, \"" + t.slices[stack.back().slice].name + "\"");
        open(e, ev.ts, ev.ts + ev.dur, true);
      } else if (ph == "E") {
        settle(ev.ts);
        if (stack.empty()) {
          c.problems.push_back(where + "E at " + std::to_string(ev.ts) + " with nothing open");
          continue;
        }
        TraceSlice& top = t.slices[stack.back().slice];
        if (stack.back().complete) {
          c.problems.push_back(where + "E at " + std::to_string(ev.ts) + " while X \"" + top.name +
                               "\", begun inside its span, runs on to " + std::to_string(top.end));
          stack.pop_back();
          continue;
        }
        std::string name = e.value("name", "");
        if (!name.empty() && name != top.name)
          c.problems.push_back(where + "E \"" + name + "\" at " + std::to_string(ev.ts) + " ends \"" + top.name +
                               "\" (begun at " + std::to_string(top.ts) + "): the spans overlap");
        top.end = ev.ts;
        if (e.contains("args"))
          for (auto& [k, v] : e["args"].items()) top.args[k] = v;
        stack.pop_back();
      } else {
        c.problems.push_back(where + "unexpected phase \"" + ph + "\"");
      }
    }
    for (const Open& o : stack)
      if (!o.complete) c.problems.push_back(where + "\"" + t.slices[o.slice].name + "\" is never ended");
  }
  return c;
}

}  // namespace spinlab::test

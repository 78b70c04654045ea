#include "sim/out/timeline.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isa/hart.h"
#include "sim/load/error.h"
#include "sim/load/files.h"
#include "sim/out/words.h"

namespace spinlab {

namespace {

// Keys in the order written, so a line reads name, phase, time, track, args.
using Json = nlohmann::ordered_json;

constexpr int kPid = 1;

enum class SpanKind : uint8_t { handler, softirq, hold, wait, user };

// A span open on a hart's track. When one below it ends first, it is cut
// there and begins again as a new piece (docs/timeline.md, "Nesting").
struct Span {
  SpanKind kind = SpanKind::hold;
  std::string name;
  uint32_t lock = 0;   // hold, wait
  size_t frame = 0;    // wait, softirq: the handler depth it is at (0: the hart's own code)
  uint64_t since = 0;  // the first piece's cycle
  Json args;           // the first piece's
};

// One thing on a hart's track, in cycle order: a monitor event, a finding's
// instant, or the end of a hold the monitor saw end without a release event.
struct Item {
  uint64_t cycle = 0;
  size_t seq = 0;  // the order told, among equal cycles
  const Event* event = nullptr;
  const Finding* finding = nullptr;
  uint32_t dropped_lock = 0;  // with finding: a release-not-held ended this hart's hold of it
};

const char* category(SpanKind k) {
  switch (k) {
    case SpanKind::handler: return "handler";
    case SpanKind::softirq: return "softirq";
    case SpanKind::hold: return "hold";
    case SpanKind::wait: return "wait";
    case SpanKind::user: return "user";
  }
  return "?";
}

// Writes one track's B/E/i events, keeping its spans nested.
class TrackWriter {
 public:
  TrackWriter(const Monitor& names, unsigned hart, uint64_t clock_hz, std::ostream& out, bool& first)
      : names_(names), hart_(hart), clock_hz_(clock_hz), out_(out), first_(first) {}

  void item(const Item& it) {
    if (it.event) event(*it.event);
    else if (it.dropped_lock) drop_hold(it);
    else instant(*it.finding);
  }

  // Ends everything still open, innermost first.
  void finish(uint64_t cycle) {
    while (!stack_.empty()) {
      Json args = {{"unfinished", true}};
      end(stack_.size() - 1, cycle, std::move(args));
    }
  }

 private:
  void event(const Event& e) {
    switch (e.kind) {
      case EventKind::acquire: {
        end_spin(e.cycle, e.lock, "gave up");
        // Taken again by its holder: the monitor saw the last hold end unseen.
        if (size_t i = find(SpanKind::hold, e.lock); i != kNone) end(i, e.cycle, {{"ended", "not seen (taken again)"}});
        Span s;
        s.kind = SpanKind::hold;
        s.name = "hold " + names_.lock_name(e.lock);
        s.lock = e.lock;
        s.args = lock_args(e);
        begin(std::move(s), e.cycle);
        break;
      }
      case EventKind::release: {
        end_spin(e.cycle, 0, "gave up");
        size_t i = find(SpanKind::hold, e.lock);
        if (i == kNone) break;  // its acquire was not told
        Json args;
        add_site(args, "released_at", e.pc, e.ra);
        end(i, e.cycle, std::move(args));
        break;
      }
      case EventKind::spin: {
        end_spin(e.cycle, 0, "gave up");
        Span s;
        s.kind = SpanKind::wait;
        s.name = "wait " + names_.lock_name(e.lock);
        s.lock = e.lock;
        s.frame = depth_;
        s.args = lock_args(e);
        begin(std::move(s), e.cycle);
        break;
      }
      case EventKind::interrupt:
      case EventKind::exception: {
        // The trap ends the user code it came from as the handler begins.
        if (e.user) end_user(e.cycle, handler_span_name(e.mcause));
        Span s;
        s.kind = SpanKind::handler;
        s.name = handler_span_name(e.mcause);
        s.args = {{"cycle", e.cycle}, {"mcause", fmt::format("{:#x}", e.mcause)}, {"context", to_string(e.context)}};
        add_site(s.args, e.kind == EventKind::interrupt ? "interrupted_at" : "at", e.pc, 0);
        // A nested interrupt: how deep, and in what it came.
        if (e.kind == EventKind::interrupt) {
          s.args["irq_depth"] = e.irq_depth;
          if (e.irq_depth > 1) s.args["nested_in"] = to_string(e.interrupted);
        }
        begin(std::move(s), e.cycle);
        ++depth_;
        break;
      }
      case EventKind::bottom_half: {
        // Inside the handler's span, up to its mret (the same depth).
        Span s;
        s.kind = SpanKind::softirq;
        s.name = words::kBottomHalf;  // the interrupt is the handler's span around it
        s.frame = depth_;
        s.args = {{"cycle", e.cycle}, {"mcause", fmt::format("{:#x}", e.mcause)}, {"context", to_string(e.context)},
                  {"irq_depth", e.irq_depth}};
        add_site(s.args, "at", e.pc, 0);
        begin(std::move(s), e.cycle);
        break;
      }
      case EventKind::mret: {
        if (depth_ > 0) {
          end_spin(e.cycle, 0, "handler returned");
          for (size_t i = stack_.size(); i-- > 0;)
            if (stack_[i].kind == SpanKind::softirq && stack_[i].frame == depth_) {
              end(i, e.cycle, {});
              break;
            }
          --depth_;
          if (size_t i = find(SpanKind::handler); i != kNone) {
            Json args;
            add_site(args, "returned_to", e.pc, 0);
            end(i, e.cycle, std::move(args));
          }
        }
        if (e.user) begin_user(e);
        break;
      }
      case EventKind::wfi: end_spin(e.cycle, 0, "wfi"); break;
      case EventKind::thread_switch: switched(e); break;
    }
  }

  // The hart switched threads: an instant naming both (names are known by
  // the end, when the trace is written, even for a thread new then).
  void switched(const Event& e) {
    const std::string from = thread_label(names_.thread_ref(e.thread)), to = thread_label(names_.thread_ref(e.to_thread));
    Json args = {{"cycle", e.cycle}, {"from", from}, {"to", to}, {"new_thread", e.new_thread}, {"where", to_string(e.where)}};
    add_site(args, "at", e.pc, e.ra);
    write(Json{{"name", fmt::format("switch to {}", to)},
               {"cat", "switch"},
               {"ph", "i"},
               {"s", "t"},
               {"ts", ts(e.cycle)},
               {"pid", kPid},
               {"tid", hart_},
               {"args", std::move(args)}});
  }

  // A lock released by another hart (release-not-held): the monitor ended
  // this hart's hold there, and no release of it will come.
  void drop_hold(const Item& it) {
    size_t i = find(SpanKind::hold, it.dropped_lock);
    if (i == kNone) return;
    end(i, it.cycle, {{"ended", fmt::format("released by hart{} (release-not-held)", it.finding->hart)}});
  }

  void instant(const Finding& f) {
    Json args = {{"kind", to_string(f.kind)}, {"cycle", f.cycle}, {"hart", f.hart}, {"deadlock", is_deadlock(f.kind)}};
    if (!f.lock.name.empty()) args["lock"] = f.lock.name;
    add_site(args, "at", f.at);
    args["rule"] = f.rule;
    if (!f.lesson.empty()) args["lesson"] = f.lesson;
    Json j = {{"name", fmt::format("{}: {}", to_string(f.kind), f.lock.name)},
              {"cat", "finding"},
              {"ph", "i"},
              {"s", "t"},
              {"ts", ts(f.cycle)},
              {"pid", kPid},
              {"tid", hart_},
              {"args", std::move(args)}};
    write(j);
  }

  static constexpr size_t kNone = ~size_t{0};

  // User code runs from an mret to U on (one that returns from a trap, or
  // the first entry to user code, which returns from none).
  void begin_user(const Event& mret) {
    if (find(SpanKind::user) != kNone) return;
    Span s;
    s.kind = SpanKind::user;
    s.name = "user";
    s.args = {{"cycle", mret.cycle}};
    add_site(s.args, "at", mret.pc, 0);
    begin(std::move(s), mret.cycle);
  }

  // A trap from user code: `why` is the handler's span name.
  void end_user(uint64_t cycle, const std::string& why) {
    if (size_t i = find(SpanKind::user); i != kNone) end(i, cycle, {{"ended", why}});
  }

  // The innermost open span of `kind` on `lock` (0 for a handler or user code).
  size_t find(SpanKind kind, uint32_t lock = 0) const {
    for (size_t i = stack_.size(); i-- > 0;)
      if (stack_[i].kind == kind && stack_[i].lock == lock) return i;
    return kNone;
  }

  // The spin of the current handler depth (the monitor's per-context spin)
  // ends: acquired when `lock` is the one it spun on, else `why`.
  void end_spin(uint64_t cycle, uint32_t lock, const char* why) {
    for (size_t i = stack_.size(); i-- > 0;)
      if (stack_[i].kind == SpanKind::wait && stack_[i].frame == depth_) {
        bool got = lock != 0 && stack_[i].lock == lock;
        end(i, cycle, {{"ended", got ? "acquired" : why}});
        return;
      }
  }

  Json lock_args(const Event& e) const {
    Json a = {{"lock", names_.lock_name(e.lock)},
              {"addr", fmt::format("{:#010x}", e.lock)},
              {"cycle", e.cycle},
              {"context", to_string(e.context)},
              {"mie", e.interrupts_enabled}};
    if (e.thread >= 0) a["thread"] = thread_label(names_.thread_ref(e.thread));
    add_site(a, "at", e.pc, e.ra);
    return a;
  }

  void add_site(Json& a, const std::string& key, uint32_t pc, uint32_t ra) const { add_site(a, key, names_.site(pc, ra)); }

  static void add_site(Json& a, const std::string& key, const Site& s) {
    a[key] = s.where;
    if (!s.line.empty()) a[key + "_line"] = s.line;
    // "at" calls it "called_from"; "released_at" "released_at_called_from"
    // (a slice's end args join its begin args: no key may clash).
    if (!s.caller.empty()) {
      std::string c = key == "at" ? "called_from" : key + "_called_from";
      a[c] = s.caller;
      if (!s.caller_line.empty()) a[c + "_line"] = s.caller_line;
    }
  }

  void begin(Span s, uint64_t cycle) {
    s.since = cycle;
    write_begin(s, s.args, cycle);
    stack_.push_back(std::move(s));
  }

  // Ends stack_[i] at `cycle` with `args`. The spans above it end there too
  // and begin again at the same cycle, as continued pieces: the spans of a
  // track must nest.
  void end(size_t i, uint64_t cycle, Json args) {
    std::vector<Span> above(std::make_move_iterator(stack_.begin() + static_cast<ptrdiff_t>(i) + 1),
                            std::make_move_iterator(stack_.end()));
    for (size_t j = above.size(); j-- > 0;) write_end(above[j], cycle, {{"continues", true}});
    Json done = {{"end_cycle", cycle}, {"cycles", cycle - stack_[i].since}};
    for (auto& [k, v] : args.items()) done[k] = v;
    write_end(stack_[i], cycle, std::move(done));
    stack_.resize(i);
    for (Span& s : above) {
      Json a = s.args;
      a["continued"] = true;
      write_begin(s, a, cycle);
      stack_.push_back(std::move(s));
    }
  }

  void write_begin(const Span& s, const Json& args, uint64_t cycle) {
    write(Json{{"name", s.name},
               {"cat", category(s.kind)},
               {"ph", "B"},
               {"ts", ts(cycle)},
               {"pid", kPid},
               {"tid", hart_},
               {"args", args}});
  }

  void write_end(const Span& s, uint64_t cycle, Json args) {
    write(Json{{"name", s.name},
               {"cat", category(s.kind)},
               {"ph", "E"},
               {"ts", ts(cycle)},
               {"pid", kPid},
               {"tid", hart_},
               {"args", std::move(args)}});
  }

  // Simulated microseconds, the format's unit. Monotonic in the cycle, so
  // spans that nest in cycles nest in ts.
  double ts(uint64_t cycle) const {
    return static_cast<double>(static_cast<long double>(cycle) * 1e6L / static_cast<long double>(clock_hz_));
  }

  void write(const Json& j) {
    out_ << (first_ ? "\n" : ",\n") << j.dump();
    first_ = false;
  }

  const Monitor& names_;
  unsigned hart_;
  uint64_t clock_hz_;
  std::ostream& out_;
  bool& first_;
  std::vector<Span> stack_;
  size_t depth_ = 0;  // handlers entered and not returned from
};

}  // namespace

std::string handler_span_name(uint32_t mcause) {
  uint32_t code = mcause & ~isa::kInterruptFlag;
  if (mcause & isa::kInterruptFlag) {
    return words::interrupt(code, 0);
  }
  const char* slug = isa::exception_name(code).slug;
  return slug ? fmt::format("exception:{}", slug) : fmt::format("exception:{}", code);
}

Timeline::Timeline(const Monitor& names, TimelineOptions options) : names_(names), options_(std::move(options)) {}

void Timeline::write(std::ostream& out, uint64_t final_cycle, const std::vector<Finding>& findings) const {
  // Each hart's items in cycle order; among equal cycles, in the order told
  // (findings after the events of their cycle).
  std::vector<std::vector<Item>> tracks(options_.harts);
  uint64_t last = final_cycle;
  size_t seq = 0;
  auto put = [&](unsigned hart, Item it) {
    if (hart >= tracks.size()) tracks.resize(hart + 1);
    last = std::max(last, it.cycle);
    it.seq = seq++;
    tracks[hart].push_back(it);
  };
  for (const Event& e : events_) put(e.hart, {e.cycle, 0, &e, nullptr, 0});
  for (const Finding& f : findings) {
    put(f.hart, {f.cycle, 0, nullptr, &f, 0});
    if (f.kind == FindingKind::release_not_held && !f.holds.empty() && f.lock.addr != 0)
      put(f.holds[0].hart, {f.cycle, 0, nullptr, &f, f.lock.addr});
  }
  for (auto& t : tracks)
    std::stable_sort(t.begin(), t.end(), [](const Item& a, const Item& b) { return a.cycle < b.cycle; });

  Json other = {{"generator", "spinlab"},
                {"clock_hz", options_.clock_hz},
                {"final_cycle", last},
                {"ts_unit", "microseconds of simulated time: ts = cycle / clock_hz * 1e6; args.cycle is the cycle"}};
  out << "{\"displayTimeUnit\":\"ns\",\"otherData\":" << other.dump() << ",\"traceEvents\":[";
  bool first = true;
  auto meta = [&](const char* name, int tid, Json args) {
    Json j = {{"name", name}, {"ph", "M"}, {"pid", kPid}};
    if (tid >= 0) j["tid"] = tid;
    j["args"] = std::move(args);
    out << (first ? "\n" : ",\n") << j.dump();
    first = false;
  };
  meta("process_name", -1, {{"name", options_.title}});
  for (unsigned h = 0; h < tracks.size(); ++h) {
    meta("thread_name", static_cast<int>(h), {{"name", fmt::format("hart{}", h)}});
    meta("thread_sort_index", static_cast<int>(h), {{"sort_index", h}});
  }
  for (unsigned h = 0; h < tracks.size(); ++h) {
    TrackWriter w(names_, h, options_.clock_hz, out, first);
    for (const Item& it : tracks[h]) w.item(it);
    w.finish(last);
  }
  out << "\n]}\n";
}

void Timeline::write_file(uint64_t final_cycle, const std::vector<Finding>& findings) const {
  std::ostringstream out;
  write(out, final_cycle, findings);
  write_whole_file(options_.path, out.str(), "timeline");
}

}  // namespace spinlab

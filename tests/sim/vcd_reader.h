// A small VCD reader for tests (vcd_test.cpp, the monitor's whole runs):
// declarations and every value change, so that assertions are about signals
// and values, not text layout.
#pragma once

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sim/testutil.h"

namespace spinlab {
namespace test {

// A parsed VCD: declarations and every value change.
struct Change {
  uint64_t time;
  uint64_t value;
};
struct Vcd {
  std::string timescale;
  std::string text;
  std::map<std::string, std::string> id_of;  // "hart0.pc" -> "!"
  std::map<std::string, unsigned> width_of;  // "hart0.pc" -> 32
  std::map<std::string, std::vector<Change>> changes_by_id;
  std::vector<uint64_t> times;  // every #time, in file order

  const std::vector<Change>& changes(const std::string& name) const {
    static const std::vector<Change> none;
    auto id = id_of.find(name);
    if (id == id_of.end()) {
      ADD_FAILURE() << "no signal " << name;
      return none;
    }
    auto c = changes_by_id.find(id->second);
    return c == changes_by_id.end() ? none : c->second;
  }
  // The value of `name` at `time`.
  uint64_t at(const std::string& name, uint64_t time) const {
    uint64_t v = 0;
    for (const Change& c : changes(name))
      if (c.time <= time) v = c.value;
    return v;
  }
};

inline Vcd read_vcd(const std::string& path) {
  std::vector<char> bytes = read_bytes(path);
  Vcd vcd;
  vcd.text.assign(bytes.begin(), bytes.end());
  std::istringstream in(vcd.text);
  std::vector<std::string> scope;
  std::string tok;
  bool body = false;
  uint64_t time = 0;
  while (in >> tok) {
    if (!body) {
      if (tok == "$scope") {
        std::string kind, name;
        in >> kind >> name >> tok;
        scope.push_back(name);
      } else if (tok == "$upscope") {
        in >> tok;
        scope.pop_back();
      } else if (tok == "$var") {
        std::string type, id, name;
        unsigned width = 0;
        in >> type >> width >> id >> name >> tok;
        if (tok != "$end") in >> tok;  // [31:0]
        std::string full;
        for (const std::string& s : scope) full += s + ".";
        vcd.id_of[full + name] = id;
        vcd.width_of[full + name] = width;
      } else if (tok == "$timescale") {
        std::string n, unit;
        in >> n >> unit >> tok;
        vcd.timescale = n + " " + unit;
      } else if (tok == "$enddefinitions") {
        in >> tok;
        body = true;
      } else if (tok[0] == '$') {
        while (in >> tok && tok != "$end") {
        }
      }
      continue;
    }
    if (tok == "$dumpvars" || tok == "$end") continue;
    if (tok[0] == '#') {
      time = std::stoull(tok.substr(1));
      vcd.times.push_back(time);
    } else if (tok[0] == 'b') {
      std::string id;
      in >> id;
      vcd.changes_by_id[id].push_back({time, std::stoull(tok.substr(1), nullptr, 2)});
    } else {
      vcd.changes_by_id[tok.substr(1)].push_back({time, uint64_t(tok[0] - '0')});
    }
  }
  return vcd;
}

}  // namespace test
}  // namespace spinlab

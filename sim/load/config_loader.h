// The config loader: reads a parsed config file and --set overrides
// against the key table (sim/load/config_table.h) into a Config. Private to
// sim/load/config*.cpp; sim/load/config.h is the public face.
#pragma once

#include <vector>

#include <toml++/toml.h>

#include "sim/load/config.h"
#include "sim/load/config_schema.h"

namespace spinlab::config_table {

// Reads every key of `root` (a config file parsed from `file`; nullptr for
// an ELF run directly, which has no file) and then each --set of
// `overrides`, in order, into `config`; then checks what needs every source
// read: required keys (in a file), the files keys name, a key bounded by
// another, the rules across an array of tables' element, firmware params
// against their declared ranges. Throws spinlab::Error at the value's place.
void load_into(Config& config, const toml::table* root, const Source& file, const std::vector<Override>& overrides);

}  // namespace spinlab::config_table

// The table of config keys (private to sim/load/config*.cpp): every row
// (rows()) and the tables they make. What a row is, and the builders that
// declare one, are the schema framework (sim/load/config_schema.h);
// sim/load/config_loader.cpp reads files and --set overrides against it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/load/config_schema.h"

namespace spinlab::config_table {

// Every key, in the order docs/config.md lists them.
const std::vector<Row>& rows();
// The row of a top-level key ("machine.harts"), or nullptr.
const Row* find_row(std::string_view key);
// Every table name ("machine", "machine.latency", ...), and what is in one.
const std::vector<std::string>& tables();
bool is_table(std::string_view name);
std::vector<std::string> children_of(std::string_view table);

}  // namespace spinlab::config_table

#pragma once
// The crash tables built into osharness: formats/<os>.json, embedded by CMake
// (crash_tables_data.cpp.in).
#include <span>
#include <string>
#include <string_view>

namespace osh::oslog {

struct CrashTableData {
  std::string os;
  std::string_view origin;  // the table's source file, for messages
  std::string_view json;
};

std::span<const CrashTableData> builtin_crash_tables();

}  // namespace osh::oslog

// Run by the build: every built-in crash table (formats/<os>.json) parsed with all its regular
// expressions compiled, so that a bad one fails the build with an error naming the file and the
// field. At run time osharness compiles each only when it is first used (crash_table.h).
#include <cstdio>
#include <string>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/oslog/crash_table.h"
#include "harness/oslog/crash_tables_data.h"

int main() {
  using osh::oslog::CrashTable;
  for (const auto& data : osh::oslog::builtin_crash_tables()) {
    const std::string origin(data.origin);
    try {
      CrashTable::parse(osh::parse_json(data.json, origin), origin, CrashTable::Compile::AtLoad);
    } catch (const osh::InputError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      return 1;
    }
  }
  return 0;
}

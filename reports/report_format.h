#pragma once
// Numbers and times as every report writes them: locale-independent and deterministic, so
// that `osharness report` regenerates byte-identical files.
#include <cstdint>
#include <string>

namespace osh::reports {

// `v` with `decimals` digits after the point ("41.3"); "NaN", "inf", "-inf" as such.
std::string fixed(double v, int decimals);

// A measured value, short and exact enough for a table: integers as such ("4831838"), other
// values with 6 significant digits ("41.25", "0.000123", "1.5e+20").
std::string number(double v);

// `unix_ms` as UTC, formatted by strftime `format` ("%Y-%m-%dT%H:%M:%S").
std::string utc_time(int64_t unix_ms, const char* format);

// A duration for people: "850 ms", "12.4 s", "3 min 07 s", "2 h 05 min".
std::string human_duration(double ms);

}  // namespace osh::reports

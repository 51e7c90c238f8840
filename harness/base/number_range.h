#pragma once
// The allowed range of a number a user gives osharness — a spec field or a command-line option —
// checked in one place, so that every option says its range the same way and no value reaches
// a conversion it overflows (a deadline of 1e308 s in int64 nanoseconds).
#include <optional>
#include <string>
#include <string_view>

namespace osh {

// Every duration osharness reads (timeouts, fault schedules) is at most this many seconds
// (about 115 days): three times it (a limit plus the watchdog's extension) still fits in int64
// nanoseconds.
inline constexpr double kMaxDurationS = 1e7;

struct NumberRange {
  // long double holds every 64-bit integer exactly, so one type serves seeds and seconds.
  long double min = 0;
  long double max = 0;
  bool min_exclusive = false;  // (0, max]: a duration of 0 is no limit
  bool integer = false;
  std::string unit;  // "seconds", or "" for a plain count

  bool contains(long double value) const;
  // "an integer between 0 and 255", "a number of seconds above 0 and at most 10000000"
  std::string describe() const;
};

// A duration that must be positive: (0, kMaxDurationS] seconds.
NumberRange positive_seconds();
// A duration that may be 0: [0, kMaxDurationS] seconds.
NumberRange non_negative_seconds();
NumberRange integer_range(long double min, long double max);

// nullopt when `text` is a number inside `range` (integers in decimal digits only), else the
// problem: "must be an integer between 0 and 18446744073709551615, got \"-1\"".
std::optional<std::string> number_text_problem(std::string_view text, const NumberRange& range);

}  // namespace osh

#include "harness/base/number_range.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "harness/base/escape.h"

namespace osh {
namespace {

std::string number_text(long double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.21Lg", v);
  return text;
}

bool all_digits(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool NumberRange::contains(long double value) const {
  if (!std::isfinite(value)) return false;
  if (integer && value != std::floor(value)) return false;
  return (min_exclusive ? value > min : value >= min) && value <= max;
}

std::string NumberRange::describe() const {
  const std::string what = integer        ? "an integer"
                           : unit.empty() ? "a number"
                                          : "a number of " + unit;
  if (min_exclusive)
    return what + " above " + number_text(min) + " and at most " + number_text(max);
  return what + " between " + number_text(min) + " and " + number_text(max);
}

NumberRange positive_seconds() { return {0, kMaxDurationS, true, false, "seconds"}; }
NumberRange non_negative_seconds() { return {0, kMaxDurationS, false, false, "seconds"}; }
NumberRange integer_range(long double min, long double max) { return {min, max, false, true, ""}; }

std::optional<std::string> number_text_problem(std::string_view text, const NumberRange& range) {
  const std::string copy(text);
  char* end = nullptr;
  const long double value = std::strtold(copy.c_str(), &end);
  const bool parsed =
      !copy.empty() && end == copy.c_str() + copy.size() && (!range.integer || all_digits(text));
  if (parsed && range.contains(value)) return std::nullopt;
  return "must be " + range.describe() + ", got \"" + escape_text(text) + "\"";
}

}  // namespace osh

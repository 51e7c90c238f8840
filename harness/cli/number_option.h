#pragma once
// A CLI11 check for a numeric option: the text must be a number inside the range, by the same
// rule (harness/base/number_range.h) as the spec field the option stands for. It runs on the text,
// before CLI11 converts it, so "-1" never wraps into an unsigned option.
#include <CLI/CLI.hpp>

#include "harness/base/number_range.h"

namespace osh::cli {

inline CLI::Validator in_range(const NumberRange& range) {
  return CLI::Validator(
      [range](std::string& text) { return number_text_problem(text, range).value_or(""); },
      range.describe());
}

}  // namespace osh::cli

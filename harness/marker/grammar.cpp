#include "harness/marker/grammar.h"

#include <algorithm>

namespace osh::marker::grammar {

bool is_prefix(std::string_view s) {
  return !s.empty() && is_upper(s[0]) &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_upper(c) || is_digit(c); });
}

bool is_name(std::string_view s) {
  return !s.empty() && is_upper(s[0]) && std::all_of(s.begin(), s.end(), is_name_char);
}

bool is_field_text(std::string_view s) { return std::all_of(s.begin(), s.end(), is_field_char); }

}  // namespace osh::marker::grammar

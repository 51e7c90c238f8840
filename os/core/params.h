#pragma once
// Scenario parameters: each scenario declares its `key=value` parameters (unsigned integers with
// a range and a default, one word of a fixed set, or a short list of small integers); a request's
// parameters are checked against that declaration. Every value ends up as one u64.
#include <stddef.h>
#include <stdint.h>

#include "os/core/cmdline.h"
#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos {

enum class ParamKind : uint8_t {
  kU64,     // an integer in [min, max]
  kChoice,  // one of `choices`, stored as its index (min and max unused)
  kList,    // 1..kMaxListItems integers in [min, max] (max <= kMaxListItem) separated by ',',
            // stored packed (list_size, list_item)
};

inline constexpr size_t kMaxListItems = 8;
inline constexpr uint64_t kMaxListItem = 254;

struct ParamSpec {
  StringView name;
  uint64_t min;
  uint64_t max;
  uint64_t default_value;
  ParamKind kind = ParamKind::kU64;
  const StringView* choices = nullptr;
  size_t choice_count = 0;
};

// A list value: byte i holds item i + 1, and a zero byte ends the list, so that a list fits the
// u64 every parameter is.
template <size_t N>
constexpr uint64_t list_param(const uint8_t (&items)[N]) {
  static_assert(N >= 1 && N <= kMaxListItems);
  uint64_t packed = 0;
  for (size_t i = 0; i < N; ++i) packed |= uint64_t{static_cast<uint8_t>(items[i] + 1)} << (8 * i);
  return packed;
}
constexpr size_t list_size(uint64_t packed) {
  size_t n = 0;
  while (n < kMaxListItems && ((packed >> (8 * n)) & 0xff) != 0) ++n;
  return n;
}
constexpr uint64_t list_item(uint64_t packed, size_t i) { return ((packed >> (8 * i)) & 0xff) - 1; }

// Fills values[i] for specs[i] from `given`, or with the default. An unknown key, a value that
// is not a u64 or one outside [min, max] is an error (returns false, reason in `error`).
bool resolve_params(const ParamSpec* specs, size_t spec_count, const Param* given,
                    size_t given_count, uint64_t* values, TextBuffer& error);

}  // namespace rayos

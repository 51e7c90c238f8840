#pragma once
// Scenario parameters: each scenario declares its `key=value` parameters (all unsigned integers
// with a range and a default); a request's parameters are checked against that declaration.
#include <stddef.h>
#include <stdint.h>

#include "os/core/cmdline.h"
#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos {

struct ParamSpec {
  StringView name;
  uint64_t min;
  uint64_t max;
  uint64_t default_value;
};

// Fills values[i] for specs[i] from `given`, or with the default. An unknown key, a value that
// is not a u64 or one outside [min, max] is an error (returns false, reason in `error`).
bool resolve_params(const ParamSpec* specs, size_t spec_count, const Param* given,
                    size_t given_count, uint64_t* values, TextBuffer& error);

}  // namespace rayos

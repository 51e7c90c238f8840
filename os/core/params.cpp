#include "os/core/params.h"

#include "os/core/format.h"

namespace rayos {

bool resolve_params(const ParamSpec* specs, size_t spec_count, const Param* given,
                    size_t given_count, uint64_t* values, TextBuffer& error) {
  for (size_t i = 0; i < spec_count; ++i) values[i] = specs[i].default_value;
  for (size_t g = 0; g < given_count; ++g) {
    const Param& param = given[g];
    size_t i = 0;
    while (i < spec_count && !(specs[i].name == param.key)) ++i;
    if (i == spec_count) {
      error.add("unknown_parameter=").add(param.key);
      if (spec_count == 0)
        error.add("(this_scenario_takes_none)");
      else {
        error.add("(expected");
        for (size_t k = 0; k < spec_count; ++k) error.add("_").add(specs[k].name);
        error.add(")");
      }
      return false;
    }
    uint64_t value = 0;
    if (!parse_u64(param.value, value)) {
      error.add(param.key).add("_is_not_a_u64=").add(param.value);
      return false;
    }
    if (value < specs[i].min || value > specs[i].max) {
      error.add(param.key)
          .add("=")
          .add(value)
          .add("_is_outside_")
          .add(specs[i].min)
          .add("..")
          .add(specs[i].max);
      return false;
    }
    values[i] = value;
  }
  return true;
}

}  // namespace rayos

#include "os/core/params.h"

#include "os/core/format.h"

namespace rayos {
namespace {

bool parse_choice(const ParamSpec& spec, StringView text, uint64_t& value, TextBuffer& error) {
  for (size_t c = 0; c < spec.choice_count; ++c) {
    if (spec.choices[c] == text) {
      value = c;
      return true;
    }
  }
  error.add(spec.name).add("=").add(text).add("_is_not_one_of");
  for (size_t c = 0; c < spec.choice_count; ++c) error.add(c ? "|" : "_").add(spec.choices[c]);
  return false;
}

bool parse_list(const ParamSpec& spec, StringView text, uint64_t& packed, TextBuffer& error) {
  packed = 0;
  size_t count = 0;
  size_t pos = 0;
  for (;;) {
    size_t comma = text.find(',', pos);
    const StringView item =
        text.substr(pos, comma == StringView::npos ? StringView::npos : comma - pos);
    uint64_t value = 0;
    if (!parse_u64(item, value)) {
      error.add(spec.name).add("_item_is_not_a_u64=").add(item);
      return false;
    }
    if (value < spec.min || value > spec.max || value > kMaxListItem) {
      error.add(spec.name)
          .add("_item_")
          .add(value)
          .add("_is_outside_")
          .add(spec.min)
          .add("..")
          .add(spec.max < kMaxListItem ? spec.max : kMaxListItem);
      return false;
    }
    if (count == kMaxListItems) {
      error.add(spec.name).add("_has_more_than_").add(uint64_t{kMaxListItems}).add("_items");
      return false;
    }
    packed |= (value + 1) << (8 * count++);
    if (comma == StringView::npos) return true;
    pos = comma + 1;
  }
}

}  // namespace

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
    if (specs[i].kind == ParamKind::kChoice) {
      if (!parse_choice(specs[i], param.value, value, error)) return false;
      values[i] = value;
      continue;
    }
    if (specs[i].kind == ParamKind::kList) {
      if (!parse_list(specs[i], param.value, value, error)) return false;
      values[i] = value;
      continue;
    }
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

#pragma once
// One marker as the observers see it. Zero-copy: the views point into the parser's line
// buffer and live only for the duration of the observer callback; copy what you keep.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "harness/marker/schema.h"

namespace osh::marker {

struct FieldValue {
  enum class Kind : uint8_t { Unsigned, Signed, Float, Text };
  Kind kind = Kind::Text;
  uint64_t u = 0;
  int64_t i = 0;
  double f = 0;
  std::string_view text;  // always set: the field exactly as printed

  // Numeric value of any numeric kind (Text: NaN).
  double number() const;
};

struct MarkerEvent {
  uint64_t line_no = 0;       // 1-based line number in the console log
  int64_t host_ns = 0;        // host CLOCK_MONOTONIC when the line's end arrived
  std::string_view category;  // "SOAK"
  std::string_view event;     // "METRICS_SNAPSHOT"
  std::span<const FieldValue> fields;
  std::optional<uint64_t> seq;
  std::string_view raw;              // the whole line as received, without its EOL
  const MarkerSpec* spec = nullptr;  // null for unknown markers of a permissive schema

  bool is(std::string_view cat, std::string_view ev) const {
    return category == cat && event == ev;
  }
  // The field named `name` in the schema (null when absent or schema-less).
  const FieldValue* field(std::string_view name) const;
};

}  // namespace osh::marker

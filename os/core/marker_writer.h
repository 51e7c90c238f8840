#pragma once
// Formats one marker line, `RAYOS_<CAT>:<EVENT>[:<field>]... #<seq>*<crc>\n`, into a fixed
// buffer (docs/schema.md "Wire format"). Field bytes that the grammar forbids are replaced by '_'
// so that no value, however it was produced, can make the guest print a malformed marker.
#include <stddef.h>
#include <stdint.h>

#include "os/core/format.h"
#include "os/core/marker_def.h"
#include "os/core/string_view.h"

namespace rayos {

class MarkerWriter {
 public:
  // Longest line produced, "\n" included; fields are cut to keep the trailer.
  static constexpr size_t kCapacity = 192;

  MarkerWriter(StringView category, StringView event);
  explicit MarkerWriter(const MarkerDef& def) : MarkerWriter(def.category, def.event) {}

  MarkerWriter& field(StringView text);
  MarkerWriter& field(uint64_t value);
  MarkerWriter& field(Hex value);

  // The line so far: prefix up to the last field, the bytes the CRC covers.
  StringView body() const { return StringView(buf_, len_); }
  size_t field_count() const { return fields_; }
  // True when a field had to be cut to fit kCapacity.
  bool truncated() const { return truncated_; }

  // Appends " #<seq>*<crc>\n" and returns the whole line. Call once.
  StringView finish(uint64_t seq);

 private:
  // Room kept for " #" + 20 digits + "*" + 8 hex digits + "\n".
  static constexpr size_t kTrailerReserve = 32;

  void append_sanitised(StringView text, bool name);

  char buf_[kCapacity];
  size_t len_ = 0;
  size_t fields_ = 0;
  bool truncated_ = false;
};

// The replacement rules, exposed for the tests and for the garbage scenario.
bool is_field_char(char c);
bool is_name_char(char c);

}  // namespace rayos

#pragma once
// Classification of one console line (DESIGN §4): where a marker starts, its grammar, its
// " #seq*crc" suffix and its fields against the schema. No sequence bookkeeping (MarkerStream
// does that) and no allocation for valid markers or noise: views point into the line.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/marker/marker_event.h"
#include "harness/marker/schema.h"
#include "harness/marker/stream_types.h"

namespace osh::marker {

struct LineResult {
  LineKind kind = LineKind::Noise;
  std::string_view category, event;
  const MarkerSpec* spec = nullptr;
  std::optional<uint64_t> seq;
  // The seq can be believed: its CRC matched, or the marker carries no CRC to check.
  bool seq_trusted = false;
  bool boot_start = false;  // a BOOT:START whose bytes are not known to be corrupt
};

// A line takes one of two ways. Nearly every marker a guest prints is valid and ends in
// " #<seq>*<crc>": accept() proves such a line valid in one pass over its bytes (CRC, a vector
// scan of the body, the name looked up, typed fields) or gives up. Everything else, and every
// line it gives up on, takes the precise way, which finds the first problem and words it. The
// precise way alone defines the grammar: accept() takes only lines it would call valid, with
// the same result and fields (checked by a unit test and the fuzz target).
class LineParser {
 public:
  // `fast` false: every line takes the precise way (tests compare the two).
  LineParser(const Schema& schema, const StreamOptions& options, bool fast = true);

  // `line` without its EOL. The result, fields() and reason() stay valid until the next call.
  // `from`: no "<prefix>_" occurs before this offset (the caller searched already).
  const LineResult& parse(std::string_view line, size_t from = 0);
  std::span<const FieldValue> fields() const { return {fields_.data(), field_count_}; }
  const std::string& reason() const { return reason_; }

  // "<prefix>_": a line without it is noise.
  std::string_view key() const { return key_; }

 private:
  // Offset of the first marker attempt in `line` ("<prefix>_" and an uppercase letter at a
  // marker start position) at or after `from`, or npos.
  size_t find_marker(std::string_view line, size_t from) const;
  bool key_starts(std::string_view line, size_t pos) const;
  // The fast way for the marker starting `line` at `start`; false leaves result_ and fields_
  // to the precise way.
  bool accept(std::string_view line, size_t start);
  // The precise way; `start` as find_marker gave it.
  const LineResult& classify(std::string_view line, size_t start);
  LineResult& malformed(LineResult& result, std::string reason);
  // The next field, value-initialised.
  FieldValue& add_field() {
    if (field_count_ == fields_.size()) fields_.emplace_back();
    return fields_[field_count_++] = FieldValue{};
  }
  // Each returns false after setting result.kind (Malformed) and reason_.
  bool parse_body(std::string_view body, LineResult& result);
  bool check_fields(LineResult& result);
  std::string field_label(const LineResult& result, size_t i) const;

  const Schema& schema_;
  StreamOptions options_;
  bool fast_;
  std::string key_;                       // "<prefix>_"
  uint64_t key_word_ = 0, key_mask_ = 0;  // its first 8 bytes, to compare it in one step
  const MarkerSpec* boot_start_;          // BOOT:START's spec, or null
  LineResult result_;
  std::vector<FieldValue> fields_;  // only grows: the first field_count_ are this line's
  size_t field_count_ = 0;
  std::string reason_;
};

}  // namespace osh::marker

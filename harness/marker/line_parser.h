#pragma once
// Classification of one console line (docs/schema.md, "How a console is read"): where a marker
// starts, its grammar, its " #seq*crc" suffix and its fields against the schema. No sequence
// bookkeeping (MarkerStream does that) and no allocation for valid markers or noise: views point
// into the line.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/marker/marker_event.h"
#include "harness/marker/schema.h"
#include "harness/marker/stream_types.h"

namespace osh::marker {

struct LineResult {
  LineKind kind = LineKind::Noise;
  std::string_view marker;  // from the prefix's first byte to the end of the line
  std::string_view category, event;
  const MarkerSpec* spec = nullptr;
  std::optional<uint64_t> seq;
  // The seq can be believed: its CRC matched, or the marker carries no CRC to check.
  bool seq_trusted = false;
  bool has_crc = false;
  bool boot_start = false;  // a BOOT:START whose bytes are not known to be corrupt
};

// The schema-free part of a line's classification: where its marker starts, its
// " #seq*crc" suffix and both CRCs.
struct MarkerFrame {
  size_t start = std::string_view::npos;  // offset of the prefix in the line; npos: noise
  size_t hash = std::string_view::npos;   // offset of " #" in the marker; npos: no suffix
  bool suffix_ok = false;
  bool has_crc = false;
  uint64_t seq = 0;
  uint32_t printed_crc = 0;
  uint32_t computed_crc = 0;
};

class LineParser {
 public:
  LineParser(const Schema& schema, const StreamOptions& options);

  // `line` without its EOL. The result, fields() and reason() stay valid until the next call.
  // `from`: no "<prefix>_" occurs before this offset (the caller searched already).
  const LineResult& parse(std::string_view line, size_t from = 0) {
    return parse(line, frame(line, from));
  }
  // The same with the frame already worked out (by frame()).
  const LineResult& parse(std::string_view line, const MarkerFrame& frame);
  MarkerFrame frame(std::string_view line, size_t from = 0) const;
  const std::vector<FieldValue>& fields() const { return fields_; }
  const std::string& reason() const { return reason_; }

  // Offset of the first marker attempt in `line` ("<prefix>_" and an uppercase letter at a
  // marker start position) at or after `from`, or npos.
  size_t find_marker(std::string_view line, size_t from = 0) const;
  // "<prefix>_": a line without it is noise.
  std::string_view key() const { return key_; }

 private:
  LineResult& malformed(LineResult& result, std::string reason);
  // Each returns false after setting result.kind (Malformed) and reason_.
  bool parse_body(std::string_view body, LineResult& result);
  bool check_fields(LineResult& result);
  std::string field_label(const LineResult& result, size_t i) const;

  const Schema& schema_;
  StreamOptions options_;
  std::string key_;  // "<prefix>_"
  LineResult result_;
  std::vector<FieldValue> fields_;
  std::string reason_;
};

}  // namespace osh::marker

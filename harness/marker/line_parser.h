#pragma once
// Classification of one console line (docs/schema.md, "How a console is read"): where a marker
// starts, its grammar, its " #seq*crc" suffix and its fields against the schema. No sequence
// bookkeeping (MarkerStream does that) and no allocation for valid markers or noise: views point
// into the line.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/marker/crc32c_fast.h"
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

  // `line` without its EOL; `from`: no "<prefix>_" occurs before this offset (the caller
  // searched already). Writes `result` and appends the marker's fields to `fields` (as far as
  // they were parsed when the marker is malformed). reason() stays valid until the next call.
  // Into the caller's storage: copying a result just written member by member stalls the CPU
  // (its wide loads cannot take the data from the narrow stores still in flight).
  void parse(std::string_view line, size_t from, LineResult& result,
             std::vector<FieldValue>& fields);
  // The same into the parser's own result and fields(), valid until the next call.
  const LineResult& parse(std::string_view line, size_t from = 0) {
    fields_.clear();
    parse(line, from, result_, fields_);
    return result_;
  }
  // The same for a caller with no use for the fields' values: checked as parse() checks them,
  // not kept (fields() is left undefined). `osharness parse` keeps no marker's fields: storing
  // them took 5% of its instructions on the 30% log (docs/performance.md).
  void check(std::string_view line, size_t from, LineResult& result);
  std::span<const FieldValue> fields() const { return fields_; }
  const std::string& reason() const { return reason_; }

  // "<prefix>_": a line without it is noise.
  std::string_view key() const { return key_; }

 private:
  // Offset of the first marker attempt in `line` ("<prefix>_" and an uppercase letter at a
  // marker start position) at or after `from`, or npos. Sets stray_key_.
  size_t find_marker(std::string_view line, size_t from);
  bool key_starts(std::string_view line, size_t pos) const;
  // The fast way for the marker starting `line` at `start`; false leaves `result` and `fields`
  // to the precise way. kKeepFields false: the fields are checked, `fields` is not touched.
  template <bool kKeepFields>
  bool accept(std::string_view line, size_t start, LineResult& result,
              std::vector<FieldValue>& fields);
  // accept()'s body and fields for check(), when the marker's key and body (`hash` bytes from
  // `m`) fit one 64-byte register and the CPU has AVX-512BW (and BMI2): bit masks of the bytes'
  // classes, and each field a test of its bits, not a call per field.
  bool accept_short(const char* m, size_t hash, uint64_t seq, LineResult& result);
  // The spec of the marker whose name is m[key, name_end), if it takes `count` fields.
  const MarkerSpec* spec_taking(const char* m, size_t name_end, size_t count) const;
  // Fills `result` for a marker accept() or accept_short() took.
  void accepted(const char* m, size_t first_colon, size_t name_end, const MarkerSpec* spec,
                uint64_t seq, LineResult& result);
  // The precise way, glued boots included, with the fields appended to `fields`.
  void classify_precisely(std::string_view line, size_t start, LineResult& result,
                          std::vector<FieldValue>& fields);
  // The precise way; `start` as find_marker gave it. Its fields go to out_ (from first_ on).
  void classify(std::string_view line, size_t start, LineResult& result);
  // classify() on a line that is not a valid marker from `start`, and whose last
  // "<prefix>_BOOT:START" after `start` (or anywhere when `start` is npos) is one, with a
  // matching CRC: the guest reset mid-line and its new boot's first marker follows the cut text.
  void classify_glued_boot(std::string_view line, size_t start, LineResult& result);
  LineResult& malformed(LineResult& result, std::string reason);
  std::span<FieldValue> parsed_fields() { return {out_->data() + first_, out_->size() - first_}; }
  // Each returns false after setting result.kind (Malformed) and reason_.
  bool parse_body(std::string_view body, LineResult& result);
  bool check_fields(LineResult& result);
  std::string field_label(const LineResult& result, size_t i) const;

  const Schema& schema_;
  StreamOptions options_;
  bool fast_;
  std::string key_;                       // "<prefix>_"
  std::string boot_key_;                  // "<prefix>_BOOT:START"
  uint64_t key_word_ = 0, key_mask_ = 0;  // its first 8 bytes, to compare it in one step
  const MarkerSpec* boot_start_;          // BOOT:START's spec, or null
  Crc32cFunction crc32c_;                 // fastest_crc32c(), kept for accept()
  LineResult result_;
  std::vector<FieldValue> fields_;
  std::vector<FieldValue>* out_ = nullptr;  // where the current parse appends fields
  size_t first_ = 0;                        // the current line's first field in *out_
  std::string reason_;
  bool crc_checked_ = false;  // the last classify() found a CRC and it matched
  bool stray_key_ = false;    // find_marker() passed a "<prefix>_" not at a start position
};

}  // namespace osh::marker

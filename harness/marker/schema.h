#pragma once
// The schema of a guest's markers: which category:event pairs exist, and the name, type and
// unit of each field. Loaded from JSON (os/rayos.schema.json for rayos; docs/schema.md for the
// format). A guest without a schema runs schema-less: every field is a word.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh::marker {

enum class FieldType : uint8_t { U32, U64, I64, F64, Word, Enum, Id };

std::string_view to_string(FieldType type);

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::Word;
  std::vector<std::string> enum_values;  // for FieldType::Enum
  std::string unit;                      // "us", "ms", "KiB", "%", "fps", "ops/s", or empty
};

struct MarkerSpec {
  std::string category;  // "SOAK"
  std::string event;     // "METRICS_SNAPSHOT"
  std::vector<FieldSpec> fields;
  // When set, the marker takes any number (>= 0) of further fields of this spec after `fields`
  // (for example a row of histogram bucket counts).
  std::optional<FieldSpec> rest;
  std::string description;
};

class Schema {
 public:
  // Throws osh::InputError naming the file, the JSON path of the bad field and the problem.
  static Schema load(const std::filesystem::path& path);
  static Schema parse(std::string_view json_text, const std::string& origin);

  // A schema-less schema for `prefix`: any category:event, every field a word.
  static Schema permissive(std::string prefix);

  const std::string& prefix() const { return prefix_; }
  // Markers not in the schema: accepted as all-word markers when true, malformed otherwise.
  bool allows_unknown() const { return allow_unknown_; }
  // The guest always prints " #seq" / "*crc" (rayos does): a marker without them is malformed.
  bool requires_seq() const { return require_seq_; }
  bool requires_crc() const { return require_crc_; }
  const MarkerSpec* find(std::string_view category, std::string_view event) const;
  // The same lookup by "CATEGORY:EVENT" (a view into the marker line: no allocation).
  const MarkerSpec* find(std::string_view category_colon_event) const;
  const std::vector<MarkerSpec>& markers() const { return markers_; }
  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
  std::string prefix_ = "RAYOS";
  bool allow_unknown_ = false;
  bool require_seq_ = false;
  bool require_crc_ = false;
  std::vector<MarkerSpec> markers_;
  // Open addressing over "CATEGORY:EVENT" keys: the parser looks up every marker by a view
  // into its line, without copying or a general-purpose string hash.
  void build_index();
  std::vector<std::string> keys_;  // parallel to markers_
  std::vector<int32_t> slots_;     // markers_ index, or -1; size a power of two
};

}  // namespace osh::marker

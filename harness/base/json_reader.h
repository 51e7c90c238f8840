#pragma once
// Reads a JSON object field by field with errors that name the file and the field path
// ("specs/soak.json: timeouts.idle_s: expected a number, got \"ten\""), and rejects unknown
// keys so that a misspelt field is an error instead of a silently ignored default.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/number_range.h"

namespace osh {

class JsonReader {
 public:
  // `origin` names the file; `path` the object's own path ("" for the document root).
  JsonReader(const nlohmann::json& object, std::string origin, std::string path = "");

  bool has(std::string_view key) const;
  std::string field_path(std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const;

  std::optional<std::string> string(std::string_view key);
  std::optional<double> number(std::string_view key);
  // A number inside `range` (harness/base/number_range.h); the error gives the range.
  std::optional<double> number_in(std::string_view key, const NumberRange& range);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max);
  std::optional<uint64_t> unsigned_integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> strings(std::string_view key);
  // A nested object (nullopt when absent); its reader reports paths below this one.
  std::optional<JsonReader> object(std::string_view key);
  // An array of objects, one reader each with its own path ("findings[2]"); empty when absent.
  std::vector<JsonReader> objects(std::string_view key);
  // Any JSON value (for fields with their own reader), marked as known.
  const nlohmann::json* raw(std::string_view key);

  template <typename T>
  T required(std::optional<T> value, std::string_view key) const {
    if (!value) fail(key, "required field is missing");
    return std::move(*value);
  }

  // Throws if the object has keys that were never asked for.
  void reject_unknown() const;

 private:
  const nlohmann::json* get(std::string_view key, nlohmann::json::value_t expected,
                            const char* expected_name);

  const nlohmann::json& object_;
  std::string origin_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

// Arrays and objects nested deeper than this are refused before parsing: every file osharness
// reads is a few levels deep, and code that walks a value recursively (printing it, comparing
// it) would overflow the stack on tens of thousands of levels.
inline constexpr size_t kMaxJsonDepth = 256;

// The offset of the bracket that opens level kMaxJsonDepth + 1 of `text`, if any.
std::optional<size_t> json_too_deep_at(std::string_view text);
// "arrays and objects nested deeper than 256 levels; ..."
std::string json_too_deep_problem();
// InputError "<origin>:<line>:<column>: invalid JSON: <json_too_deep_problem()>" when `text` is
// nested too deep. For every JSON parser of osharness; parse_json calls it.
void check_json_depth(std::string_view text, const std::string& origin, size_t first_line = 1);

// Parses JSON text; syntax errors become osh::InputError with the origin, line and column.
// `first_line` is the line number of the text's first line in its file (for one-line records).
nlohmann::json parse_json(std::string_view text, const std::string& origin, size_t first_line = 1);
// Reads and parses a file (InputError if unreadable, a folder, or invalid).
nlohmann::json load_json_file(const std::string& path);

// A JSON integer >= 0, whether nlohmann stored it as signed or unsigned.
bool is_non_negative_integer(const nlohmann::json& value);

// A short description of a JSON value for messages: `number 12`, `string "abc"`, an excerpt of at
// most 60 bytes of a large value (written only that far, however large or deep the value).
std::string describe_json(const nlohmann::json& value);

}  // namespace osh

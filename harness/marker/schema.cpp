#include "harness/marker/schema.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"
#include "harness/marker/grammar.h"

namespace osh::marker {
namespace {

using nlohmann::json;

constexpr std::string_view kTypeNames[] = {"u32", "u64", "i64", "f64", "word", "enum", "id"};
constexpr size_t kMaxUnitLength = 16;

std::string in_quotes(std::string_view s) { return "\"" + escape_text_truncated(s, 80) + "\""; }

// Every error names the file and the JSON path of the offending value.
class Loader {
 public:
  explicit Loader(const std::string& origin) : origin_(origin) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(origin_ + ": " + (where.empty() ? "" : where + ": ") + what);
  }

  void expect_keys(const json& object, const std::string& where,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : " ") + std::string(a);
      fail(where.empty() ? key : where + "." + key,
           "unknown key (expected one of " + list + "); check its spelling");
    }
  }

  const json& member(const json& object, const std::string& where, const char* key,
                     json::value_t type, const char* type_name) const {
    const std::string path = where.empty() ? key : where + "." + key;
    const auto it = object.find(key);
    if (it == object.end()) fail(path, std::string("missing (") + type_name + " is required)");
    if (it->type() != type) fail(path, std::string("must be ") + type_name);
    return *it;
  }

  std::string text_member(const json& object, const std::string& where, const char* key) const {
    return member(object, where, key, json::value_t::string, "a string").get<std::string>();
  }

  FieldSpec field(const json& j, const std::string& where) const {
    if (!j.is_object())
      fail(where, "must be an object like {\"name\": \"uptime_ms\", \"type\": \"u64\"}");
    expect_keys(j, where, {"name", "type", "values", "unit", "description"});
    FieldSpec spec;
    spec.name = text_member(j, where, "name");
    if (spec.name.empty() ||
        !std::all_of(spec.name.begin(), spec.name.end(), grammar::is_id_char)) {
      fail(where + ".name",
           "bad field name " + in_quotes(spec.name) + " (use letters, digits, '_', '.' and '-')");
    }
    const std::string type = text_member(j, where, "type");
    const auto* found = std::find(std::begin(kTypeNames), std::end(kTypeNames), type);
    if (found == std::end(kTypeNames)) {
      fail(where + ".type",
           "unknown type " + in_quotes(type) + " (expected one of u32 u64 i64 f64 word enum id)");
    }
    spec.type = static_cast<FieldType>(found - std::begin(kTypeNames));
    if (spec.type == FieldType::Enum) {
      const json& values = member(j, where, "values", json::value_t::array, "an array of strings");
      if (values.empty()) fail(where + ".values", "an enum needs at least one value");
      for (size_t i = 0; i < values.size(); ++i) {
        const std::string path = where + ".values[" + std::to_string(i) + "]";
        if (!values[i].is_string()) fail(path, "must be a string");
        std::string value = values[i].get<std::string>();
        if (value.empty() || !grammar::is_field_text(value)) {
          fail(path, "bad enum value " + in_quotes(value) +
                         " (printable ASCII except ':' '#' and space, not empty)");
        }
        if (std::find(spec.enum_values.begin(), spec.enum_values.end(), value) !=
            spec.enum_values.end()) {
          fail(path, "duplicate enum value " + in_quotes(value));
        }
        spec.enum_values.push_back(std::move(value));
      }
    } else if (j.contains("values")) {
      fail(where + ".values",
           "only fields of type enum take \"values\" (this one is " + type + ")");
    }
    if (j.contains("unit")) {
      spec.unit = text_member(j, where, "unit");
      if (spec.unit.size() > kMaxUnitLength) {
        fail(where + ".unit", "unit " + in_quotes(spec.unit) + " is longer than " +
                                  std::to_string(kMaxUnitLength) + " bytes");
      }
    }
    if (j.contains("description")) text_member(j, where, "description");
    return spec;
  }

  MarkerSpec marker(const json& j, const std::string& where) const {
    if (!j.is_object()) fail(where, "must be an object like {\"marker\": \"BOOT:START\"}");
    expect_keys(j, where, {"marker", "description", "fields", "rest"});
    MarkerSpec spec;
    const std::string name = text_member(j, where, "marker");
    const size_t colon = name.find(':');
    spec.category = name.substr(0, colon);
    spec.event = colon == std::string::npos ? "" : name.substr(colon + 1);
    if (colon == std::string::npos || !grammar::is_name(spec.category) ||
        !grammar::is_name(spec.event)) {
      fail(where + ".marker",
           "bad marker name " + in_quotes(name) +
               " (expected CATEGORY:EVENT, each an uppercase letter then A-Z 0-9 _)");
    }
    if (j.contains("description")) spec.description = text_member(j, where, "description");
    if (j.contains("fields")) {
      const json& fields = member(j, where, "fields", json::value_t::array, "an array");
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string path = where + ".fields[" + std::to_string(i) + "]";
        FieldSpec f = field(fields[i], path);
        for (const auto& other : spec.fields) {
          if (other.name == f.name)
            fail(path + ".name", "duplicate field name " + in_quotes(f.name));
        }
        spec.fields.push_back(std::move(f));
      }
    }
    if (j.contains("rest")) spec.rest = field(j["rest"], where + ".rest");
    return spec;
  }

 private:
  const std::string& origin_;
};

// Mixes the length and the first and last 8 bytes: marker names differ there. Inline, like
// same_bytes: the parser looks up every marker.
__attribute__((always_inline)) inline uint64_t key_hash(std::string_view key) {
  uint64_t head = 0, tail = 0;
  if (key.size() >= 8) {
    std::memcpy(&head, key.data(), 8);
    std::memcpy(&tail, key.data() + key.size() - 8, 8);
  } else {
    std::memcpy(&head, key.data(), key.size());
  }
  uint64_t h = (head ^ (key.size() * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 31) ^ tail) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

// Equality of keys of 8 to 32 bytes (nearly all) as four overlapping 8-byte words, the first
// and last 16 bytes: no memcmp call and no loop whose length, varying from marker to marker,
// the CPU would mispredict.
__attribute__((always_inline)) inline bool same_bytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8 || n > 32) return a == b;
  const auto differ = [&](size_t at) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + at, 8);
    std::memcpy(&y, b.data() + at, 8);
    return x ^ y;
  };
  return (differ(0) | differ(std::min<size_t>(8, n - 8)) | differ(n < 16 ? 0 : n - 16) |
          differ(n - 8)) == 0;
}

// nlohmann reports the byte offset just past the error; users need line and column.
std::string position(std::string_view text, size_t byte) {
  const size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

std::string_view to_string(FieldType type) {
  const auto index = static_cast<size_t>(type);
  return index < std::size(kTypeNames) ? kTypeNames[index] : "?";
}

Schema Schema::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path.string() + ": cannot read the marker schema: " + std::strerror(errno) +
                     " (pass an existing schema file, or run schema-less)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw InputError(path.string() + ": cannot read the marker schema: " + std::strerror(errno));
  }
  return parse(text.str(), path.string());
}

Schema Schema::parse(std::string_view json_text, const std::string& origin) {
  const Loader loader(origin);
  if (const auto at = json_too_deep_at(json_text))
    loader.fail("", "JSON " + json_too_deep_problem() + " at " + position(json_text, *at + 1));
  json root;
  try {
    root = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    // e.what() repeats nlohmann's prefix and position; keep only the explanation.
    std::string what = e.what();
    if (const size_t cut = what.find(": syntax error"); cut != std::string::npos) {
      what = what.substr(cut + 2);
    }
    loader.fail("", "JSON " + what + " at " + position(json_text, e.byte));
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    std::string what = e.what();
    if (const size_t cut = what.find("] "); cut != std::string::npos) what = what.substr(cut + 2);
    loader.fail("", "JSON " + what);
  }
  if (!root.is_object())
    loader.fail("", "the schema must be a JSON object with \"prefix\" and \"markers\"");
  loader.expect_keys(root, "",
                     {"$schema", "description", "version", "prefix", "allow_unknown", "require_seq",
                      "require_crc", "markers"});

  Schema schema;
  schema.origin_ = origin;
  schema.prefix_ = loader.text_member(root, "", "prefix");
  if (!grammar::is_prefix(schema.prefix_)) {
    loader.fail("prefix", "bad prefix " + in_quotes(schema.prefix_) +
                              " (an uppercase letter, then uppercase letters or digits)");
  }
  const auto flag = [&](const char* key, bool& out) {
    if (root.contains(key))
      out = loader.member(root, "", key, json::value_t::boolean, "a boolean").get<bool>();
  };
  flag("allow_unknown", schema.allow_unknown_);
  flag("require_seq", schema.require_seq_);
  flag("require_crc", schema.require_crc_);
  const json& markers = loader.member(root, "", "markers", json::value_t::array, "an array");
  for (size_t i = 0; i < markers.size(); ++i) {
    const std::string where = "markers[" + std::to_string(i) + "]";
    MarkerSpec spec = loader.marker(markers[i], where);
    std::string key = spec.category + ":" + spec.event;
    for (size_t k = 0; k < schema.keys_.size(); ++k) {
      if (schema.keys_[k] == key) {
        loader.fail(where + ".marker", "duplicate marker " + in_quotes(key) +
                                           " (first at markers[" + std::to_string(k) + "])");
      }
    }
    schema.keys_.push_back(std::move(key));
    schema.markers_.push_back(std::move(spec));
  }
  schema.build_index();
  return schema;
}

Schema Schema::permissive(std::string prefix) {
  if (!grammar::is_prefix(prefix)) {
    throw InputError("bad marker prefix " + in_quotes(prefix) +
                     " (an uppercase letter, then uppercase letters or digits)");
  }
  Schema schema;
  schema.origin_ = "(schema-less)";
  schema.prefix_ = std::move(prefix);
  schema.allow_unknown_ = true;
  return schema;
}

void Schema::build_index() {
  size_t size = 8;
  while (size < 4 * markers_.size()) size *= 2;  // at most a quarter full: short probes
  slots_.assign(size, -1);
  for (size_t i = 0; i < keys_.size(); ++i) {
    size_t slot = key_hash(keys_[i]) & (size - 1);
    while (slots_[slot] >= 0) slot = (slot + 1) & (size - 1);
    slots_[slot] = static_cast<int32_t>(i);
  }
}

const MarkerSpec* Schema::find(std::string_view category_colon_event) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t slot = key_hash(category_colon_event) & mask;; slot = (slot + 1) & mask) {
    const int32_t i = slots_[slot];
    if (i < 0) return nullptr;
    if (same_bytes(keys_[size_t(i)], category_colon_event)) return &markers_[size_t(i)];
  }
}

const MarkerSpec* Schema::find(std::string_view category, std::string_view event) const {
  std::string key;
  key.reserve(category.size() + 1 + event.size());
  key.append(category).append(":").append(event);
  return find(std::string_view(key));
}

}  // namespace osh::marker

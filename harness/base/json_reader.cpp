#include "harness/base/json_reader.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/escape.h"

namespace osh {

JsonReader::JsonReader(const nlohmann::json& object, std::string origin, std::string path)
    : object_(object), origin_(std::move(origin)), path_(std::move(path)) {
  if (!object_.is_object())
    throw InputError(origin_ + ": " + (path_.empty() ? std::string("document") : path_) +
                     ": expected an object, got " + describe_json(object_));
}

bool JsonReader::has(std::string_view key) const { return object_.contains(key); }

std::string JsonReader::field_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonReader::fail(std::string_view key, const std::string& problem) const {
  throw InputError(origin_ + ": " + field_path(key) + ": " + problem);
}

const nlohmann::json* JsonReader::get(std::string_view key, nlohmann::json::value_t expected,
                                      const char* expected_name) {
  known_.emplace(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  const bool numeric_ok = expected == nlohmann::json::value_t::number_float && it->is_number();
  if (it->type() != expected && !numeric_ok)
    fail(key, std::string("expected ") + expected_name + ", got " + describe_json(*it));
  return &*it;
}

std::optional<std::string> JsonReader::string(std::string_view key) {
  const auto* v = get(key, nlohmann::json::value_t::string, "a string");
  return v ? std::optional(v->get<std::string>()) : std::nullopt;
}

std::optional<double> JsonReader::number(std::string_view key) {
  const auto* v = get(key, nlohmann::json::value_t::number_float, "a number");
  return v ? std::optional(v->get<double>()) : std::nullopt;
}

std::optional<double> JsonReader::number_in(std::string_view key, const NumberRange& range) {
  const auto* v = get(key, nlohmann::json::value_t::number_float, "a number");
  if (!v) return std::nullopt;
  // Read as long double: an integer beyond 2^53 keeps its value for the check.
  const long double value = v->is_number_unsigned()  ? static_cast<long double>(v->get<uint64_t>())
                            : v->is_number_integer() ? static_cast<long double>(v->get<int64_t>())
                                                     : static_cast<long double>(v->get<double>());
  if (!range.contains(value))
    fail(key, "must be " + range.describe() + ", got " + describe_json(*v));
  return static_cast<double>(value);
}

std::optional<int64_t> JsonReader::integer(std::string_view key, int64_t min, int64_t max) {
  known_.emplace(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) fail(key, "expected an integer, got " + describe_json(*it));
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX))
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  const int64_t value = it->get<int64_t>();
  if (value < min || value > max)
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                  std::to_string(value));
  return value;
}

std::optional<uint64_t> JsonReader::unsigned_integer(std::string_view key) {
  known_.emplace(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!is_non_negative_integer(*it))
    fail(key, "expected a non-negative integer, got " + describe_json(*it));
  return it->get<uint64_t>();
}

bool is_non_negative_integer(const nlohmann::json& value) {
  // Parsed text gives unsigned numbers, JSON built in code signed ones.
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0);
}

std::vector<JsonReader> JsonReader::objects(std::string_view key) {
  std::vector<JsonReader> readers;
  const auto* array = get(key, nlohmann::json::value_t::array, "an array of objects");
  if (array == nullptr) return readers;
  readers.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    readers.emplace_back((*array)[i], origin_, field_path(key) + "[" + std::to_string(i) + "]");
  }
  return readers;
}

std::optional<bool> JsonReader::boolean(std::string_view key) {
  const auto* v = get(key, nlohmann::json::value_t::boolean, "true or false");
  return v ? std::optional(v->get<bool>()) : std::nullopt;
}

std::optional<std::vector<std::string>> JsonReader::strings(std::string_view key) {
  const auto* v = get(key, nlohmann::json::value_t::array, "an array of strings");
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      fail(std::string(key) + "[" + std::to_string(i) + "]",
           "expected a string, got " + describe_json((*v)[i]));
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::optional<JsonReader> JsonReader::object(std::string_view key) {
  const auto* v = get(key, nlohmann::json::value_t::object, "an object");
  if (!v) return std::nullopt;
  return JsonReader(*v, origin_, field_path(key));
}

const nlohmann::json* JsonReader::raw(std::string_view key) {
  known_.emplace(key);
  const auto it = object_.find(key);
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

void JsonReader::reject_unknown() const {
  for (const auto& [key, value] : object_.items()) {
    if (known_.contains(key)) continue;
    std::string known;
    for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
    fail(key, "unknown field (known fields here: " + known + ")");
  }
}

namespace {

// "<origin>:<line>:<column>" of the byte at `offset` (0-based).
std::string place(std::string_view text, size_t offset, const std::string& origin,
                  size_t first_line) {
  size_t line = first_line, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::optional<size_t> json_too_deep_at(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped byte cannot end the string
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;  // an unbalanced one is the parser's syntax error to report
    }
  }
  return std::nullopt;
}

std::string json_too_deep_problem() {
  return "arrays and objects nested deeper than " + std::to_string(kMaxJsonDepth) +
         " levels; osharness reads no deeper (is this the file you meant?)";
}

void check_json_depth(std::string_view text, const std::string& origin, size_t first_line) {
  if (const auto at = json_too_deep_at(text))
    throw InputError(place(text, *at, origin, first_line) +
                     ": invalid JSON: " + json_too_deep_problem());
}

nlohmann::json parse_json(std::string_view text, const std::string& origin, size_t first_line) {
  check_json_depth(text, origin, first_line);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (const auto pos = what.find("syntax error"); pos != std::string::npos)
      what = what.substr(pos);
    // nlohmann's byte offset is 1-based.
    throw InputError(place(text, e.byte > 0 ? e.byte - 1 : 0, origin, first_line) +
                     ": invalid JSON: " + what);
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double ("1E400") is out_of_range, and nlohmann gives no place.
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    throw InputError(origin + ": invalid JSON: " + what);
  }
}

nlohmann::json load_json_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + " is a folder: give the JSON file itself");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(errno_message("cannot read " + path, errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), path);
}

namespace {

// Appends the JSON text of `value` to `out` until `out` holds `limit` bytes. Each level adds a
// byte, so the recursion ends within `limit` levels whatever the value's depth.
void append_excerpt(const nlohmann::json& value, std::string& out, size_t limit) {
  const auto dump = [](const nlohmann::json& v) {
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (!value.is_structured()) {
    out += dump(value);
    return;
  }
  out += value.is_object() ? '{' : '[';
  for (auto it = value.begin(); it != value.end() && out.size() < limit; ++it) {
    if (it != value.begin()) out += ',';
    if (value.is_object()) out += dump(it.key()) + ':';
    append_excerpt(*it, out, limit);
  }
  out += value.is_object() ? '}' : ']';
}

}  // namespace

std::string describe_json(const nlohmann::json& value) {
  constexpr size_t kShown = 60;
  std::string text;
  append_excerpt(value, text, kShown + 1);
  if (text.size() > kShown) text = text.substr(0, kShown - 3) + "...";
  return std::string(value.type_name()) + " " + escape_text(text);
}

}  // namespace osh

#include "harness/base/json_reader.h"

#include <cerrno>
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

nlohmann::json parse_json(std::string_view text, const std::string& origin, size_t first_line) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn nlohmann's byte offset into line:column.
    size_t line = first_line, column = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    if (const auto pos = what.find("syntax error"); pos != std::string::npos)
      what = what.substr(pos);
    throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": invalid JSON: " + what);
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double ("1E400") is out_of_range, and nlohmann gives no place.
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    throw InputError(origin + ": invalid JSON: " + what);
  }
}

nlohmann::json load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(errno_message("cannot read " + path, errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), path);
}

std::string describe_json(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(value.type_name()) + " " + escape_text(text);
}

}  // namespace osh

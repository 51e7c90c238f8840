#pragma once
// JavaScript strings of the WPT data files as the tests see them. The JSON may hold lone UTF-16
// surrogates ("\uD800"), which are not Unicode and which nlohmann-json (rightly) refuses; a WPT
// test sees them twice over: the API under test receives them as a USVString (each lone
// surrogate turned into U+FFFD), while the test's name keeps them and wptreport.json writes each
// as "U+d800". So every data file is read twice, once per view.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace osh::wpt {

struct JsonViews {
  nlohmann::ordered_json usv;    // lone surrogates as U+FFFD: the values under test
  nlohmann::ordered_json named;  // lone surrogates as "U+xxxx": the values in test names
};

// Reads a WPT JSON data file (object key order kept, as JavaScript keeps it). Throws
// osh::InputError naming the file, and the line and column of a syntax error.
JsonViews read_wpt_json(const std::filesystem::path& path);
// The same for JSON text already in memory; `origin` names it in errors.
JsonViews parse_wpt_json(std::string_view text, const std::string& origin);

// testharness.js's format_value() of a string: quoted, with backslashes doubled, C0 controls as
// \0 \x01 \b \t \n \v \f \r ..., U+FFFD..U+FFFF as \ufffd, and '"' as \".
std::string format_value(std::string_view utf8);

}  // namespace osh::wpt

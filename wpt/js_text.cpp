#include "wpt/js_text.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"

namespace osh::wpt {
namespace {

int hex4(std::string_view text, size_t at) {
  if (at + 4 > text.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + 4; ++i) {
    const char c = text[i];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    v = v * 16 + d;
  }
  return v;
}

// Rewrites every \uXXXX escape of a lone surrogate inside JSON strings, leaving pairs and
// everything else as it was.
template <typename Replace>
std::string rewrite_lone_surrogates(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (!in_string) {
      in_string = c == '"';
      out += c;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out += c;
      ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out += c;
      ++i;
      continue;
    }
    if (text[i + 1] != 'u') {
      out.append(text.substr(i, 2));
      i += 2;
      continue;
    }
    const int unit = hex4(text, i + 2);
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high && i + 12 <= text.size() && text[i + 6] == '\\' && text[i + 7] == 'u') {
      const int next = hex4(text, i + 8);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        out.append(text.substr(i, 12));
        i += 12;
        continue;
      }
    }
    if (high || low) {
      out += replace(unit);
    } else {
      out.append(text.substr(i, 6 <= text.size() - i ? 6 : text.size() - i));
    }
    i += 6;
  }
  return out;
}

nlohmann::ordered_json parse_json(const std::string& text, const std::string& origin) {
  check_json_depth(text, origin);
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(origin + ": not valid JSON: " + e.what() +
                     " (the WPT data files in wpt/data are pinned copies: restore the file)");
  }
}

}  // namespace

JsonViews parse_wpt_json(std::string_view text, const std::string& origin) {
  JsonViews views;
  views.usv =
      parse_json(rewrite_lone_surrogates(text, [](int) { return std::string("\\uFFFD"); }), origin);
  views.named = parse_json(rewrite_lone_surrogates(text,
                                                   [](int unit) {
                                                     char s[8];
                                                     std::snprintf(s, sizeof s, "U+%x", unit);
                                                     return std::string(s);
                                                   }),
                           origin);
  return views;
}

JsonViews read_wpt_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path.string() + ": cannot read this WPT data file (is wpt/data complete?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_wpt_json(text.str(), path.string());
}

std::string format_value(std::string_view utf8) {
  static constexpr const char* kControls[32] = {
      "0",   "x01", "x02", "x03", "x04", "x05", "x06", "x07", "b",   "t",   "n",
      "v",   "f",   "r",   "x0e", "x0f", "x10", "x11", "x12", "x13", "x14", "x15",
      "x16", "x17", "x18", "x19", "x1a", "x1b", "x1c", "x1d", "x1e", "x1f"};
  std::string out = "\"";
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c < 0x20) {
      out += '\\';
      out += kControls[c];
    } else if (c == 0xEF && i + 2 < utf8.size() &&
               static_cast<unsigned char>(utf8[i + 1]) == 0xBF &&
               static_cast<unsigned char>(utf8[i + 2]) >= 0xBD) {
      // U+FFFD, U+FFFE, U+FFFF
      static constexpr const char* kSpecials[3] = {"\\ufffd", "\\ufffe", "\\uffff"};
      out += kSpecials[static_cast<unsigned char>(utf8[i + 2]) - 0xBD];
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace osh::wpt

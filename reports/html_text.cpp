#include "reports/html_text.h"

#include "reports/escape_once.h"

namespace osh::reports {

std::string html(std::string_view text) { return escape_markup_once(text); }

std::string html_clipped(std::string_view text, size_t max_chars) {
  const std::string markup = html(text);
  size_t chars = 0;
  for (size_t i = 0; i < markup.size(); i += markup_char_length(markup, i))
    if (chars++ == max_chars) return markup.substr(0, i) + "\xE2\x80\xA6";
  return markup;
}

std::string dl_entry(std::string_view term, const std::string& html_value) {
  return "<dt>" + html(term) + "</dt><dd>" + html_value + "</dd>";
}

size_t shown_chars(std::string_view text) {
  const std::string markup = html(text);
  size_t chars = 0;
  for (size_t i = 0; i < markup.size(); i += markup_char_length(markup, i)) ++chars;
  return chars;
}

std::optional<std::string> relative_href(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find(':') != std::string_view::npos)
    return std::nullopt;
  std::string out;
  size_t segment_start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (path.substr(segment_start, i - segment_start) == "..") return std::nullopt;
      segment_start = i + 1;
    }
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string table_html(const campaign::ReportTable& t) {
  const auto numeric = [&](size_t i) { return i < t.numeric.size() && t.numeric[i]; };
  std::string s = "<table>";
  if (!t.caption.empty()) s += "<caption>" + html(t.caption) + "</caption>";
  s += "<thead><tr>";
  for (size_t i = 0; i < t.columns.size(); ++i)
    s += std::string(numeric(i) ? "<th class=\"n\">" : "<th>") + html(t.columns[i]) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (size_t i = 0; i < row.size(); ++i)
      s += std::string(numeric(i) ? "<td class=\"n\">" : "<td>") + html(row[i]) + "</td>";
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

}  // namespace osh::reports

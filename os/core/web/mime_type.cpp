#include "os/core/web/mime_type.h"

#include "os/core/web/code_points.h"

namespace rayos::web {
namespace {

bool is_token_code_point(uint32_t c) {
  if (is_ascii_alphanumeric(c)) return true;
  for (char x : StringView("!#$%&'*+-.^_`|~"))
    if (static_cast<uint8_t>(x) == c) return true;
  return false;
}

bool only_token_code_points(StringView s) {
  for (char c : s)
    if (!is_token_code_point(static_cast<uint8_t>(c))) return false;
  return true;
}

bool only_quoted_string_token_code_points(StringView s) {
  size_t pos = 0;
  for (uint32_t c; (c = decode_utf8(s, pos)) != kEndOfInput;)
    if (!(c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF))) return false;
  return true;
}

StringView trim_http_whitespace(StringView s, bool leading, bool trailing) {
  size_t begin = 0, end = s.size();
  while (leading && begin < end && is_http_whitespace(static_cast<uint8_t>(s[begin]))) ++begin;
  while (trailing && end > begin && is_http_whitespace(static_cast<uint8_t>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

// Bytes from `pos` up to (not including) any of `stops`; every stop is ASCII, so a UTF-8
// sequence is never split.
StringView collect_until(StringView input, size_t& pos, StringView stops) {
  const size_t start = pos;
  while (pos < input.size() && stops.find(input[pos]) == StringView::npos) ++pos;
  return input.substr(start, pos - start);
}

}  // namespace

void MimeType::reset() {
  text_.clear();
  type_ = subtype_ = Slice{};
  parameter_count_ = 0;
}

void MimeType::copy_from(const MimeType& other) {
  text_.assign(other.text_.view());
  type_ = other.type_;
  subtype_ = other.subtype_;
  parameter_count_ = other.parameter_count_;
  for (size_t i = 0; i < parameter_count_; ++i) parameters_[i] = other.parameters_[i];
}

bool MimeType::store(StringView bytes, bool lowercase, Slice& out) {
  out.offset = static_cast<uint32_t>(text_.size());
  for (char c : bytes)
    text_.push(lowercase ? static_cast<char>(ascii_lower(static_cast<uint8_t>(c))) : c);
  out.size = static_cast<uint32_t>(text_.size() - out.offset);
  return !text_.overflowed();
}

bool MimeType::set_essence(StringView type, StringView subtype) {
  reset();
  return store(type, true, type_) && store(subtype, true, subtype_);
}

bool MimeType::find_parameter(StringView name, StringView& value) const {
  for (size_t i = 0; i < parameter_count_; ++i) {
    if (parameter_name(i) == name) {
      value = parameter_value(i);
      return true;
    }
  }
  return false;
}

bool MimeType::add_parameter(StringView name, StringView value) {
  for (size_t i = 0; i < parameter_count_; ++i)
    if (parameter_name(i) == name) return store(value, false, parameters_[i].value);
  if (parameter_count_ == kMaxParameters) return false;
  Parameter& p = parameters_[parameter_count_++];
  return store(name, false, p.name) && store(value, false, p.value);
}

bool MimeType::same_essence(const MimeType& other) const {
  return type() == other.type() && subtype() == other.subtype();
}

void collect_http_quoted_string(StringView input, size_t& pos, TextSink& out, bool extract_value) {
  const size_t start = pos;
  ++pos;  // the opening quote
  for (;;) {
    const StringView run = collect_until(input, pos, "\"\\");
    if (extract_value) out.append(run);
    if (pos >= input.size()) break;
    const char quote_or_backslash = input[pos++];
    if (quote_or_backslash == '\\') {
      if (pos >= input.size()) {
        if (extract_value) out.push('\\');
        break;
      }
      // The escaped code point, whole (it may be more than one byte).
      size_t next = pos;
      decode_utf8(input, next);
      if (extract_value) out.append(input.substr(pos, next - pos));
      pos = next;
    } else {
      break;
    }
  }
  if (!extract_value) out.append(input.substr(start, pos - start));
}

MimeStatus parse_mime_type(StringView input, MimeType& out) {
  out.reset();
  input = trim_http_whitespace(input, true, true);
  size_t pos = 0;
  const StringView type = collect_until(input, pos, "/");
  if (type.empty() || !only_token_code_points(type)) return MimeStatus::kFailure;
  if (pos >= input.size()) return MimeStatus::kFailure;
  ++pos;
  const StringView subtype = trim_http_whitespace(collect_until(input, pos, ";"), false, true);
  if (subtype.empty() || !only_token_code_points(subtype)) return MimeStatus::kFailure;
  if (!out.set_essence(type, subtype)) return MimeStatus::kTooLong;

  while (pos < input.size()) {
    ++pos;  // the ';'
    while (pos < input.size() && is_http_whitespace(static_cast<uint8_t>(input[pos]))) ++pos;
    FixedText<MimeType::kCapacity> name;
    name.append(collect_until(input, pos, ";="));
    name.lowercase_ascii();
    if (pos < input.size()) {
      if (input[pos] == ';') continue;
      ++pos;  // the '='
    }
    if (pos >= input.size()) break;
    FixedText<MimeType::kCapacity> value;
    if (input[pos] == '"') {
      collect_http_quoted_string(input, pos, value, true);
      collect_until(input, pos, ";");
    } else {
      value.append(trim_http_whitespace(collect_until(input, pos, ";"), false, true));
      if (value.empty()) continue;
    }
    if (name.overflowed() || value.overflowed()) return MimeStatus::kTooLong;
    StringView existing;
    if (!name.empty() && only_token_code_points(name.view()) &&
        only_quoted_string_token_code_points(value.view()) &&
        !out.find_parameter(name.view(), existing)) {
      if (!out.add_parameter(name.view(), value.view())) return MimeStatus::kTooLong;
    }
  }
  return MimeStatus::kOk;
}

void serialize_mime_type(const MimeType& mime, TextSink& out) {
  out.append(mime.type());
  out.push('/');
  out.append(mime.subtype());
  for (size_t i = 0; i < mime.parameter_count(); ++i) {
    out.push(';');
    out.append(mime.parameter_name(i));
    out.push('=');
    const StringView value = mime.parameter_value(i);
    if (!value.empty() && only_token_code_points(value)) {
      out.append(value);
      continue;
    }
    out.push('"');
    for (char c : value) {
      if (c == '"' || c == '\\') out.push('\\');
      out.push(c);
    }
    out.push('"');
  }
}

StringView normalize_header_value(StringView value) {
  return trim_http_whitespace(value, true, true);
}

bool is_valid_header_value(StringView value) {
  if (normalize_header_value(value).size() != value.size()) return false;
  for (char c : value)
    if (c == '\0' || c == '\n' || c == '\r') return false;
  return true;
}

MimeStatus extract_mime_type(StringView header_value, MimeType& out) {
  out.reset();
  bool have_mime = false;
  bool have_charset = false, have_essence = false;
  FixedText<MimeType::kCapacity> charset;
  MimeType essence;  // type/subtype only
  MimeType candidate;
  // "Getting, decoding, and splitting": commas outside quoted strings separate values.
  size_t pos = 0;
  for (;;) {
    FixedText<MimeType::kCapacity> value;
    for (;;) {
      value.append(collect_until(header_value, pos, "\","));
      if (pos < header_value.size() && header_value[pos] == '"') {
        collect_http_quoted_string(header_value, pos, value, false);
        if (pos < header_value.size()) continue;
      }
      break;
    }
    if (value.overflowed()) return MimeStatus::kTooLong;
    StringView v = value.view();
    while (!v.empty() && is_http_tab_or_space(static_cast<uint8_t>(v[0]))) v = v.substr(1);
    while (!v.empty() && is_http_tab_or_space(static_cast<uint8_t>(v[v.size() - 1])))
      v = v.substr(0, v.size() - 1);

    const MimeStatus status = parse_mime_type(v, candidate);
    if (status == MimeStatus::kTooLong) return status;
    if (status == MimeStatus::kOk && !(candidate.type() == "*" && candidate.subtype() == "*")) {
      out.copy_from(candidate);
      have_mime = true;
      StringView candidate_charset;
      const bool has_charset = out.find_parameter("charset", candidate_charset);
      if (!have_essence || !out.same_essence(essence)) {
        have_charset = has_charset;
        charset.assign(has_charset ? candidate_charset : StringView());
        essence.set_essence(out.type(), out.subtype());
        have_essence = true;
      } else if (!has_charset && have_charset) {
        if (!out.add_parameter("charset", charset.view())) return MimeStatus::kTooLong;
      }
    }
    if (pos >= header_value.size()) break;
    ++pos;  // the ','
  }
  return have_mime ? MimeStatus::kOk : MimeStatus::kFailure;
}

}  // namespace rayos::web

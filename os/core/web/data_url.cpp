#include "os/core/web/data_url.h"

#include "os/core/fuzz/base64.h"
#include "os/core/web/code_points.h"
#include "os/core/web/percent_encoding.h"

namespace rayos::web {
namespace {

StringView trim_ascii_whitespace(StringView s) {
  size_t begin = 0, end = s.size();
  while (begin < end && is_ascii_whitespace(static_cast<uint8_t>(s[begin]))) ++begin;
  while (end > begin && is_ascii_whitespace(static_cast<uint8_t>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

}  // namespace

DataUrlStatus forgiving_base64_decode(StringView data, TextSink& out) {
  // Whitespace-free length first, then the padding rules on that length.
  size_t length = 0;
  for (char c : data) length += !is_ascii_whitespace(static_cast<uint8_t>(c));
  size_t padding = 0;
  if (length % 4 == 0) {
    for (size_t i = data.size(); i > 0 && padding < 2;) {
      --i;
      if (is_ascii_whitespace(static_cast<uint8_t>(data[i]))) continue;
      if (data[i] != '=') break;
      ++padding;
    }
  }
  length -= padding;
  if (length % 4 == 1) return DataUrlStatus::kFailure;
  uint32_t buffer = 0;
  unsigned bits = 0;
  size_t used = 0;
  for (char c : data) {
    if (is_ascii_whitespace(static_cast<uint8_t>(c))) continue;
    if (used == length) break;  // the padding removed above
    const int value = base64_value(c);
    if (value < 0) return DataUrlStatus::kFailure;
    ++used;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits == 24) {
      out.push(static_cast<char>(buffer >> 16));
      out.push(static_cast<char>(buffer >> 8));
      out.push(static_cast<char>(buffer));
      buffer = 0;
      bits = 0;
    }
  }
  if (bits == 12) {
    out.push(static_cast<char>(buffer >> 4));
  } else if (bits == 18) {
    out.push(static_cast<char>(buffer >> 10));
    out.push(static_cast<char>(buffer >> 2));
  }
  return out.overflowed() ? DataUrlStatus::kTooLong : DataUrlStatus::kOk;
}

DataUrlStatus process_data_url(const Url& url, MimeType& mime, TextSink& body) {
  FixedText<8 * Url::kComponentCapacity> serialized;
  serialize_url(url, serialized, true);
  if (serialized.overflowed()) return DataUrlStatus::kTooLong;
  StringView input = serialized.view().substr(5);  // "data:"
  const size_t comma = input.find(',');
  FixedText<Url::kComponentCapacity + 16> mime_text;
  mime_text.append(trim_ascii_whitespace(input.substr(0, comma)));
  if (comma == StringView::npos) return DataUrlStatus::kFailure;
  body.clear();
  percent_decode(input.substr(comma + 1), body);
  if (body.overflowed()) return DataUrlStatus::kTooLong;

  // ";" then any spaces then "base64", case-insensitively, at the end of the MIME type.
  const StringView m = mime_text.view();
  if (m.size() >= 6 && equals_ignoring_ascii_case(m.substr(m.size() - 6), "base64")) {
    size_t i = m.size() - 6;
    while (i > 0 && m[i - 1] == ' ') --i;
    if (i > 0 && m[i - 1] == ';') {
      // The body is bytes; as an isomorphic string its bytes are the code points base64 reads.
      FixedText<8 * Url::kComponentCapacity> decoded;
      const DataUrlStatus status = forgiving_base64_decode(body.view(), decoded);
      if (status != DataUrlStatus::kOk) return status;
      body.assign(decoded.view());
      mime_text.truncate(i - 1);
    }
  }
  if (mime_text.view().starts_with(";")) {
    FixedText<Url::kComponentCapacity + 16> with_type;
    with_type.append("text/plain");
    with_type.append(mime_text.view());
    mime_text.assign(with_type.view());
  }
  const MimeStatus status = parse_mime_type(mime_text.view(), mime);
  if (status == MimeStatus::kTooLong) return DataUrlStatus::kTooLong;
  if (status == MimeStatus::kFailure) {
    mime.set_essence("text", "plain");
    mime.add_parameter("charset", "US-ASCII");
  }
  return body.overflowed() ? DataUrlStatus::kTooLong : DataUrlStatus::kOk;
}

}  // namespace rayos::web

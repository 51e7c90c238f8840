#include "os/core/marker_writer.h"

#include "os/core/crc32c.h"
#include "os/core/format.h"
#include "os/core/marker_catalog.h"

namespace rayos {

bool is_field_char(char c) { return c > ' ' && c <= '~' && c != ':' && c != '#'; }

bool is_name_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

MarkerWriter::MarkerWriter(StringView category, StringView event) {
  append_sanitised(kMarkerPrefix, true);
  buf_[len_++] = '_';
  append_sanitised(category, true);
  buf_[len_++] = ':';
  append_sanitised(event, true);
}

void MarkerWriter::append_sanitised(StringView text, bool name) {
  for (char c : text) {
    if (len_ >= kCapacity - kTrailerReserve) {
      truncated_ = true;
      return;
    }
    bool ok = name ? is_name_char(c) : is_field_char(c);
    buf_[len_++] = ok ? c : '_';
  }
}

MarkerWriter& MarkerWriter::field(StringView text) {
  ++fields_;
  if (len_ >= kCapacity - kTrailerReserve) {
    truncated_ = true;
    return *this;
  }
  buf_[len_++] = ':';
  append_sanitised(text, false);
  return *this;
}

MarkerWriter& MarkerWriter::field(uint64_t value) {
  char digits[kMaxIntChars];
  return field(StringView(digits, format_u64(value, digits)));
}

MarkerWriter& MarkerWriter::field(Hex value) {
  char digits[kMaxIntChars];
  return field(StringView(digits, format_hex(value.value, digits)));
}

StringView MarkerWriter::finish(uint64_t seq) {
  uint32_t crc = crc32c(buf_, len_);
  buf_[len_++] = ' ';
  buf_[len_++] = '#';
  len_ += format_u64(seq, buf_ + len_);
  buf_[len_++] = '*';
  format_hex_fixed(crc, 8, buf_ + len_);
  len_ += 8;
  buf_[len_++] = '\n';
  return StringView(buf_, len_);
}

}  // namespace rayos

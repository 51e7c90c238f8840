#pragma once
// MIME types (MIME Sniffing Standard, "Parsing a MIME type" and "Serializing a MIME type") and
// Fetch's "extract a MIME type" from a Content-Type header value. Strings are code points held
// as UTF-8; a header value (bytes) is given isomorphic-decoded, each byte as the code point of
// the same value.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"

namespace rayos::web {

class MimeType {
 public:
  static constexpr size_t kCapacity = 1024;  // bytes of type, subtype and parameters together
  static constexpr size_t kMaxParameters = 32;

  constexpr MimeType() = default;
  MimeType(const MimeType&) = delete;
  MimeType& operator=(const MimeType&) = delete;
  void copy_from(const MimeType& other);

  void reset();
  StringView type() const { return slice(type_); }
  StringView subtype() const { return slice(subtype_); }
  size_t parameter_count() const { return parameter_count_; }
  StringView parameter_name(size_t i) const { return slice(parameters_[i].name); }
  StringView parameter_value(size_t i) const { return slice(parameters_[i].value); }
  // The value of parameter `name` (lowercase), if the map has it.
  bool find_parameter(StringView name, StringView& value) const;
  // Whether type/subtype equal `other`'s.
  bool same_essence(const MimeType& other) const;

  // Building one: set_essence lowercases; add_parameter appends a new name (lowercased by the
  // caller) or replaces the value of an existing one. False when the storage is full.
  bool set_essence(StringView type, StringView subtype);
  bool add_parameter(StringView name, StringView value);

 private:
  struct Slice {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct Parameter {
    Slice name;
    Slice value;
  };
  StringView slice(Slice s) const { return text_.view().substr(s.offset, s.size); }
  bool store(StringView bytes, bool lowercase, Slice& out);

  FixedText<kCapacity> text_;
  Slice type_, subtype_;
  Parameter parameters_[kMaxParameters];
  size_t parameter_count_ = 0;
};

enum class MimeStatus : uint8_t { kOk, kFailure, kTooLong };

// Parses `input` as a MIME type.
MimeStatus parse_mime_type(StringView input, MimeType& out);
// type/subtype;name=value..., values quoted when they are empty or not all token code points.
void serialize_mime_type(const MimeType& mime, TextSink& out);

// Fetch's "extract a MIME type" for a header list holding one Content-Type header with
// `header_value` (already normalized): the value is split on commas outside quoted strings and
// each part parsed, the last usable one winning with the charset rules of the standard.
MimeStatus extract_mime_type(StringView header_value, MimeType& out);

// Fetch: the header value after stripping leading and trailing HTTP whitespace.
StringView normalize_header_value(StringView value);
// Fetch: a header value holds no NUL, LF or CR (and no leading or trailing HTTP whitespace).
bool is_valid_header_value(StringView value);

// "Collect an HTTP quoted string" at `pos` (which must hold '"'): appends to `out` the
// unescaped value (`extract_value`) or the raw text including the quotes, and moves `pos`.
void collect_http_quoted_string(StringView input, size_t& pos, TextSink& out, bool extract_value);

}  // namespace rayos::web

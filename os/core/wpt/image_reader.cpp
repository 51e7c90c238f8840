#include "os/core/wpt/image_reader.h"

#include "os/core/crc32c.h"

namespace rayos::wpt {
namespace {

uint32_t load_u32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// Takes `n` bytes off the front of `rest`; false when there are fewer.
bool take(StringView& rest, size_t n, StringView& out) {
  if (rest.size() < n) return false;
  out = rest.substr(0, n);
  rest = rest.substr(n);
  return true;
}

bool take_u32(StringView& rest, uint32_t& out) {
  StringView bytes;
  if (!take(rest, 4, bytes)) return false;
  out = load_u32(bytes.data());
  return true;
}

bool take_u8(StringView& rest, uint8_t& out) {
  StringView bytes;
  if (!take(rest, 1, bytes)) return false;
  out = static_cast<uint8_t>(bytes[0]);
  return true;
}

bool known_kind(uint8_t kind) { return kind >= 1 && kind <= 7; }

}  // namespace

bool open_image(StringView bytes, Image& out, StringView& error) {
  if (bytes.size() < kHeaderBytes) {
    error = "image_shorter_than_its_header";
    return false;
  }
  for (size_t i = 0; i < sizeof kImageMagic; ++i) {
    if (bytes[i] != kImageMagic[i]) {
      error = "not_a_wpt_data_image_(bad_magic)";
      return false;
    }
  }
  if (load_u32(bytes.data() + 8) != kImageVersion) {
    error = "unsupported_image_version";
    return false;
  }
  const uint32_t payload_bytes = load_u32(bytes.data() + 16);
  if (payload_bytes > bytes.size() - kHeaderBytes) {
    error = "image_truncated";
    return false;
  }
  out.test_count = load_u32(bytes.data() + 12);
  out.payload = bytes.substr(kHeaderBytes, payload_bytes);
  if (crc32c(out.payload.data(), out.payload.size()) != load_u32(bytes.data() + 20)) {
    error = "image_payload_crc_mismatch";
    return false;
  }
  return true;
}

bool TestCursor::next(TestBlock& out, StringView& error) {
  error = StringView();
  if (rest_.empty()) return false;
  const StringView record_start = rest_;
  uint32_t bytes = 0;
  StringView body;
  if (!take_u32(rest_, bytes) || !take(rest_, bytes, body) || !take_u32(body, out.case_count)) {
    error = "test_record_truncated";
    rest_ = StringView();
    return false;
  }
  out.cases = body;
  out.crc = crc32c(record_start.data(), 4 + bytes);
  return true;
}

bool CaseCursor::next(Case& out, StringView& error) {
  error = StringView();
  if (left_ == 0) {
    if (!rest_.empty()) error = "bytes_after_the_last_case";
    return false;
  }
  --left_;
  out = Case{};
  uint8_t kind = 0, fields = 0;
  if (!take_u8(rest_, kind) || !take_u8(rest_, fields)) {
    error = "case_truncated";
    return false;
  }
  if (!known_kind(kind)) {
    error = "unknown_case_kind";
    return false;
  }
  out.kind = static_cast<CaseKind>(kind);
  for (uint8_t i = 0; i < fields; ++i) {
    uint8_t tag = 0;
    uint32_t length = 0;
    StringView data;
    if (!take_u8(rest_, tag) || !take_u32(rest_, length) || !take(rest_, length, data)) {
      error = "field_truncated";
      return false;
    }
    switch (static_cast<FieldTag>(tag)) {
      case FieldTag::kInput:
        out.input = data;
        break;
      case FieldTag::kBase:
        out.has_base = true;
        out.base = data;
        break;
      case FieldTag::kHref:
        out.href = data;
        break;
      case FieldTag::kSetter:
        out.setter = data;
        break;
      case FieldTag::kValue:
        out.value = data;
        break;
      case FieldTag::kExpectFailure:
        out.expect_failure = true;
        break;
      case FieldTag::kExpect: {
        if (data.empty() || static_cast<uint8_t>(data[0]) + 1u > data.size()) {
          error = "expectation_malformed";
          return false;
        }
        if (out.expect_count == Case::kMaxExpectations) {
          error = "too_many_expectations";
          return false;
        }
        const size_t name_size = static_cast<uint8_t>(data[0]);
        out.expects[out.expect_count++] = {data.substr(1, name_size), data.substr(1 + name_size)};
        break;
      }
      case FieldTag::kEncoding:
        out.encoding = data;
        break;
      case FieldTag::kExpectBody:
        out.has_expect_body = true;
        out.expect_body = data;
        break;
      case FieldTag::kExpectMime:
        out.has_expect_mime = true;
        out.expect_mime = data;
        break;
      case FieldTag::kExpectRejection:
        out.expect_rejection = true;
        break;
      default:
        error = "unknown_field_tag";
        return false;
    }
  }
  return true;
}

}  // namespace rayos::wpt

#include "os/core/wpt/case_runner.h"

#include "os/core/web/code_points.h"
#include "os/core/web/data_url.h"
#include "os/core/web/url_attributes.h"

namespace rayos::wpt {
namespace {

using web::TextSink;
using web::UrlStatus;

constexpr size_t kQuotedMax = 48;  // bytes of a value quoted in a message

// `"value"`, cut at a code point boundary with "..." when long: messages stay short.
void append_quoted(TextSink& out, StringView value) {
  out.push('"');
  if (value.size() <= kQuotedMax) {
    out.append(value);
  } else {
    size_t cut = kQuotedMax;
    while (cut > 0 && (static_cast<uint8_t>(value[cut]) & 0xC0) == 0x80) --cut;
    out.append(value.substr(0, cut));
    out.append("...");
  }
  out.push('"');
}

void assert_equals_message(TextSink& out, StringView what, StringView expected, StringView got) {
  out.append("assert_equals: ");
  out.append(what);
  out.append(" expected ");
  append_quoted(out, expected);
  out.append(" but got ");
  append_quoted(out, got);
}

SubtestStatus needs_idna(TextSink& out, StringView what) {
  out.append("UTS #46 (IDNA) processing is not implemented in rayos; ");
  out.append(what);
  out.append(" needs it");
  return SubtestStatus::kPreconditionFailed;
}

SubtestStatus too_long(TextSink& out) {
  out.append("a URL component is longer than rayos keeps (Url::kComponentCapacity)");
  return SubtestStatus::kFail;
}

}  // namespace

SubtestStatus CaseRunner::run(const Case& c, TextSink& message) {
  message.clear();
  switch (c.kind) {
    case CaseKind::kLoad:
      return SubtestStatus::kPass;
    case CaseKind::kUrlParse:
      return url_parse(c, message);
    case CaseKind::kUrlSetter:
      return url_setter(c, message);
    case CaseKind::kQueryEncoding:
      return query_encoding(c, message);
    case CaseKind::kMimeParse:
      return mime_parse(c, message);
    case CaseKind::kMimeHeader:
      return mime_header(c, message);
    case CaseKind::kDataUrl:
      return data_url(c, message);
  }
  message.append("unknown case kind");
  return SubtestStatus::kFail;
}

SubtestStatus CaseRunner::check_attributes(const Case& c, TextSink& message) {
  for (size_t i = 0; i < c.expect_count; ++i) {
    const Expectation& e = c.expects[i];
    web::UrlAttribute attribute;
    if (!web::url_attribute_from_name(e.attribute, attribute)) {
      message.append("the data names an unknown URL attribute");
      return SubtestStatus::kFail;
    }
    got_.clear();
    const UrlStatus status = web::get_url_attribute(url_, attribute, got_);
    if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the origin's host");
    if (status == UrlStatus::kTooLong || got_.overflowed()) return too_long(message);
    if (got_.view() != e.value) {
      assert_equals_message(message, e.attribute, e.value, got_.view());
      return SubtestStatus::kFail;
    }
  }
  return SubtestStatus::kPass;
}

SubtestStatus CaseRunner::url_parse(const Case& c, TextSink& message) {
  UrlStatus status = UrlStatus::kOk;
  if (c.has_base) status = web::parse_url(c.base, nullptr, base_);
  if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the base URL's host");
  if (status == UrlStatus::kTooLong) return too_long(message);
  // An unparsable base makes the constructor throw too.
  if (status == UrlStatus::kOk)
    status = web::parse_url(c.input, c.has_base ? &base_ : nullptr, url_);
  if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the host");
  if (status == UrlStatus::kTooLong) return too_long(message);
  if (c.expect_failure) {
    if (status == UrlStatus::kFailure) return SubtestStatus::kPass;
    got_.clear();
    web::serialize_url(url_, got_);
    message.append("assert_throws_js: the URL parsed (href ");
    append_quoted(message, got_.view());
    message.append(") but must fail");
    return SubtestStatus::kFail;
  }
  if (status == UrlStatus::kFailure) {
    message.append("the URL parser failed (new URL() would throw TypeError)");
    return SubtestStatus::kFail;
  }
  return check_attributes(c, message);
}

SubtestStatus CaseRunner::url_setter(const Case& c, TextSink& message) {
  UrlStatus status = web::parse_url(c.href, nullptr, url_);
  if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the starting URL's host");
  if (status != UrlStatus::kOk) {
    message.append("the starting URL does not parse");
    return SubtestStatus::kFail;
  }
  web::UrlAttribute setter;
  if (!web::url_attribute_from_name(c.setter, setter)) {
    message.append("the data names an unknown URL attribute");
    return SubtestStatus::kFail;
  }
  status = web::set_url_attribute(url_, setter, c.value);
  if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the new host");
  if (status == UrlStatus::kTooLong) return too_long(message);
  if (status == UrlStatus::kFailure) {
    message.append("the setter threw TypeError");
    return SubtestStatus::kFail;
  }
  return check_attributes(c, message);
}

SubtestStatus CaseRunner::query_encoding(const Case& c, TextSink& message) {
  if (!web::equals_ignoring_ascii_case(c.encoding, "utf-8")) {
    message.append("rayos has no ");
    message.append(c.encoding);
    message.append(" encoder (URL queries are encoded as UTF-8 only)");
    return SubtestStatus::kPreconditionFailed;
  }
  got_.clear();
  got_.append("https://doesnotmatter.invalid/?");
  got_.append(c.input);
  got_.push('#');
  got_.append(c.input);
  const UrlStatus status = web::parse_url(got_.view(), nullptr, url_);
  if (status != UrlStatus::kOk) {
    message.append("the document URL does not parse");
    return SubtestStatus::kFail;
  }
  return check_attributes(c, message);
}

SubtestStatus CaseRunner::mime_parse(const Case& c, TextSink& message) {
  got_.clear();
  const web::MimeStatus status = web::parse_mime_type(c.input, mime_);
  if (status == web::MimeStatus::kTooLong) return too_long(message);
  if (status == web::MimeStatus::kOk) web::serialize_mime_type(mime_, got_);
  if (got_.view() == c.expect_mime) return SubtestStatus::kPass;
  assert_equals_message(message, "Blob", c.expect_mime, got_.view());
  return SubtestStatus::kFail;
}

SubtestStatus CaseRunner::mime_header(const Case& c, TextSink& message) {
  // A header value is a byte sequence: code points above U+00FF cannot be one, and NUL, LF and
  // CR are refused once leading and trailing whitespace is stripped.
  bool refused = false;
  size_t pos = 0;
  for (uint32_t cp; (cp = web::decode_utf8(c.input, pos)) != web::kEndOfInput;)
    refused = refused || cp > 0xFF;
  const StringView value = web::normalize_header_value(c.input);
  refused = refused || !web::is_valid_header_value(value);
  if (c.expect_rejection) {
    if (refused) return SubtestStatus::kPass;
    message.append("assert_throws_js: the header value was accepted but must be refused");
    return SubtestStatus::kFail;
  }
  if (refused) {
    message.append("the header value was refused");
    return SubtestStatus::kFail;
  }
  got_.clear();
  const web::MimeStatus status = web::extract_mime_type(value, mime_);
  if (status == web::MimeStatus::kTooLong) return too_long(message);
  if (status == web::MimeStatus::kOk) web::serialize_mime_type(mime_, got_);
  if (got_.view() == c.expect_mime) return SubtestStatus::kPass;
  assert_equals_message(message, "blob.type", c.expect_mime, got_.view());
  return SubtestStatus::kFail;
}

SubtestStatus CaseRunner::data_url(const Case& c, TextSink& message) {
  const UrlStatus status = web::parse_url(c.input, nullptr, url_);
  if (status == UrlStatus::kNeedsIdna) return needs_idna(message, "the host");
  if (status == UrlStatus::kTooLong) return too_long(message);
  web::DataUrlStatus processed = web::DataUrlStatus::kFailure;
  if (status == UrlStatus::kOk && url_.scheme.view() == "data") {
    got_.clear();
    processed = web::process_data_url(url_, mime_, got_);
  }
  if (processed == web::DataUrlStatus::kTooLong) return too_long(message);
  if (c.expect_failure) {
    if (processed == web::DataUrlStatus::kFailure) return SubtestStatus::kPass;
    message.append("promise_rejects_js: fetching the data: URL succeeded but must fail");
    return SubtestStatus::kFail;
  }
  if (processed == web::DataUrlStatus::kFailure) {
    message.append("fetching the data: URL failed (TypeError)");
    return SubtestStatus::kFail;
  }
  if (c.has_expect_body && got_.view() != c.expect_body) {
    message.append("assert_array_equals: the body differs (");
    message.append("expected ");
    append_quoted(message, c.expect_body);
    message.append(", got ");
    append_quoted(message, got_.view());
    message.push(')');
    return SubtestStatus::kFail;
  }
  if (c.has_expect_mime) {
    web::FixedText<web::MimeType::kCapacity + 64> type;
    web::serialize_mime_type(mime_, type);
    if (type.view() != c.expect_mime) {
      assert_equals_message(message, "content-type", c.expect_mime, type.view());
      return SubtestStatus::kFail;
    }
  }
  return SubtestStatus::kPass;
}

}  // namespace rayos::wpt

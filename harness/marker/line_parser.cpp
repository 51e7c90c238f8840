#include "harness/marker/line_parser.h"

#include <algorithm>
#include <cstring>

#include "harness/base/escape.h"
#include "harness/marker/body_scan.h"
#include "harness/marker/crc32c_fast.h"
#include "harness/marker/field_value.h"
#include "harness/marker/grammar.h"

namespace osh::marker {
namespace {

constexpr char kEsc = 0x1B;
constexpr size_t kShownBytes = 40;  // of a bad field or suffix in a reason

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Index just past the terminal escape sequence starting at line[i] == ESC: CSI (ESC [ params
// final), OSC (ESC ] ... BEL or ESC \), or a two-byte sequence. Unterminated: line.size().
size_t escape_end(std::string_view line, size_t i) {
  const size_t n = line.size();
  if (i + 1 >= n) return n;
  if (line[i + 1] == '[') {
    for (size_t j = i + 2; j < n; ++j) {
      if (line[j] >= 0x40 && line[j] <= 0x7E) return j + 1;
    }
    return n;
  }
  if (line[i + 1] == ']') {
    for (size_t j = i + 2; j < n; ++j) {
      if (line[j] == '\a') return j + 1;
      if (line[j] == kEsc && j + 1 < n && line[j + 1] == '\\') return j + 2;
    }
    return n;
  }
  return i + 2;
}

// A marker may start at `pos` when, escape sequences aside, it starts the line or follows
// whitespace or ']'. An escape sequence right before it separates too: firmware clears the
// screen and the guest's first line follows on the same console line.
bool is_marker_start(std::string_view line, size_t pos) {
  if (pos == 0) return true;
  const bool plain_start = is_space(line[pos - 1]) || line[pos - 1] == ']';
  // Escape sequences are rare; without one before `pos` the byte before it decides.
  if (std::memchr(line.data(), kEsc, pos) == nullptr) return plain_start;
  bool start = true;
  for (size_t i = 0; i < pos;) {
    if (line[i] == kEsc) {
      i = escape_end(line, i);
      if (i > pos) return false;  // inside a sequence
      start = true;
    } else {
      start = is_space(line[i]) || line[i] == ']';
      ++i;
    }
  }
  return start;
}

// body.rfind(" #"), with memrchr: most markers end in " #<seq>*<crc>".
size_t suffix_start(std::string_view marker) {
  size_t n = marker.size();
  while (const void* found = memrchr(marker.data(), '#', n)) {
    n = static_cast<const char*>(found) - marker.data();
    if (n > 0 && marker[n - 1] == ' ') return n - 1;
  }
  return std::string_view::npos;
}

std::string shown(std::string_view text) {
  return "\"" + escape_text_truncated(text, kShownBytes) + "\"";
}

std::string char_shown(char c) { return "'" + escape_text(std::string_view(&c, 1)) + "'"; }

bool parse_hex32(std::string_view s, uint32_t& value) {
  if (s.size() != 8) return false;
  uint32_t v = 0, bad = 0;
  for (const char c : s) {
    const uint8_t d = grammar::kHexValue[static_cast<uint8_t>(c)];
    bad |= d;
    v = v << 4 | (d & 0xF);
  }
  value = v;
  return (bad & 0xF0) == 0;
}

std::string hex32(uint32_t v) {
  char buf[9];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 7; i >= 0; --i, v >>= 4) buf[i] = kHex[v & 0xF];
  return std::string(buf, 8);
}

std::string field_names(const MarkerSpec& spec) {
  std::string names;
  for (const auto& f : spec.fields) names += (names.empty() ? "" : ":") + f.name;
  if (spec.rest) names += (names.empty() ? "" : ":") + spec.rest->name + "...";
  return names;
}

}  // namespace

LineParser::LineParser(const Schema& schema, const StreamOptions& options)
    : schema_(schema), options_(options), key_(schema.prefix() + "_") {}

size_t LineParser::find_marker(std::string_view line, size_t from) const {
  const std::string_view key = key_;
  for (size_t pos = from;; ++pos) {
    // The caller's hint usually points at the key itself: check there before searching.
    bool here = pos + key.size() <= line.size();
    for (size_t i = 0; here && i < key.size(); ++i) here = line[pos + i] == key[i];
    if (!here) pos = line.find(key, pos);
    if (pos == std::string_view::npos) return pos;
    const size_t next = pos + key.size();
    if (next < line.size() && grammar::is_upper(line[next]) && is_marker_start(line, pos)) {
      return pos;
    }
  }
}

LineResult& LineParser::malformed(LineResult& result, std::string reason) {
  result.kind = LineKind::Malformed;
  reason_ = std::move(reason);
  return result;
}

MarkerFrame LineParser::frame(std::string_view line, size_t from) const {
  MarkerFrame frame;
  frame.start = find_marker(line, from);
  if (frame.start == std::string_view::npos) return frame;
  const std::string_view marker = line.substr(frame.start);
  // Fields hold neither space nor '#', so the last " #" is the suffix even when interleaved
  // output damaged the body; the CRC then tells a corrupt marker from a malformed one.
  frame.hash = suffix_start(marker);
  if (frame.hash == std::string_view::npos) return frame;
  // "<seq>*<8 hex digits>" or "<seq>": a CRC, when present, is the last 9 bytes.
  const std::string_view suffix = marker.substr(frame.hash + 2);
  const bool crc = suffix.size() >= 9 && suffix[suffix.size() - 9] == '*';
  const std::string_view digits = crc ? suffix.substr(0, suffix.size() - 9) : suffix;
  frame.suffix_ok = parse_decimal(digits, UINT64_MAX, frame.seq) == NumberError::None;
  if (frame.suffix_ok && crc) {
    frame.suffix_ok = parse_hex32(suffix.substr(suffix.size() - 8), frame.printed_crc);
  }
  frame.has_crc = frame.suffix_ok && crc;
  if (frame.has_crc) frame.computed_crc = crc32c(marker.data(), frame.hash);
  return frame;
}

const LineResult& LineParser::parse(std::string_view line, const MarkerFrame& frame) {
  // Member by member: zeroing the whole struct compiles to a slow `rep stos`.
  LineResult& result = result_;
  result.kind = LineKind::Noise;
  result.category = result.event = {};
  result.spec = nullptr;
  result.seq.reset();
  result.seq_trusted = result.has_crc = result.boot_start = false;
  fields_.clear();
  reason_.clear();
  if (frame.start == std::string_view::npos) return result;
  result.marker = line.substr(frame.start);

  std::string_view body = result.marker;
  if (frame.hash != std::string_view::npos) {
    if (!frame.suffix_ok) {
      return malformed(result, "bad sequence suffix " +
                                   shown(result.marker.substr(frame.hash, kShownBytes)) +
                                   " (expected \" #<decimal seq>\" or \" #<seq>*<8 hex digits>\" "
                                   "at the end)");
    }
    body = body.substr(0, frame.hash);
    result.seq = frame.seq;
    result.seq_trusted = true;
    result.has_crc = frame.has_crc;
    if (frame.has_crc && frame.computed_crc != frame.printed_crc) {
      result.kind = LineKind::Corrupt;
      result.seq_trusted = false;
      reason_ = "CRC-32C mismatch: the marker says " + hex32(frame.printed_crc) +
                ", its bytes give " + hex32(frame.computed_crc);
      return result;
    }
  }
  if (!parse_body(body.substr(key_.size()), result) || !check_fields(result)) return result;
  if (options_.require_seq && !result.seq) {
    return malformed(result, "missing sequence number \" #<seq>\" (this stream requires one)");
  }
  if (options_.require_crc && !result.has_crc) {
    return malformed(result,
                     "missing CRC-32C \"*<8 hex digits>\" after the sequence number "
                     "(this stream requires one)");
  }
  result.kind = LineKind::Marker;
  return result;
}

bool LineParser::parse_body(std::string_view body, LineResult& result) {
  // body = CATEGORY ":" EVENT *( ":" field ); find_marker saw an uppercase letter first.
  const BodyScan scan(body);
  size_t p = scan.name_end(0);
  result.category = body.substr(0, p);
  if (p == body.size()) {
    malformed(result, "missing \":<EVENT>\" after category " + std::string(result.category));
    return false;
  }
  if (body[p] != ':') {
    malformed(result, "bad character " + char_shown(body[p]) + " in category " +
                          shown(body.substr(0, p + 1)) + " (expected A-Z 0-9 _ then ':')");
    return false;
  }
  const size_t event_start = ++p;
  if (p == body.size() || !grammar::is_upper(body[p])) {
    malformed(result, "the event after " + std::string(result.category) +
                          ": must start with an uppercase letter, got " +
                          shown(body.substr(p, kShownBytes)));
    return false;
  }
  p = scan.name_end(p);
  result.event = body.substr(event_start, p - event_start);
  if (p < body.size() && body[p] != ':') {
    malformed(result, "bad character " + char_shown(body[p]) + " in event " +
                          shown(body.substr(event_start, p + 1 - event_start)) +
                          " (expected A-Z 0-9 _ then ':' or the end)");
    return false;
  }
  result.boot_start = result.category == "BOOT" && result.event == "START";
  result.spec = schema_.find(body.substr(0, p));
  if (result.spec == nullptr && !schema_.allows_unknown()) {
    malformed(result, "unknown marker " + std::string(body.substr(0, p)) + " (not in " +
                          schema_.origin() + "; add it there, or set \"allow_unknown\": true)");
    return false;
  }
  // Fields, split at ':'; the first byte that no field may hold ends the parse.
  const size_t bad = scan.bad_field_byte(p);
  while (p < body.size()) {  // body[p] == ':'
    const size_t field_start = p + 1;
    p = scan.colon(field_start);
    fields_.emplace_back().text = body.substr(field_start, p - field_start);
    if (bad < p) {
      malformed(result, field_label(result, fields_.size() - 1) + ": bad character " +
                            char_shown(body[bad]) + " in " + shown(fields_.back().text) +
                            " (fields are printable ASCII except ':' '#' and space)");
      return false;
    }
  }
  return true;
}

std::string LineParser::field_label(const LineResult& result, size_t i) const {
  const MarkerSpec* spec = result.spec;
  std::string text = "field " + std::to_string(i + 1);
  if (spec != nullptr && i < spec->fields.size()) text += " (" + spec->fields[i].name + ")";
  if (spec != nullptr && i >= spec->fields.size() && spec->rest) {
    text += " (" + spec->rest->name + ")";
  }
  return text + " of " + std::string(result.category) + ":" + std::string(result.event);
}

bool LineParser::check_fields(LineResult& result) {
  const MarkerSpec* spec = result.spec;
  if (spec == nullptr) return true;  // unknown marker of a permissive schema: all words
  const size_t fixed = spec->fields.size();
  if (fields_.size() < fixed || (fields_.size() > fixed && !spec->rest)) {
    malformed(result,
              std::string(result.category) + ":" + std::string(result.event) +
                  (spec->rest ? " takes at least " : " takes ") + std::to_string(fixed) +
                  (fixed == 1 ? " field" : " fields") +
                  (spec->fields.empty() && !spec->rest ? "" : " (" + field_names(*spec) + ")") +
                  ", got " + std::to_string(fields_.size()));
    return false;
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    const FieldSpec& field_spec = i < fixed ? spec->fields[i] : *spec->rest;
    const std::string_view text = fields_[i].text;
    if (!parse_field(text, field_spec, fields_[i])) {
      malformed(result, field_label(result, i) + ": expected " +
                            expected_description(field_spec, text) + ", got " + shown(text));
      return false;
    }
  }
  return true;
}

}  // namespace osh::marker

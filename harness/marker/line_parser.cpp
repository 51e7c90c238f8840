#include "harness/marker/line_parser.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The 8 hex digits (either case) at `p`, checked and converted as one 64-bit word: both ways
// read every marker's CRC with it.
bool hex_word(const char* p, uint32_t& value) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  uint64_t w;
  std::memcpy(&w, p, 8);
  // Bytes below 0x80, where adding up to 0x50 carries into no other byte: each is then in a
  // range when adding (0x80 - low) sets its high bit and adding (0x80 - high - 1) does not.
  const auto at_least = [](uint64_t x, uint8_t low) { return (x + kOnes * (0x80 - low)) & kHigh; };
  const uint64_t folded = w | kOnes * 0x20;  // A-F to a-f; digits keep their values
  const uint64_t digit = at_least(w, '0') & ~at_least(w, '9' + 1);
  const uint64_t letter = at_least(folded, 'a') & ~at_least(folded, 'f' + 1);
  if ((w & kHigh) != 0 || (digit | letter) != kHigh) return false;
  // Each byte's nibble, 9 more for a letter; then the first byte, most significant, is moved
  // to the top and pairs, quads and all eight are combined.
  uint64_t v = __builtin_bswap64((w & kOnes * 0x0F) + (letter >> 7) * 9);
  v = (v | (v >> 4)) & 0x00FF00FF00FF00FF;
  v = (v | (v >> 8)) & 0x0000FFFF0000FFFF;
  value = uint32_t(v | (v >> 16));
  return true;
}

// The high bit of each byte of `w` that is no ASCII digit.
uint64_t not_digits(uint64_t w) {
  const uint64_t bad = non_digit_nibbles(w);
  // A byte's bad bits, if any, gathered into its top bit.
  return (((bad & 0x7F7F7F7F7F7F7F7F) + 0x7F7F7F7F7F7F7F7F) | bad) & 0x8080808080808080;
}

std::string hex32(uint32_t v) {
  char buf[9];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 7; i >= 0; --i, v >>= 4) buf[i] = kHex[v & 0xF];
  return std::string(buf, 8);
}

#if defined(__SSE2__)
// Offsets of the ':' in a marker body, at most kMaxColons of them.
struct Colons {
  static constexpr size_t kMaxColons = 64;
  std::array<uint32_t, kMaxColons> at;
  size_t size = 0;
};

// Finds the ':' in marker[from, end), 16 bytes at a time; false at a byte that no field may
// hold (the precise way then says which) or when there may be more than kMaxColons. Reads no
// further than marker[limit), which is at least 16 bytes from the marker's start.
// Inline: with two instantiations of accept() GCC called it (a call per marker; perf then put
// 9% of `osharness parse`'s samples in it).
__attribute__((always_inline)) inline bool find_colons(const char* marker, size_t from, size_t end,
                                                       size_t limit, Colons& colons) {
  const __m128i space = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F), hash = _mm_set1_epi8('#'),
                colon = _mm_set1_epi8(':');
  size_t count = 0;  // in a register: colons.size in memory would chain every store to a load
  for (size_t at = from; at < end; at += 16) {
    // A block that would reach past `limit` is loaded as the 16 bytes that end there.
    const size_t load = std::min(at, limit - 16);
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(marker + load));
    // Signed compares: bytes >= 0x80 are negative, so not above ' '.
    const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(v, space), _mm_cmplt_epi8(v, del));
    const __m128i field_or_colon = _mm_andnot_si128(_mm_cmpeq_epi8(v, hash), printable);
    const unsigned shift = unsigned(at - load);
    // The block's bytes before `end`, without a branch on whether it is the last block.
    const unsigned wanted = unsigned((uint64_t(1) << std::min<size_t>(end - at, 16)) - 1);
    if ((~unsigned(_mm_movemask_epi8(field_or_colon)) >> shift) & wanted) return false;
    unsigned found = (unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, colon))) >> shift) & wanted;
    if (count > Colons::kMaxColons - 16) return false;  // room for this block's, at most 16
    for (; found != 0; found &= found - 1) {
      colons.at[count++] = uint32_t(at + unsigned(__builtin_ctz(found)));
    }
  }
  colons.size = count;
  return true;
}
#endif

std::string field_names(const MarkerSpec& spec) {
  std::string names;
  for (const auto& f : spec.fields) names += (names.empty() ? "" : ":") + f.name;
  if (spec.rest) names += (names.empty() ? "" : ":") + spec.rest->name + "...";
  return names;
}

}  // namespace

LineParser::LineParser(const Schema& schema, const StreamOptions& options, bool fast)
    : schema_(schema),
      options_(options),
      fast_(fast),
      key_(schema.prefix() + "_"),
      boot_key_(key_ + "BOOT:START"),
      boot_start_(schema.find("BOOT", "START")),
      crc32c_(fastest_crc32c()) {
  const size_t n = std::min<size_t>(key_.size(), 8);
  std::memcpy(&key_word_, key_.data(), n);
  key_mask_ = n == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * n)) - 1;
}

bool LineParser::key_starts(std::string_view line, size_t pos) const {
  if (pos <= line.size() && line.size() - pos >= 8) {
    uint64_t word;
    std::memcpy(&word, line.data() + pos, 8);
    if ((word & key_mask_) != key_word_) return false;
    if (key_.size() <= 8) return true;
  }
  return pos <= line.size() && line.substr(pos).starts_with(key_);
}

size_t LineParser::find_marker(std::string_view line, size_t from) {
  stray_key_ = false;
  for (size_t pos = from;; ++pos) {
    // The caller's hint usually points at the key itself: check there before searching.
    if (!key_starts(line, pos)) pos = line.find(key_, pos);
    if (pos == std::string_view::npos) return pos;
    const size_t next = pos + key_.size();
    if (next < line.size() && grammar::is_upper(line[next]) && is_marker_start(line, pos)) {
      return pos;
    }
    stray_key_ = true;
  }
}

LineResult& LineParser::malformed(LineResult& result, std::string reason) {
  result.kind = LineKind::Malformed;
  reason_ = std::move(reason);
  return result;
}

void LineParser::parse(std::string_view line, size_t from, LineResult& result,
                       std::vector<FieldValue>& fields) {
  const size_t start = find_marker(line, from);
  if (fast_ && start != std::string_view::npos && accept<true>(line, start, result, fields)) return;
  classify_precisely(line, start, result, fields);
}

void LineParser::check(std::string_view line, size_t from, LineResult& result) {
  const size_t start = find_marker(line, from);
  if (fast_ && start != std::string_view::npos && accept<false>(line, start, result, fields_))
    return;
  fields_.clear();
  classify_precisely(line, start, result, fields_);
}

void LineParser::classify_precisely(std::string_view line, size_t start, LineResult& result,
                                    std::vector<FieldValue>& fields) {
  out_ = &fields;
  first_ = fields.size();
  classify(line, start, result);
  if (result.kind != LineKind::Marker && (start != std::string_view::npos || stray_key_)) {
    classify_glued_boot(line, start, result);
  }
}

void LineParser::classify_glued_boot(std::string_view line, size_t start, LineResult& result) {
  const size_t boot = line.rfind(boot_key_);
  if (boot == std::string_view::npos || (start != std::string_view::npos && boot <= start)) {
    return;
  }
  out_->resize(first_);
  classify(line, boot, result);
  if (result.kind == LineKind::Marker && result.boot_start && crc_checked_) return;
  // Not a reset after all: the line keeps its first classification (a rare line, so redoing it
  // costs less than keeping a copy of every result).
  out_->resize(first_);
  classify(line, start, result);
}

template <bool kKeepFields>
bool LineParser::accept(std::string_view line, size_t start, LineResult& result,
                        std::vector<FieldValue>& fields) {
#if defined(__SSE2__)
  const std::string_view marker = line.substr(start);
  const char* const m = marker.data();
  const size_t n = marker.size(), key = key_.size();
  // The shortest such marker is "<key>A:B #0*<8 hex digits>".
  constexpr size_t kShortestSuffix = 12;
  if (n < key + 3 + kShortestSuffix || m[n - 9] != '*') return false;
  uint32_t printed_crc = 0;
  if (!hex_word(m + n - 8, printed_crc)) return false;
  // The seq's digits, backwards from the '*': the 8 bytes before it at once, which hold the
  // '#' of every seq below 10 million; the prefix's first letter stops the loop for longer ones.
  size_t digits = n - 9;
  uint64_t before;
  std::memcpy(&before, m + n - 17, 8);  // n >= key + 15 and key >= 2: inside the marker
  if (const uint64_t other = not_digits(before); other != 0) {
    digits -= size_t(__builtin_clzll(other)) / 8;
  } else {
    while (grammar::is_digit(m[digits - 1])) --digits;
  }
  if (digits < key + 5 || digits == n - 9 || m[digits - 1] != '#' || m[digits - 2] != ' ')
    return false;
  uint64_t seq = 0;
  if (n - 9 - digits <= 8) {
    std::memcpy(&before, m + digits, 8);  // "*<crc>" follows the digits
    seq = digit_word_value(before, n - 9 - digits);
  } else if (parse_decimal<true>(std::string_view(m + digits, n - 9 - digits), UINT64_MAX, seq) !=
             NumberError::None) {
    return false;
  }
  const size_t hash = digits - 2;
  if (crc32c_(m, hash, 0) != printed_crc) return false;
#if defined(__x86_64__)
  static const bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi2");
  if (!kKeepFields && avx512 && hash <= 64) return accept_short(m, hash, seq, result);
#endif

  // Every body byte a field character or ':'; then the name is all before the second ':', and
  // a schema key it matches is a valid CATEGORY:EVENT.
  Colons colons;
  if (!find_colons(m, key, hash, n, colons) || colons.size == 0) return false;
  const size_t name_end = colons.size > 1 ? colons.at[1] : hash;
  const size_t count = colons.size - 1;
  const MarkerSpec* const spec = spec_taking(m, name_end, count);
  if (spec == nullptr) return false;
  const size_t fixed = spec->fields.size();
  const size_t first = fields.size();
  FieldValue checked;  // where a field goes that is not kept
  for (size_t i = 0; i < count; ++i) {
    const size_t begin = colons.at[i + 1] + 1, end = i + 2 < colons.size ? colons.at[i + 2] : hash;
    if (!parse_field<true>(std::string_view(m + begin, end - begin),
                           i < fixed ? spec->fields[i] : *spec->rest,
                           kKeepFields ? fields.emplace_back() : checked)) {
      if (kKeepFields) fields.resize(first);
      return false;
    }
  }
  accepted(m, colons.at[0], name_end, spec, seq, result);
  return true;
#else
  (void)line;
  (void)start;
  (void)result;
  (void)fields;
  return false;
#endif
}

const MarkerSpec* LineParser::spec_taking(const char* m, size_t name_end, size_t count) const {
  const size_t key = key_.size();
  const MarkerSpec* const spec = schema_.find(std::string_view(m + key, name_end - key));
  if (spec == nullptr) return nullptr;
  const size_t fixed = spec->fields.size();
  return count < fixed || (count > fixed && !spec->rest) ? nullptr : spec;
}

void LineParser::accepted(const char* m, size_t first_colon, size_t name_end,
                          const MarkerSpec* spec, uint64_t seq, LineResult& result) {
  const size_t key = key_.size();
  result.kind = LineKind::Marker;
  result.category = std::string_view(m + key, first_colon - key);
  result.event = std::string_view(m + first_colon + 1, name_end - first_colon - 1);
  result.spec = spec;
  result.seq = seq;
  result.seq_trusted = true;
  result.boot_start = spec == boot_start_;
  reason_.clear();
}

#if defined(__x86_64__)
namespace {

// The bits below n (at most 64).
__attribute__((target("bmi2"), always_inline)) inline uint64_t bits_below(size_t n) {
  return _bzhi_u64(~uint64_t(0), unsigned(n));
}

}  // namespace

__attribute__((target("avx512f,avx512bw,bmi,bmi2,popcnt"))) bool LineParser::accept_short(
    const char* m, size_t hash, uint64_t seq, LineResult& result) {
  const size_t key = key_.size();
  // A masked load reads no byte at or past `hash`.
  const __m512i v = _mm512_maskz_loadu_epi8(bits_below(hash), m);
  const uint64_t body = bits_below(hash) & ~bits_below(key);
  // Every body byte a field character or ':' (printable, no '#'; signed compares put bytes
  // >= 0x80 below ' '), as find_colons checks it.
  const uint64_t printable = _mm512_cmpgt_epi8_mask(v, _mm512_set1_epi8(' ')) &
                             _mm512_cmplt_epi8_mask(v, _mm512_set1_epi8(0x7F)) &
                             ~_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('#'));
  uint64_t colons = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':')) & body;
  if ((body & ~printable) != 0 || colons == 0) return false;
  const size_t first_colon = size_t(_tzcnt_u64(colons));
  colons = _blsr_u64(colons);  // the fields' colons
  const size_t name_end = colons != 0 ? size_t(_tzcnt_u64(colons)) : hash;
  const size_t count = size_t(_mm_popcnt_u64(colons));
  const MarkerSpec* const spec = spec_taking(m, name_end, count);
  if (spec == nullptr) return false;
  const size_t fixed = spec->fields.size();
  // The bytes that are digits, and those that are id characters (A-Z a-z 0-9 _ . -; grammar.h).
  const uint64_t digits =
      _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(9));
  const uint64_t letters = _mm512_cmple_epu8_mask(
      _mm512_sub_epi8(_mm512_or_si512(v, _mm512_set1_epi8(0x20)), _mm512_set1_epi8('a')),
      _mm512_set1_epi8('z' - 'a'));
  const uint64_t id = digits | letters | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_')) |
                      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.')) |
                      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
  // Per type, the bytes it may not hold and the lengths taken here; the rest (enum, i64, f64,
  // a u32 of 10 digits, a u64 of 20) as accept() takes them.
  struct Rule {
    uint8_t bad;  // 0: none, 1: no digit, 2: no id character
    uint8_t min, max;
    bool here;
  };
  static constexpr Rule kRules[] = {
      {1, 1, 9, true},                               // U32: 9 digits are below 2^32
      {1, 1, 19, true},                              // U64: 19 digits are below 2^64
      {0, 0, 0, false},                              // I64
      {0, 0, 0, false},                              // F64
      {0, 0, 64, true},                              // Word: any field characters
      {0, 0, 0, false},                              // Enum
      {2, 1, uint8_t(grammar::kMaxIdLength), true},  // Id
  };
  static_assert(size_t(FieldType::U32) == 0 && size_t(FieldType::U64) == 1 &&
                    size_t(FieldType::I64) == 2 && size_t(FieldType::F64) == 3 &&
                    size_t(FieldType::Word) == 4 && size_t(FieldType::Enum) == 5 &&
                    size_t(FieldType::Id) == 6 && std::size(kRules) == 7,
                "kRules follows FieldType's order");
  const uint64_t bad[] = {0, ~digits, ~id};
  FieldValue checked;
  for (size_t i = 0; i < count; ++i) {
    const size_t begin = size_t(_tzcnt_u64(colons)) + 1;
    colons = _blsr_u64(colons);
    const size_t end = colons != 0 ? size_t(_tzcnt_u64(colons)) : hash;
    const FieldSpec& field = i < fixed ? spec->fields[i] : *spec->rest;
    const Rule rule = kRules[size_t(field.type)];
    const size_t length = end - begin;
    if (rule.here && length <= rule.max) {
      if (length < rule.min || (bad[rule.bad] & bits_below(end) & ~bits_below(begin)) != 0)
        return false;
    } else if (!parse_field<true>(std::string_view(m + begin, length), field, checked)) {
      return false;
    }
  }
  accepted(m, first_colon, name_end, spec, seq, result);
  return true;
}
#endif

void LineParser::classify(std::string_view line, size_t start, LineResult& result) {
  // Member by member: zeroing the whole struct compiles to a slow `rep stos`.
  result.kind = LineKind::Noise;
  result.category = result.event = {};
  result.spec = nullptr;
  result.seq.reset();
  result.seq_trusted = result.boot_start = false;
  crc_checked_ = false;
  reason_.clear();
  if (start == std::string_view::npos) return;
  const std::string_view marker = line.substr(start);

  std::string_view body = marker;
  bool has_crc = false;
  // Fields hold neither space nor '#', so the last " #" is the suffix even when interleaved
  // output damaged the body; the CRC then tells a corrupt marker from a malformed one.
  const size_t hash = suffix_start(marker);
  if (hash != std::string_view::npos) {
    // "<seq>*<8 hex digits>" or "<seq>": a CRC, when present, is the last 9 bytes.
    const std::string_view suffix = marker.substr(hash + 2);
    const bool crc = suffix.size() >= 9 && suffix[suffix.size() - 9] == '*';
    const std::string_view digits = crc ? suffix.substr(0, suffix.size() - 9) : suffix;
    uint64_t seq = 0;
    uint32_t printed_crc = 0;
    if (parse_decimal(digits, UINT64_MAX, seq) != NumberError::None ||
        (crc && !hex_word(suffix.data() + suffix.size() - 8, printed_crc))) {
      malformed(result, "bad sequence suffix " + shown(marker.substr(hash, kShownBytes)) +
                            " (expected \" #<decimal seq>\" or \" #<seq>*<8 hex digits>\" "
                            "at the end)");
      return;
    }
    body = body.substr(0, hash);
    result.seq = seq;
    result.seq_trusted = true;
    has_crc = crc;
    if (crc) {
      const uint32_t computed_crc = crc32c(body.data(), body.size());
      if (computed_crc != printed_crc) {
        result.kind = LineKind::Corrupt;
        result.seq_trusted = false;
        reason_ = "CRC-32C mismatch: the marker says " + hex32(printed_crc) + ", its bytes give " +
                  hex32(computed_crc);
        return;
      }
      crc_checked_ = true;
    }
  }
  if (!parse_body(body.substr(key_.size()), result) || !check_fields(result)) return;
  if (options_.require_seq && !result.seq) {
    malformed(result, "missing sequence number \" #<seq>\" (this stream requires one)");
  } else if (options_.require_crc && !has_crc) {
    malformed(result,
              "missing CRC-32C \"*<8 hex digits>\" after the sequence number "
              "(this stream requires one)");
  } else {
    result.kind = LineKind::Marker;
  }
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
    const std::string_view text = body.substr(field_start, p - field_start);
    out_->emplace_back().text = text;
    if (bad < p) {
      malformed(result, field_label(result, parsed_fields().size() - 1) + ": bad character " +
                            char_shown(body[bad]) + " in " + shown(text) +
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
  const std::span<FieldValue> fields = parsed_fields();
  if (fields.size() < fixed || (fields.size() > fixed && !spec->rest)) {
    malformed(result,
              std::string(result.category) + ":" + std::string(result.event) +
                  (spec->rest ? " takes at least " : " takes ") + std::to_string(fixed) +
                  (fixed == 1 ? " field" : " fields") +
                  (spec->fields.empty() && !spec->rest ? "" : " (" + field_names(*spec) + ")") +
                  ", got " + std::to_string(fields.size()));
    return false;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& field_spec = i < fixed ? spec->fields[i] : *spec->rest;
    const std::string_view text = fields[i].text;
    if (!parse_field(text, field_spec, fields[i])) {
      malformed(result, field_label(result, i) + ": expected " +
                            expected_description(field_spec, text) + ", got " + shown(text));
      return false;
    }
  }
  return true;
}

}  // namespace osh::marker

#pragma once
// Character classes and names of the marker grammar (docs/schema.md, "Wire format"), shared by the
// schema loader and the line parser so that both agree on what a valid name or field is.
// Table-driven: the parser looks at every byte of every marker, and branches on random data
// mispredict.
#include <array>
#include <cstdint>
#include <string_view>

namespace osh::marker::grammar {

enum CharClass : uint8_t {
  kUpper = 1,
  kDigit = 2,
  kNameChar = 4,   // UPPER / DIGIT / "_"
  kFieldChar = 8,  // printable ASCII except ':' '#' and space
  kIdChar = 16,    // A-Z a-z 0-9 _ . -
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = 0;
    const bool upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (upper) k |= kUpper;
    if (digit) k |= kDigit;
    if (upper || digit || c == '_') k |= kNameChar;
    if (c > ' ' && c < 0x7F && c != ':' && c != '#') k |= kFieldChar;
    if (upper || digit || (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == '-') {
      k |= kIdChar;
    }
    t[c] = k;
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kClasses = make_classes();

constexpr bool has(char c, uint8_t cls) { return (kClasses[static_cast<uint8_t>(c)] & cls) != 0; }
constexpr bool is_upper(char c) { return has(c, kUpper); }
constexpr bool is_digit(char c) { return has(c, kDigit); }
constexpr bool is_name_char(char c) { return has(c, kNameChar); }
constexpr bool is_field_char(char c) { return has(c, kFieldChar); }
constexpr bool is_id_char(char c) { return has(c, kIdChar); }
constexpr size_t kMaxIdLength = 64;

// prefix = UPPER *( UPPER / DIGIT )
bool is_prefix(std::string_view s);
// category / event = UPPER *( UPPER / DIGIT / "_" )
bool is_name(std::string_view s);
// Every byte a field character (the empty field too).
bool is_field_text(std::string_view s);

}  // namespace osh::marker::grammar

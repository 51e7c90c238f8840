#pragma once
// Percent-encoding and -decoding (URL Standard, "Percent-encoded bytes"): the encode sets, UTF-8
// percent-encoding of code points and strings, and percent-decoding to bytes.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"

namespace rayos::web {

// Each set contains the one before it in this list plus its own code points, as in the
// standard (the special-query set is the query set plus U+0027 and is not in the chain).
enum class EncodeSet : uint8_t {
  kC0Control,       // C0 controls and every code point above U+007E
  kFragment,        // + space " < > `
  kQuery,           // C0 + space " # < >
  kSpecialQuery,    // query + '
  kPath,            // query + ? ^ ` { }
  kUserinfo,        // path + / : ; = @ [ \ ] ^ |
  kComponent,       // userinfo + $ % & + ,
  kFormUrlencoded,  // component + ! ' ( ) ~
};

bool in_encode_set(uint32_t code_point, EncodeSet set);

// UTF-8 percent-encodes one code point: its UTF-8 bytes, each as %XX (uppercase hex) when the
// code point is in `set`, else as is.
void percent_encode(uint32_t code_point, EncodeSet set, TextSink& out);
// The same for every code point of `text` (UTF-8 decoded with U+FFFD for invalid bytes). With
// `space_as_plus`, U+0020 becomes '+' (application/x-www-form-urlencoded).
void percent_encode(StringView text, EncodeSet set, TextSink& out, bool space_as_plus = false);

// "%XX" with two hex digits becomes the byte 0xXX; every other byte is kept.
void percent_decode(StringView text, TextSink& out);

}  // namespace rayos::web

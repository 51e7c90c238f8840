#include "harness/base/escape.h"

#include <gtest/gtest.h>

namespace osh {
namespace {

using namespace std::string_literals;

TEST(EscapeText, KeepsPrintableAsciiAndValidUtf8) {
  EXPECT_EQ(escape_text("RAYOS_BOOT:START:0.1 #0*1a2b3c4d"), "RAYOS_BOOT:START:0.1 #0*1a2b3c4d");
  EXPECT_EQ(escape_text("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(EscapeText, EscapesControlBytesSoNoTerminalSequenceSurvives) {
  EXPECT_EQ(escape_text("\x1b[2J\x1b]0;title\x07"), "\\x1b[2J\\x1b]0;title\\x07");
  EXPECT_EQ(escape_text("a\0b"s), "a\\x00b");
  EXPECT_EQ(escape_text("\r\n\t\x7f"), "\\x0d\\x0a\\t\\x7f");
  EXPECT_EQ(escape_text("back\\slash"), "back\\\\slash");
}

TEST(EscapeText, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(escape_text("\xC3"), "\\xc3");                             // truncated sequence
  EXPECT_EQ(escape_text("\xC0\xAF"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(escape_text("\xED\xA0\x80"), "\\xed\\xa0\\x80");           // UTF-16 surrogate
  EXPECT_EQ(escape_text("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
  EXPECT_EQ(escape_text("\xC2\x9B"), "\\xc2\\x9b");                    // C1 CSI, a terminal escape
  EXPECT_EQ(escape_text("\xFF ok"), "\\xff ok");
}

TEST(EscapeMarkup, EscapesEntitiesAfterBytes) {
  EXPECT_EQ(escape_markup("<script>alert('x&y')</script>"),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;");
  EXPECT_EQ(escape_markup("\"\x01\""), "&quot;\\x01&quot;");
}

TEST(EscapeTextTruncated, CutsAtTheLimitAndMarksTheCut) {
  EXPECT_EQ(escape_text_truncated("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(escape_text_truncated("abc", 3), "abc");
  // A multi-byte character that starts before the limit is kept whole.
  EXPECT_EQ(escape_text_truncated("ab\xC3\xA9x", 3), "ab\xC3\xA9\xE2\x80\xA6");
}

}  // namespace
}  // namespace osh

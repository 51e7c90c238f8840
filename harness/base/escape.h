#pragma once
// Everything the guest prints is untrusted: arbitrary bytes, invalid UTF-8, NULs, escape
// sequences. These turn such bytes into text that is safe for one destination each.
#include <string>
#include <string_view>

namespace osh {

// Printable, valid UTF-8 is kept; control bytes, invalid UTF-8 and backslashes become
// \xNN / \\ escapes. Safe for terminals (no escape sequences survive), logs and JSON strings.
std::string escape_text(std::string_view bytes);

// escape_text, then XML/HTML entities for & < > " '. Safe in element content and attributes.
std::string escape_markup(std::string_view bytes);

// escape_text in double quotes: a path or argument in a sentence, its ends visible.
std::string quoted_text(std::string_view bytes);

// At most `max_bytes` of input, with "…" appended when cut; never splits an escape.
std::string escape_text_truncated(std::string_view bytes, size_t max_bytes);

}  // namespace osh

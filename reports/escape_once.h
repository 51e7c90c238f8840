#pragma once
// Guest strings reach the writers escaped once already: the runner stores escape_text of what
// the guest printed ("\x1b" for an ESC byte, "\\" for a backslash), and the journal keeps that.
// Each writer still escapes every string for its format, in case raw bytes get there (a
// hand-edited journal, a string that missed the runner's escaping), but keeps backslashes as
// they are: escape_text would double them, and a report would show "\\x1b" for an ESC byte.
#include <string>
#include <string_view>

namespace osh::reports {

// escape_text, except that a backslash stays one backslash.
std::string escape_text_once(std::string_view text);

// escape_markup, except that a backslash stays one backslash. Safe in element content and in
// quoted attributes (a backslash means nothing there).
std::string escape_markup_once(std::string_view text);

// Length in bytes of the character of escape_markup output that starts at `i`: an entity
// ("&lt;"), a UTF-8 sequence or one byte. Where such output may be cut, and what a reader
// counts as one character.
size_t markup_char_length(std::string_view markup, size_t i);

}  // namespace osh::reports

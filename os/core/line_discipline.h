#pragma once
// Turns received bytes into whole lines for the shell. CR, LF and CR LF each end one line;
// backspace and DEL erase; other control bytes are dropped; an overlong line is reported once and
// its rest discarded up to the end of line.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos {

class LineDiscipline {
 public:
  static constexpr size_t kMaxLine = 256;

  enum class Event { kNone, kLine, kOverflow };

  // kLine: line() holds the completed line until the next feed(). kOverflow: the current line
  // exceeded kMaxLine bytes; its remaining bytes up to the end of line are dropped.
  Event feed(uint8_t byte);
  StringView line() const { return StringView(buf_, line_len_); }

 private:
  char buf_[kMaxLine]{};
  size_t len_ = 0;
  size_t line_len_ = 0;
  bool discarding_ = false;
  bool after_cr_ = false;
};

}  // namespace rayos

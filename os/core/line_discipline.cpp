#include "os/core/line_discipline.h"

namespace rayos {

LineDiscipline::Event LineDiscipline::feed(uint8_t byte) {
  bool was_after_cr = after_cr_;
  after_cr_ = byte == '\r';
  if (byte == '\n' && was_after_cr) return Event::kNone;  // the LF of a CR LF pair
  if (byte == '\r' || byte == '\n') {
    bool discarded = discarding_;
    discarding_ = false;
    line_len_ = len_;
    len_ = 0;
    return discarded ? Event::kNone : Event::kLine;
  }
  if (discarding_) return Event::kNone;
  if (byte == '\b' || byte == 0x7f) {
    if (len_ > 0) --len_;
    return Event::kNone;
  }
  if (byte < ' ' && byte != '\t') return Event::kNone;
  if (len_ == kMaxLine) {
    discarding_ = true;
    len_ = 0;
    return Event::kOverflow;
  }
  buf_[len_++] = static_cast<char>(byte);
  return Event::kNone;
}

}  // namespace rayos

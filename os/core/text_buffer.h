#pragma once
// A fixed-capacity text builder for error reasons (no allocation, silently cut when full).
#include <stddef.h>
#include <stdint.h>

#include "os/core/format.h"
#include "os/core/string_view.h"

namespace rayos {

class TextBuffer {
 public:
  static constexpr size_t kCapacity = 256;

  TextBuffer& add(StringView text) {
    for (char c : text)
      if (len_ < kCapacity) buf_[len_++] = c;
    return *this;
  }
  TextBuffer& add(uint64_t value) {
    char digits[kMaxIntChars];
    return add(StringView(digits, format_u64(value, digits)));
  }
  TextBuffer& add(Hex value) {
    char digits[kMaxIntChars];
    return add(StringView(digits, format_hex(value.value, digits)));
  }
  void clear() { len_ = 0; }
  StringView view() const { return StringView(buf_, len_); }

 private:
  char buf_[kCapacity];
  size_t len_ = 0;
};

}  // namespace rayos

#pragma once
// Byte strings built into fixed storage for the web parsers (URL, MIME type, data: URL). Nothing
// here allocates: a string that does not fit is cut and remembers it (overflowed()), so a parser
// can report "too long" instead of writing past its buffer or returning a wrong answer.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::web {

class TextSink {
 public:
  constexpr TextSink(char* data, size_t capacity) : data_(data), capacity_(capacity) {}
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  void push(char c) {
    if (size_ < capacity_) {
      data_[size_++] = c;
    } else {
      overflowed_ = true;
    }
  }
  void append(StringView text) {
    for (char c : text) push(c);
  }
  // Appends `code_point` as UTF-8.
  void append_code_point(uint32_t code_point);
  void clear() {
    size_ = 0;
    overflowed_ = false;
  }
  void truncate(size_t size) {
    if (size < size_) size_ = size;
  }
  void lowercase_ascii() {
    for (size_t i = 0; i < size_; ++i)
      if (data_[i] >= 'A' && data_[i] <= 'Z') data_[i] = static_cast<char>(data_[i] + ('a' - 'A'));
  }
  void assign(StringView text) {
    clear();
    append(text);
  }

  StringView view() const { return StringView(data_, size_); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool overflowed() const { return overflowed_; }
  char back() const { return size_ ? data_[size_ - 1] : '\0'; }

 private:
  char* data_;
  size_t capacity_;
  size_t size_ = 0;
  bool overflowed_ = false;
};

// A TextSink with its own storage.
template <size_t N>
class FixedText : public TextSink {
 public:
  constexpr FixedText() : TextSink(storage_, N) {}

 private:
  char storage_[N]{};
};

}  // namespace rayos::web

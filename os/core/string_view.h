#pragma once
// A tiny non-owning view of characters. The guest has no libstdc++, so core code uses this
// instead of std::string_view; hosted tests convert with std::string(v.data(), v.size()).
#include <stddef.h>

namespace rayos {

class StringView {
 public:
  constexpr StringView() = default;
  constexpr StringView(const char* data, size_t size) : data_(data), size_(size) {}
  // Implicit from string literals and C strings, like std::string_view.
  constexpr StringView(const char* cstr) : data_(cstr), size_(length_of(cstr)) {}  // NOLINT

  constexpr const char* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr char operator[](size_t i) const { return data_[i]; }
  constexpr const char* begin() const { return data_; }
  constexpr const char* end() const { return data_ + size_; }

  // Clamped like std::string_view::substr, but never throws: out-of-range gives an empty view.
  constexpr StringView substr(size_t pos, size_t count = static_cast<size_t>(-1)) const {
    if (pos > size_) return StringView(data_ + size_, 0);
    size_t rest = size_ - pos;
    return StringView(data_ + pos, count < rest ? count : rest);
  }

  static constexpr size_t npos = static_cast<size_t>(-1);
  constexpr size_t find(char c, size_t from = 0) const {
    for (size_t i = from; i < size_; ++i)
      if (data_[i] == c) return i;
    return npos;
  }
  constexpr bool starts_with(StringView prefix) const {
    return prefix.size_ <= size_ && StringView(data_, prefix.size_) == prefix;
  }

  friend constexpr bool operator==(StringView a, StringView b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i)
      if (a.data_[i] != b.data_[i]) return false;
    return true;
  }

 private:
  static constexpr size_t length_of(const char* s) {
    size_t n = 0;
    while (s[n] != '\0') ++n;
    return n;
  }

  const char* data_ = "";
  size_t size_ = 0;
};

}  // namespace rayos

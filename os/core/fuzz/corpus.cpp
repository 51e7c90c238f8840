#include "os/core/fuzz/corpus.h"

namespace rayos {

bool Corpus::add(const uint8_t* data, size_t size) {
  if (count_ == capacity_ || size > kMaxFuzzInput) return false;
  FuzzInput& entry = entries_[count_++];
  entry.size = static_cast<uint8_t>(size);
  __builtin_memcpy(entry.bytes, data, size);
  return true;
}

bool read_corpus_image(StringView image, Corpus& corpus, size_t& skipped, StringView& error) {
  skipped = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(image.data());
  if (image.size() < 12 || !(image.substr(0, 8) == StringView(kCorpusImageMagic, 8))) {
    error = "not_a_corpus_image(no_OSHFUZZ1_magic)";
    return false;
  }
  const uint32_t count = uint32_t{bytes[8]} | uint32_t{bytes[9]} << 8 | uint32_t{bytes[10]} << 16 |
                         uint32_t{bytes[11]} << 24;
  size_t pos = 12;
  for (uint32_t i = 0; i < count; ++i) {
    if (image.size() - pos < 2) {
      error = "corpus_image_truncated_in_an_entry_length";
      return false;
    }
    const size_t size = size_t{bytes[pos]} | size_t{bytes[pos + 1]} << 8;
    pos += 2;
    if (image.size() - pos < size) {
      error = "corpus_image_truncated_in_an_entry";
      return false;
    }
    if (!corpus.add(bytes + pos, size < kMaxFuzzInput ? size : kMaxFuzzInput)) ++skipped;
    pos += size;
  }
  if (pos != image.size()) {
    error = "corpus_image_has_bytes_after_its_last_entry";
    return false;
  }
  return true;
}

}  // namespace rayos

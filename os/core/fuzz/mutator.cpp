#include "os/core/fuzz/mutator.h"

namespace rayos {
namespace {

// Bytes that separate or end tokens in text parsers, and digit edges.
constexpr uint8_t kInteresting[] = {' ', '\t', '\n', '=', ',', '.', ':', '0', '1', '9', 0, 0xff};

}  // namespace

void Mutator::insert(FuzzInput& input, size_t at, const uint8_t* data, size_t size) {
  if (size > kMaxFuzzInput - input.size) size = kMaxFuzzInput - input.size;
  if (size == 0) return;
  __builtin_memmove(input.bytes + at + size, input.bytes + at, input.size - at);
  __builtin_memcpy(input.bytes + at, data, size);
  input.size = static_cast<uint8_t>(input.size + size);
}

void Mutator::erase(FuzzInput& input, size_t at, size_t size) {
  if (size > input.size - at) size = input.size - at;
  __builtin_memmove(input.bytes + at, input.bytes + at + size, input.size - at - size);
  input.size = static_cast<uint8_t>(input.size - size);
}

void Mutator::mutate_once(const Corpus& corpus, FuzzInput& input) {
  const size_t size = input.size;
  const size_t at = prng_.below(size + 1);  // a position to insert at; < size to change
  switch (prng_.below(8)) {
    case 0:  // flip a bit
      if (size > 0) input.bytes[at % size] ^= static_cast<uint8_t>(1u << prng_.below(8));
      break;
    case 1: {  // set a byte, half the time to a parser-significant one
      if (size == 0) break;
      const uint8_t b = prng_.chance(1, 2) ? kInteresting[prng_.below(sizeof kInteresting)]
                                           : static_cast<uint8_t>(prng_.next());
      input.bytes[at % size] = b;
      break;
    }
    case 2: {  // insert a byte
      const uint8_t b = kInteresting[prng_.below(sizeof kInteresting)];
      insert(input, at, &b, 1);
      break;
    }
    case 3:  // erase up to 8 bytes
      if (size > 0) erase(input, at % size, 1 + prng_.below(8));
      break;
    case 4: {  // copy a chunk of the input to another place
      if (size == 0) break;
      uint8_t chunk[kMaxFuzzInput];
      const size_t from = prng_.below(size);
      const size_t len = 1 + prng_.below(size - from);
      __builtin_memcpy(chunk, input.bytes + from, len);
      insert(input, at, chunk, len);
      break;
    }
    case 5:
    case 6: {  // insert or overwrite with a dictionary word
      if (dictionary_.count == 0) break;
      const StringView word = dictionary_.words[prng_.below(dictionary_.count)];
      const auto* bytes = reinterpret_cast<const uint8_t*>(word.data());
      if (prng_.chance(1, 2)) {
        insert(input, at, bytes, word.size());
      } else {
        erase(input, at, word.size());
        insert(input, at, bytes, word.size());
      }
      break;
    }
    default: {  // splice: this input's head, another entry's tail
      if (corpus.size() == 0) break;
      const FuzzInput& other = corpus[prng_.below(corpus.size())];
      const size_t from = prng_.below(other.size + 1u);
      input.size = static_cast<uint8_t>(at);
      insert(input, at, other.bytes + from, other.size - from);
      break;
    }
  }
}

void Mutator::next(const Corpus& corpus, FuzzInput& out) {
  out.size = 0;
  if (corpus.size() > 0) out = corpus[prng_.below(corpus.size())];
  const uint64_t changes = uint64_t{1} << prng_.below(4);  // 1, 2, 4 or 8, as AFL's havoc
  for (uint64_t i = 0; i < changes; ++i) mutate_once(corpus, out);
}

}  // namespace rayos

// WordSieve against a plain search for the earliest word, at every start and end of a buffer.
#include "harness/base/word_sieve.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace osh {
namespace {

// The earliest place in [p, end) where a word lies wholly inside, by std::string::find.
const char* earliest(const std::string& buffer, size_t from, size_t to,
                     const std::vector<std::string>& words) {
  size_t best = std::string::npos;
  const std::string part = buffer.substr(from, to - from);
  for (const std::string& word : words) {
    const size_t at = part.find(word);
    if (at != std::string::npos && at < best) best = at;
  }
  return best == std::string::npos ? nullptr : buffer.data() + from + best;
}

// Random buffers of `alphabet`'s bytes with some of the words put in, each searched from many
// starts to many ends by the sieve (every way) and by a plain search.
void expect_like_a_plain_search(const std::vector<std::string>& words,
                                const std::string& alphabet) {
  const WordSieve sieve(words);
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string buffer(size_t(rng() % 300), ' ');
    for (char& c : buffer) c = alphabet[rng() % alphabet.size()];
    for (int k = 0; k < 3; ++k) {  // and some whole words at random places
      const std::string& word = words[rng() % words.size()];
      if (buffer.size() > word.size())
        buffer.replace(rng() % (buffer.size() - word.size()), word.size(), word);
    }
    for (size_t from = 0; from <= buffer.size(); from += 1 + rng() % 7) {
      for (size_t to = from; to <= buffer.size(); to += 1 + rng() % 40) {
        const char* want = earliest(buffer, from, to, words);
        const char* p = buffer.data() + from;
        const char* end = buffer.data() + to;
        for (const auto way : {WordSieve::Way::Fastest, WordSieve::Way::Avx512,
                               WordSieve::Way::Avx2, WordSieve::Way::Memmem})
          EXPECT_EQ(sieve.find(p, end, way), want)
              << round << " " << from << " " << to << " way " << int(way);
      }
    }
  }
}

TEST(WordSieve, FindsTheEarliestWordLikeAPlainSearch) {
  // Linux's crash trigger words and more than eight (two share each bucket), some sharing first
  // bytes, one a prefix of another. The alphabet: mostly bytes that start words, so that near
  // misses ("BUx", "kernel BUG a") are common, and a byte above 0x7F.
  expect_like_a_plain_search(
      {"BUG:", "WARNING:", "INFO:", "Kernel panic - not syncing", "general protection fault",
       "Unable to handle kernel", "kernel BUG at", "divide error", "divide_error", "invalid opcode",
       "stack segment", "PANIC: double fault", "UBSAN:", "BUG"},
      "BUGWARNINGkernel :_divpanicKUSA\n\xff");
}

TEST(WordSieve, WordsThatOverlapWithWindowsAtDifferentPlaces) {
  // Each word is sieved by its three bytes with the fewest lowercase letters: "aaXYZ" by "XYZ",
  // found after "aXY" in "aaXYZ" though it starts first.
  const WordSieve sieve({"aaXYZ", "aXY"});
  const std::string text = "..aaXYZ..";
  for (const auto way : {WordSieve::Way::Fastest, WordSieve::Way::Avx2})
    EXPECT_EQ(sieve.find(text.data(), text.data() + text.size(), way), text.data() + 2);
  expect_like_a_plain_search({"aaXYZ", "aXY", "YZa", "ZZaaX", "XYZa b"}, "aXYZ b");
}

TEST(WordSieve, WordsWithBytesAboveAscii) {
  // UTF-8 words: their bytes above 0x7F share low nibbles with ASCII letters ('\xc2' with 'B',
  // '\xa0' with ' ' and '0', '\xc3\xa9' with 'C' and 'i').
  expect_like_a_plain_search({"\xc2\xa0"
                              "BUG",
                              "\xc3\xa9"
                              "chec:",
                              "BUG:", "Bi\xc3\xa9"},
                             "BUGchec:i \xc2\xa0\xc3\xa9\xff\n");
}

TEST(WordSieve, ShortWordsAndNoWords) {
  const std::string text = std::string(100, '.') + "ab" + std::string(100, '.') + "x";
  const WordSieve short_words({"x", "ab"});
  EXPECT_EQ(short_words.find(text.data(), text.data() + text.size()), text.data() + 100);
  EXPECT_EQ(short_words.find(text.data() + 101, text.data() + text.size()),
            text.data() + text.size() - 1);
  const WordSieve none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.find(text.data(), text.data() + text.size()), nullptr);
  EXPECT_THROW(WordSieve({"a", ""}), std::invalid_argument);
}

}  // namespace
}  // namespace osh

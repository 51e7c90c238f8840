// split_lines against a plain reference: every line, and a key hint that never skips a key.
#include "harness/marker/line_splitter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace osh::marker {
namespace {

struct Line {
  size_t begin, end, hint;
  bool operator==(const Line&) const = default;
};

enum class Way { Dispatched, Sse2, Avx2, Scalar };

std::vector<Line> split(const std::string& buf, std::string_view key, Way way, size_t* rest) {
  std::vector<Line> lines;
  auto on_line = [&](const char* b, const char* lf, size_t hint) {
    lines.push_back({size_t(b - buf.data()), size_t(lf - buf.data()), hint});
  };
  const char* begin = buf.data();
  const char* end = begin + buf.size();
  const char* tail = nullptr;
  switch (way) {
    case Way::Dispatched:
      tail = split_lines(begin, end, key, on_line);
      break;
    case Way::Scalar:
      tail = split_lines(begin, end, key, on_line, /*vectorised=*/false);
      break;
#if defined(__x86_64__)
    case Way::Sse2:
      tail = split_detail::split_sse2(begin, end, key, on_line);
      break;
    case Way::Avx2:
      tail = split_detail::split_avx2(begin, end, key, on_line);
      break;
#else
    default:
      tail = split_lines(begin, end, key, on_line);
#endif
  }
  *rest = size_t(tail - buf.data());
  return lines;
}

class LineSplitter : public ::testing::TestWithParam<Way> {};

TEST_P(LineSplitter, MatchesAReferenceOnRandomBuffers) {
  if (GetParam() == Way::Avx2 && !__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2";
  const std::string_view key = "RAYOS_";
  const std::string pieces[] = {
      "\n", "R", "RA", "RAYOS_", "RAYOS_X", "x", "abcdefghijklmnop", "\r\n", std::string(70, 'y')};
  std::mt19937 rng(99);
  for (int round = 0; round < 3000; ++round) {
    std::string buf;
    const size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) buf += pieces[rng() % std::size(pieces)];
    size_t rest = 0;
    const std::vector<Line> got = split(buf, key, GetParam(), &rest);
    size_t begin = 0, k = 0;
    for (size_t lf = buf.find('\n'); lf != std::string::npos; lf = buf.find('\n', begin)) {
      ASSERT_LT(k, got.size()) << round;
      const std::string_view text(buf.data() + begin, lf - begin);
      const size_t first_key = text.find(key);
      EXPECT_EQ(got[k].begin, begin) << round;
      EXPECT_EQ(got[k].end, lf) << round;
      if (first_key == std::string_view::npos) {
        // A hint is allowed on a line without key (a near miss like "RA"), never past a key.
        EXPECT_TRUE(got[k].hint == std::string_view::npos || got[k].hint <= text.size());
      } else {
        EXPECT_LE(got[k].hint, first_key) << round << " line " << k;
      }
      begin = lf + 1;
      ++k;
    }
    EXPECT_EQ(k, got.size()) << round;
    EXPECT_EQ(rest, begin) << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Ways, LineSplitter,
                         ::testing::Values(Way::Dispatched, Way::Sse2, Way::Avx2, Way::Scalar));

}  // namespace
}  // namespace osh::marker

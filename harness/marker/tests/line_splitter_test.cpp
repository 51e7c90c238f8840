// split_lines against a plain reference: every line, and a key hint that never skips a key;
// split_key_lines against split_lines: the same lines that may hold the key, and the count.
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

struct Split {
  std::vector<Line> lines;
  size_t rest = 0;
  uint64_t count = 0;  // lines counted by split_key_lines
};

// every_line false: split_key_lines (on_line only where the key may be).
Split split(const std::string& buf, std::string_view key, Way way, bool every_line) {
  Split out;
  auto on_line = [&](const char* b, const char* lf, size_t hint) {
    out.lines.push_back({size_t(b - buf.data()), size_t(lf - buf.data()), hint});
  };
  const char* begin = buf.data();
  const char* end = begin + buf.size();
  const char* tail = nullptr;
  const auto portable = [&](bool vectorised) {
    return every_line ? split_lines(begin, end, key, on_line, vectorised)
                      : split_key_lines(begin, end, key, out.count, on_line, vectorised);
  };
  switch (way) {
    case Way::Dispatched:
    case Way::Scalar:
      tail = portable(way == Way::Dispatched);
      break;
#if defined(__x86_64__)
    case Way::Sse2:
      tail = every_line ? split_detail::split_sse2<true>(begin, end, key, out.count, on_line)
                        : split_detail::split_sse2<false>(begin, end, key, out.count, on_line);
      break;
    case Way::Avx2:
      tail = every_line ? split_detail::split_avx2<true>(begin, end, key, out.count, on_line)
                        : split_detail::split_avx2<false>(begin, end, key, out.count, on_line);
      break;
#else
    default:
      tail = portable(true);
#endif
  }
  out.rest = size_t(tail - buf.data());
  return out;
}

class LineSplitter : public ::testing::TestWithParam<Way> {};

TEST_P(LineSplitter, MatchesAReferenceOnRandomBuffers) {
  if (GetParam() == Way::Avx2 && !__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2";
  const std::string_view key = "RAYOS_";
  const std::string pieces[] = {"\n",
                                "R",
                                "RA",
                                "RAYOS_",
                                "RAYOS_X",
                                "RAYOS ",
                                "_",
                                "x",
                                "abcdefghijklmnop",
                                "\r\n",
                                std::string(70, 'y')};
  std::mt19937 rng(99);
  for (int round = 0; round < 3000; ++round) {
    std::string buf;
    const size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) buf += pieces[rng() % std::size(pieces)];
    const Split all = split(buf, key, GetParam(), /*every_line=*/true);
    const std::vector<Line>& got = all.lines;
    size_t begin = 0, k = 0;
    for (size_t lf = buf.find('\n'); lf != std::string::npos; lf = buf.find('\n', begin)) {
      ASSERT_LT(k, got.size()) << round;
      const std::string_view text(buf.data() + begin, lf - begin);
      const size_t first_key = text.find(key);
      EXPECT_EQ(got[k].begin, begin) << round;
      EXPECT_EQ(got[k].end, lf) << round;
      if (first_key == std::string_view::npos) {
        // A hint is allowed on a line without key (a near miss: "RESET_" has the
        // key's first and last bytes), never past a key.
        EXPECT_TRUE(got[k].hint == std::string_view::npos || got[k].hint <= text.size());
      } else {
        EXPECT_LE(got[k].hint, first_key) << round << " line " << k;
      }
      begin = lf + 1;
      ++k;
    }
    EXPECT_EQ(k, got.size()) << round;
    EXPECT_EQ(all.rest, begin) << round;

    const Split keyed = split(buf, key, GetParam(), /*every_line=*/false);
    std::vector<Line> may_hold_key;
    for (const Line& line : got) {
      if (line.hint != std::string_view::npos) may_hold_key.push_back(line);
    }
    EXPECT_EQ(keyed.lines, may_hold_key) << round;
    EXPECT_EQ(keyed.count, k) << round;
    EXPECT_EQ(keyed.rest, begin) << round;
  }
}

// A boot banner begins like a marker ("RAYOS kernel" against "RAYOS_"): its lines are counted,
// not handed over as lines that may hold the key.
TEST_P(LineSplitter, ABannerThatBeginsLikeTheKeyIsNoCandidate) {
  if (GetParam() == Way::Avx2 && !__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2";
  std::string buf;
  for (int i = 0; i < 100; ++i) buf += "[    0.078957] RAYOS kernel 0.8 (gcc 12.2.0) #148 SMP\n";
  buf += "RAYOS_BOOT:READY #1\n";
  const Split keyed = split(buf, "RAYOS_", GetParam(), /*every_line=*/false);
  ASSERT_EQ(keyed.lines.size(), 1u);
  EXPECT_EQ(keyed.lines[0].hint, 0u);
  EXPECT_EQ(keyed.count, 101u);
}

INSTANTIATE_TEST_SUITE_P(Ways, LineSplitter,
                         ::testing::Values(Way::Dispatched, Way::Sse2, Way::Avx2, Way::Scalar));

}  // namespace
}  // namespace osh::marker

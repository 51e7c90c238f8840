// The in-guest fuzzer's portable parts: base64, the edge map, the corpus image, the mutator, and
// the planted off-by-one it is shown to find.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "os/core/bug_knobs.h"
#include "os/core/cmdline.h"
#include "os/core/fuzz/base64.h"
#include "os/core/fuzz/corpus.h"
#include "os/core/fuzz/edge_map.h"
#include "os/core/fuzz/mutator.h"
#include "os/core/fuzz/site_counts.h"

namespace rayos {
namespace {

std::string encode(const std::string& bytes) {
  std::string out(base64_length(bytes.size()), '?');
  out.resize(
      base64_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out.data()));
  return out;
}

bool decode(const std::string& text, std::string& bytes) {
  std::vector<uint8_t> out(text.size() / 4 * 3 + 3);
  size_t n = 0;
  if (!base64_decode(text.data(), text.size(), out.data(), n)) return false;
  bytes.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

TEST(RayosBase64, Rfc4648Vectors) {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, coded] : vectors) {
    EXPECT_EQ(encode(plain), coded);
    std::string back;
    ASSERT_TRUE(decode(coded, back)) << coded;
    EXPECT_EQ(back, plain);
  }
}

TEST(RayosBase64, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  std::string back;
  ASSERT_TRUE(decode(encode(all), back));
  EXPECT_EQ(back, all);
}

TEST(RayosBase64, RejectsMalformedText) {
  std::string out;
  EXPECT_FALSE(decode("Zm9", out));       // not a multiple of 4
  EXPECT_FALSE(decode("Zm:v", out));      // outside the alphabet
  EXPECT_FALSE(decode("Zg==Zm9v", out));  // padding before the end
  EXPECT_FALSE(decode("Z===", out));      // three padding characters
}

TEST(RayosEdgeMap, NewEdgesAndNewHitCountsOnly) {
  EdgeMap map;
  const auto path = [&](int loops) {
    map.begin();
    map.hit(0xffffffff80100000);
    for (int i = 0; i < loops; ++i) map.hit(0xffffffff80100040);
    return map.merge();
  };
  EXPECT_TRUE(path(1));
  const uint32_t edges = map.edges();
  EXPECT_GE(edges, 2u);
  EXPECT_FALSE(path(1));              // the same path again: nothing new
  EXPECT_TRUE(path(5));               // the loop edge in a new hit-count class (4-7)
  EXPECT_FALSE(path(6));              // same class
  EXPECT_EQ(map.edges(), edges + 1);  // the loop's self-edge is new, its entry edge was not
  EXPECT_FALSE(map.merge());          // merge cleared the counters
}

std::string image(const std::vector<std::string>& entries) {
  std::string out(kCorpusImageMagic, 8);
  const uint32_t n = static_cast<uint32_t>(entries.size());
  for (int i = 0; i < 4; ++i) out += static_cast<char>(n >> (8 * i));
  for (const auto& e : entries) {
    out += static_cast<char>(e.size() & 0xff);
    out += static_cast<char>(e.size() >> 8);
    out += e;
  }
  return out;
}

struct TestCorpus {
  explicit TestCorpus(size_t capacity) : storage(capacity) {
    corpus.attach(storage.data(), capacity);
  }
  std::vector<FuzzInput> storage;
  Corpus corpus;
};

TEST(RayosSiteCounts, CountsEachCallSiteByItsReturnAddressGranule) {
  constexpr uint64_t kText = 0xffffffff80100000;
  std::vector<uint32_t> counts(8, 7);  // attach zeroes them
  SiteCounts sites;
  EXPECT_FALSE(sites.attached());
  sites.hit(kText + 5);  // not attached: nothing counted
  sites.attach(counts.data(), kText, counts.size());
  ASSERT_TRUE(sites.attached());
  // Two call sites 5 bytes apart (one call instruction) land in different granules.
  sites.hit(kText + 5);
  sites.hit(kText + 10);
  sites.hit(kText + 10);
  sites.hit(kText - 1);                  // before the text
  sites.hit(kText + counts.size() * 4);  // past it
  std::vector<std::pair<uint64_t, uint64_t>> hits;
  sites.for_each_hit([&](uint64_t offset, uint64_t count) { hits.emplace_back(offset, count); });
  EXPECT_EQ(hits, (std::vector<std::pair<uint64_t, uint64_t>>{{4, 1}, {8, 2}}));
}

TEST(RayosSiteCounts, ACountStopsAtItsMaximum) {
  std::vector<uint32_t> counts(1);
  SiteCounts sites;
  sites.attach(counts.data(), 0x1000, 1);
  counts[0] = UINT32_MAX - 1;
  sites.hit(0x1000);
  sites.hit(0x1000);
  EXPECT_EQ(counts[0], UINT32_MAX);
}

TEST(RayosCorpusImage, ReadsEntriesCutsLongOnesCountsSkipped) {
  TestCorpus t(2);
  const std::string long_entry(kMaxFuzzInput + 10, 'x');
  const std::string bytes = image({"osh.seed=1", long_entry, "third"});
  size_t skipped = 0;
  StringView error;
  ASSERT_TRUE(read_corpus_image(StringView(bytes.data(), bytes.size()), t.corpus, skipped, error));
  ASSERT_EQ(t.corpus.size(), 2u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(t.corpus[0].bytes), t.corpus[0].size),
            "osh.seed=1");
  EXPECT_EQ(t.corpus[1].size, kMaxFuzzInput);
  EXPECT_EQ(skipped, 1u);
}

TEST(RayosCorpusImage, MalformedImagesSayWhy) {
  TestCorpus t(4);
  size_t skipped = 0;
  StringView error;
  const std::string bad_magic = "OSHFUZZ2" + std::string(4, '\0');
  EXPECT_FALSE(
      read_corpus_image(StringView(bad_magic.data(), bad_magic.size()), t.corpus, skipped, error));
  EXPECT_EQ(std::string(error.data(), error.size()), "not_a_corpus_image(no_OSHFUZZ1_magic)");
  std::string cut = image({"abcdef"});
  cut.pop_back();
  EXPECT_FALSE(read_corpus_image(StringView(cut.data(), cut.size()), t.corpus, skipped, error));
  EXPECT_EQ(std::string(error.data(), error.size()), "corpus_image_truncated_in_an_entry");
  const std::string extra = image({"a"}) + "z";
  EXPECT_FALSE(read_corpus_image(StringView(extra.data(), extra.size()), t.corpus, skipped, error));
  EXPECT_EQ(std::string(error.data(), error.size()), "corpus_image_has_bytes_after_its_last_entry");
}

std::vector<std::string> mutants(uint64_t seed, int count) {
  TestCorpus t(8);
  t.corpus.add(reinterpret_cast<const uint8_t*>("osh.seed=42 count=3"), 19);
  const StringView words[] = {"osh.bug="};
  Mutator mutator(seed, {words, 1});
  std::vector<std::string> out;
  FuzzInput input;
  for (int i = 0; i < count; ++i) {
    mutator.next(t.corpus, input);
    EXPECT_LE(input.size, kMaxFuzzInput);
    out.emplace_back(reinterpret_cast<const char*>(input.bytes), input.size);
  }
  return out;
}

TEST(RayosMutator, SameSeedSameInputsOtherSeedOthers) {
  const auto a = mutants(7, 2000);
  EXPECT_EQ(a, mutants(7, 2000));
  EXPECT_NE(a, mutants(8, 2000));
  size_t changed = 0, with_word = 0;
  for (const auto& m : a) {
    changed += m != "osh.seed=42 count=3";
    with_word += m.find("osh.bug=") != std::string::npos;
  }
  EXPECT_GT(changed, 1900u);  // a mutation that changes nothing is rare (a splice with itself)
  EXPECT_GT(with_word, 0u);   // the dictionary is used
}

TEST(RayosMutator, EmptyCorpusStillMakesInputs) {
  Corpus empty;
  Mutator mutator(1, {});
  FuzzInput input;
  size_t non_empty = 0;
  for (int i = 0; i < 100; ++i) {
    mutator.next(empty, input);
    non_empty += input.size > 0;
  }
  EXPECT_GT(non_empty, 0u);
}

// The planted off-by-one reads the byte after an osh.seed value: mid-line that byte is the space
// after it, and a good seed is refused.
TEST(RayosCmdlineBug, SeedOffByOneRefusesAGoodSeedMidLine) {
  RunRequest request;
  TextBuffer error;
  EXPECT_TRUE(parse_cmdline("osh.seed=42 x=1", request, error));
  EXPECT_EQ(request.seed, 42u);
  error.clear();
  EXPECT_FALSE(parse_cmdline("osh.seed=42 x=1", request, error, kBugCmdlineSeedOffByOne));
  EXPECT_EQ(std::string(error.view().data(), error.view().size()), "osh.seed_is_not_a_u64=42");
  uint32_t mask = 0;
  EXPECT_TRUE(parse_bug_knobs("cmdline_seed_off_by_one", mask, error));
  EXPECT_EQ(mask, kBugCmdlineSeedOffByOne);
}

}  // namespace
}  // namespace rayos

#include "guestfuzz/corpus_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "harness/base/testing/temp_dir.h"
#include "os/core/fuzz/corpus.h"

namespace osh::guestfuzz {
namespace {

TEST(CorpusDir, InputsRoundTripOncePerContent) {
  test_support::TempDir dir;
  const CorpusDir corpus(dir.path() / "fuzz");
  EXPECT_TRUE(corpus.inputs().empty());
  const std::vector<std::string> inputs = {"osh.seed=1", std::string("a\0b\xff", 4), ""};
  for (const auto& input : inputs) EXPECT_TRUE(corpus.add(input));
  EXPECT_FALSE(corpus.add("osh.seed=1"));  // same bytes: stored once
  // A run writing beside this one has a temporary file there for a moment: not an input.
  std::ofstream(dir.path() / "fuzz" / "corpus" / "0123.tmp.99.1") << "half-written";

  // A second campaign on the same folder finds them all.
  auto read = CorpusDir(dir.path() / "fuzz").inputs();
  auto expected = inputs;
  std::sort(read.begin(), read.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(read, expected);
}

TEST(CorpusDir, TheImageIsWhatTheGuestReads) {
  const std::vector<std::string> inputs = {"metrics", std::string(100, 'x'), ""};
  const std::string image = corpus_image(inputs);
  std::vector<rayos::FuzzInput> storage(8);
  rayos::Corpus guest;
  guest.attach(storage.data(), storage.size());
  size_t skipped = 0;
  rayos::StringView error;
  ASSERT_TRUE(rayos::read_corpus_image(rayos::StringView(image.data(), image.size()), guest,
                                       skipped, error))
      << std::string(error.data(), error.size());
  ASSERT_EQ(guest.size(), 3u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(guest[0].bytes), guest[0].size), "metrics");
  EXPECT_EQ(guest[1].size, kMaxInputBytes);  // cut by the guest to its limit
  EXPECT_EQ(kMaxInputBytes, rayos::kMaxFuzzInput);
  EXPECT_EQ(guest[2].size, 0u);
}

TEST(CorpusDir, CrashFoldersAreCreated) {
  test_support::TempDir dir;
  const CorpusDir corpus(dir.path() / "fuzz");
  const auto folder = corpus.crash_folder("PAGE_FAULT-apply_token-12345678");
  EXPECT_TRUE(std::filesystem::is_directory(folder));
  EXPECT_EQ(folder, dir.path() / "fuzz" / "crashes" / "PAGE_FAULT-apply_token-12345678");
}

}  // namespace
}  // namespace osh::guestfuzz

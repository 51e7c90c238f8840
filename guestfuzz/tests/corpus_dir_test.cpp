#include "guestfuzz/corpus_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "harness/base/atomic_write.h"
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

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CorpusDir, ABucketKeepsItsSmallestInputWithThatInputsBundle) {
  test_support::TempDir dir;
  const CorpusDir corpus(dir.path() / "fuzz");
  const auto bundle = [](const std::string& input) {
    return [input](const std::filesystem::path& folder) {
      atomic_write(folder / "repro.json", "replays " + input);
    };
  };
  const auto first = corpus.keep_smallest("PAGE_FAULT-f-1", "12345", bundle("12345"));
  EXPECT_TRUE(first.ours);
  EXPECT_EQ(first.bytes, 5u);
  const auto larger = corpus.keep_smallest("PAGE_FAULT-f-1", "123456", bundle("123456"));
  EXPECT_FALSE(larger.ours);
  EXPECT_EQ(larger.input, first.input);
  EXPECT_EQ(larger.bytes, 5u);
  EXPECT_TRUE(corpus.keep_smallest("PAGE_FAULT-f-1", "123", bundle("123")).ours);
  EXPECT_EQ(read(first.input), "123");
  EXPECT_EQ(read(first.input.parent_path() / "repro.json"), "replays 123");
}

// Two runs on one corpus folder find the same bucket: one (here the test, as another osharness
// would) has checked the folder and is writing its larger input when the other saves a smaller
// one. The smaller must win, with its own bundle; unlocked, the larger overwrote it.
TEST(CorpusDir, RunsSharingTheFolderWaitForEachOtherAndTheSmallestInputWins) {
  test_support::TempDir dir;
  const CorpusDir corpus(dir.path() / "fuzz");
  const auto folder = corpus.crash_folder("PAGE_FAULT-f-1");
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // the other run checked: no input yet
  std::thread smaller([&] {
    corpus.keep_smallest("PAGE_FAULT-f-1", "abc", [](const std::filesystem::path& f) {
      atomic_write(f / "repro.json", "replays abc");
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  atomic_write(folder / "input", "abcdefgh");
  atomic_write(folder / "repro.json", "replays abcdefgh");
  ::flock(fd, LOCK_UN);
  ::close(fd);
  smaller.join();
  EXPECT_EQ(read(folder / "input"), "abc");
  EXPECT_EQ(read(folder / "repro.json"), "replays abc");
}

}  // namespace
}  // namespace osh::guestfuzz

#include <gtest/gtest.h>

#include "guestfuzz/fuzz_hook.h"
#include "harness/base/errors.h"

namespace osh::guestfuzz {
namespace {

using nlohmann::json;

std::string error_of(const json& section) {
  try {
    parse_fuzz_config(section, "/specs/fuzz.json", 1.0);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FuzzConfig, ParsesScalesAndResolvesPaths) {
  const auto config = parse_fuzz_config(
      json{{"target", "cmdline"}, {"duration_s", 60}, {"corpus_dir", "corpus/cmdline"}},
      "/specs/fuzz.json", 0.5);
  EXPECT_EQ(config->target, "cmdline");
  EXPECT_EQ(config->duration_s, 30);
  EXPECT_EQ(config->corpus_dir, "/specs/corpus/cmdline");
  EXPECT_TRUE(config->replay.empty());
  EXPECT_EQ(config->to_json()["corpus_dir"], "/specs/corpus/cmdline");
}

TEST(FuzzConfig, JobsAskForThatManyRuns) {
  const auto config = parse_fuzz_config(
      json{{"target", "ipc"}, {"duration_s", 1}, {"corpus_dir", "c"}, {"jobs", 2}}, "/s.json", 1);
  EXPECT_EQ(config->runs(), 2);
  EXPECT_EQ(config->to_json()["jobs"], 2);
  EXPECT_EQ(parse_fuzz_config(json{{"target", "ipc"}, {"duration_s", 1}, {"corpus_dir", "c"}},
                              "/s.json", 1)
                ->runs(),
            0);
}

TEST(FuzzConfig, ErrorsNameTheField) {
  EXPECT_NE(
      error_of({{"target", "gopher"}, {"duration_s", 1}, {"corpus_dir", "c"}})
          .find("fuzz.target: unknown fuzz target \"gopher\" (rayos has: cmdline, ipc, syscall, "
                "url, compositor, elf)"),
      std::string::npos);
  EXPECT_NE(error_of({{"target", "cmdline"}, {"duration_s", 0}, {"corpus_dir", "c"}})
                .find("fuzz.duration_s: must be a positive number of seconds"),
            std::string::npos);
  EXPECT_NE(error_of({{"target", "cmdline"}, {"duration_s", 1}}).find("fuzz.corpus_dir"),
            std::string::npos);
  EXPECT_NE(error_of({{"target", "cmdline"}, {"duration_s", 1}, {"corpus_dir", "c"}, {"jobz", 2}})
                .find("jobz"),
            std::string::npos);
}

}  // namespace
}  // namespace osh::guestfuzz

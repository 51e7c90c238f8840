// `osharness diff`: run folders stand for their console logs, guest bytes are escaped, and the
// exit code says same (0) or different (1).
#include "harness/cli/diff_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::cli {
namespace {

using ::testing::HasSubstr;

class DiffCommandTest : public ::testing::Test {
 protected:
  std::filesystem::path run_folder(const std::string& name, const std::string& log) {
    const auto dir = dir_.path() / name;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "console.log", std::ios::binary) << log;
    return dir;
  }
  int diff(const std::filesystem::path& a, const std::filesystem::path& b) {
    out_.str("");
    return diff_command({a, b, "RAYOS"}, out_);
  }
  test_support::TempDir dir_;
  std::ostringstream out_;
};

TEST_F(DiffCommandTest, SameLogsExitZero) {
  const std::string log = "RAYOS_BOOT:READY #1*869f45e3\n";
  EXPECT_EQ(diff(run_folder("a", log), run_folder("b", log) / "console.log"), 0);
  EXPECT_THAT(out_.str(), HasSubstr("identical (29 bytes)"));
}

TEST_F(DiffCommandTest, DifferentLogsExitOneWithBothMarkersEscaped) {
  const auto a = run_folder("a", "RAYOS_A:X:1 #1*aa\nRAYOS_HELLO:STEP:0:1\x1b[2J #2*bb\n");
  const auto b = run_folder("b", "RAYOS_A:X:1 #1*aa\nRAYOS_HELLO:STEP:0:2 #2*cc\n");
  EXPECT_EQ(diff(a, b), 1);
  EXPECT_THAT(out_.str(), HasSubstr("the first differing marker"));
  EXPECT_THAT(out_.str(), HasSubstr("seq 2, line 2: RAYOS_HELLO:STEP:0:1\\x1b[2J #2*bb"));
  EXPECT_THAT(out_.str(), HasSubstr("seq 2, line 2: RAYOS_HELLO:STEP:0:2 #2*cc"));
  EXPECT_EQ(out_.str().find('\x1b'), std::string::npos);
}

TEST_F(DiffCommandTest, AFolderWithoutALogIsAnInputErrorSayingWhatToGive) {
  std::filesystem::create_directories(dir_.path() / "out");
  const auto log = run_folder("a", "x\n");
  try {
    diff(dir_.path() / "out", log);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("out: a folder without console.log(.gz); give a console log"));
  }
}

}  // namespace
}  // namespace osh::cli

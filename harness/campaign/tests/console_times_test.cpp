#include "harness/campaign/console_times.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/base/testing/temp_dir.h"

namespace osh::campaign {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ConsoleTimes, EachLineGetsTheTimeItsFirstByteArrived) {
  test_support::TempDir dir;
  const auto path = dir.path() / "console.times";
  {
    ConsoleTimesFile f(path);
    f.write("boot\nhal", 100);     // "boot" ends, "hal" starts at 100
    f.write("f a line\n", 200);    // ends the line that started at 100
    f.write("", 250);              // nothing arrived: no line
    f.write("x\ny\n\nlast", 300);  // three lines and an unterminated one, all at 300
    f.close();
  }
  EXPECT_EQ(read(path), "100\n100\n300\n300\n300\n300\n");
}

TEST(ConsoleTimes, NoBytesNoLines) {
  test_support::TempDir dir;
  {
    ConsoleTimesFile f(dir.path() / "console.times");
    f.close();
  }
  EXPECT_EQ(read(dir.path() / "console.times"), "");
}

}  // namespace
}  // namespace osh::campaign

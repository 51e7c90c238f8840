#include "guestfuzz/minimizer.h"

#include <gtest/gtest.h>

namespace osh::guestfuzz {
namespace {

// A stand-in for the guest: "crashes" in bucket "B" when the input ends with "osh.seed=" and
// digits, in bucket "other" when it holds "!!", else not at all.
std::optional<std::string> fake_guest(const std::string& input) {
  if (input.find("!!") != std::string::npos) return "other";
  const auto at = input.rfind("osh.seed=");
  if (at == std::string::npos) return std::nullopt;
  for (size_t i = at + 9; i < input.size(); ++i)
    if (input[i] < '0' || input[i] > '9') return std::nullopt;
  return "B";
}

TEST(Minimizer, CutsEverythingTheCrashDoesNotNeed) {
  int calls = 0;
  const auto replay = [&](const std::string& s) {
    ++calls;
    return fake_guest(s);
  };
  const Minimized m = minimize("run flood count=3 x!=1 osh.seed=4242", "B", replay, 1000);
  EXPECT_EQ(m.input, "osh.seed=");
  EXPECT_EQ(m.reruns, calls);
  EXPECT_EQ(fake_guest(m.input), "B");
}

TEST(Minimizer, ACutThatCrashesElsewhereIsNotKept) {
  // Cutting the 'x' between the two '!' would crash in another bucket.
  const Minimized m = minimize("!x!osh.seed=1", "B", fake_guest, 1000);
  EXPECT_EQ(fake_guest(m.input), "B");
  EXPECT_EQ(m.input.find("!!"), std::string::npos);
  EXPECT_LE(m.input.size(), std::string("!x!osh.seed=").size());
}

TEST(Minimizer, StopsAtItsRerunBudget) {
  const Minimized m = minimize("abcdefgh osh.seed=1", "B", fake_guest, 3);
  EXPECT_EQ(m.reruns, 3);
  EXPECT_EQ(fake_guest(m.input), "B");
}

}  // namespace
}  // namespace osh::guestfuzz

#include "harness/base/signals.h"

#include <gtest/gtest.h>

#include <csignal>

namespace osh {
namespace {

TEST(SignalName, NamesSignalsTheWayKillDoes) {
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
}

TEST(SignalName, FallsBackToTheNumber) {
  EXPECT_EQ(signal_name(200), "signal 200");
  EXPECT_EQ(signal_name(-1), "signal -1");
}

}  // namespace
}  // namespace osh

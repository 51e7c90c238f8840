#include "harness/campaign/start_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

namespace osh::campaign {
namespace {

using namespace std::chrono_literals;

TEST(StartGate, AThirdStartWaitsUntilOneOfTwoSlotsIsFreed) {
  StartGate gate(2);
  std::optional<StartGate::Slot> first(gate.enter(nullptr));
  const StartGate::Slot second = gate.enter(nullptr);
  std::atomic<bool> entered = false;
  std::thread third([&] {
    const StartGate::Slot slot = gate.enter(nullptr);
    entered = true;
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(entered) << "both slots are held";
  first.reset();
  third.join();
  EXPECT_TRUE(entered);
}

TEST(StartGate, AStopSignalEndsTheWaitWithoutTakingASlot) {
  StartGate gate(1);
  const StartGate::Slot held = gate.enter(nullptr);
  std::atomic<int> stop = 0;
  std::atomic<bool> entered = false;
  std::thread waiting([&] {
    const StartGate::Slot slot = gate.enter(&stop);
    entered = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(entered);
  stop = 15;
  waiting.join();
  EXPECT_TRUE(entered);
}

}  // namespace
}  // namespace osh::campaign

// The reboot hook against a FakeVm: a reset for each INTEGRATION:REBOOT, and a FAIL when the
// guest asked for another number of power cycles than the spec expects.
#include "e2e/reboot_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/tests/vm_control.h"
#include "harness/analysis/testing.h"
#include "harness/base/errors.h"
#include "harness/vm/testing/fake_vm.h"

namespace osh::e2e {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int resets = 0;
  campaign::RunResult result;
};

Outcome run(const std::string& section, const std::string& console) {
  const auto config = parse_reboot_config(nlohmann::json::parse(section), "x.json");
  RebootHook hook(*config);
  vm::testing::FakeVm vm;
  marker::MarkerStream stream(analysis::testing::relaxed_schema(OSH_RAYOS_SCHEMA));
  stream.add_observer(&hook);
  stream.feed(console, 1);
  stream.finish(2);
  EXPECT_EQ(hook.next_tick_ns(), console.empty() ? INT64_MAX : 0);
  testing::VmControl control(vm);
  hook.tick(0, control);
  EXPECT_EQ(hook.next_tick_ns(), INT64_MAX);
  Outcome o;
  o.resets = vm.counts->resets;
  hook.finish(o.result);
  return o;
}

const std::string kAsk = "RAYOS_INTEGRATION:REBOOT:power_cycle:1000\n";

TEST(RebootHook, ResetsTheVmWhenTheGuestAsksAndPassesTheExpectedCount) {
  const Outcome o = run(R"({"expect": 1})", kAsk);
  EXPECT_EQ(o.resets, 1);
  EXPECT_TRUE(o.result.findings.empty());
  EXPECT_EQ(o.result.metrics.at("reboots.done"), 1);
}

TEST(RebootHook, AnotherCountThanExpectedFails) {
  const Outcome none = run(R"({"expect": 1})", "");
  EXPECT_EQ(none.resets, 0);
  ASSERT_EQ(none.result.findings.size(), 1u);
  EXPECT_THAT(none.result.findings[0].reason,
              HasSubstr("reboots: the guest asked for 0 power cycle(s) (INTEGRATION:REBOOT), "
                        "the spec expects 1"));
  const Outcome two = run(R"({"expect": 1})", kAsk + kAsk);
  EXPECT_EQ(two.resets, 2);
  ASSERT_EQ(two.result.findings.size(), 1u);
  EXPECT_THAT(two.result.findings[0].reason, HasSubstr("asked for 2 power cycle(s)"));
}

TEST(RebootConfig, BadSectionsNameTheFileAndField) {
  EXPECT_THROW(parse_reboot_config(nlohmann::json::parse("[]"), "x.json"), InputError);
  try {
    parse_reboot_config(nlohmann::json::parse(R"({"expect": -1})"), "x.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("x.json"));
    EXPECT_THAT(e.what(), HasSubstr("expect"));
  }
  EXPECT_THROW(parse_reboot_config(nlohmann::json::parse(R"({"expect": 1, "x": 2})"), "x.json"),
               InputError);
}

}  // namespace
}  // namespace osh::e2e

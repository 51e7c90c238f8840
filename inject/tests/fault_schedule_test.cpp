#include "inject/fault_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"
#include "harness/campaign/spec.h"
#include "harness/vm/qemu/qemu_backend.h"
#include "inject/plugin.h"

namespace osh::inject {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

FaultPlan seeded(int count = 40) {
  return parse_fault_plan(json{{"types", {"pause", "reset", "kill", "disk_eio"}},
                               {"count", count},
                               {"start_s", 3},
                               {"interval_s", 2},
                               {"duration_s", 1},
                               {"eio_op", "random"}},
                          "spec.json", 1);
}

json as_json(const std::vector<ScheduledFault>& schedule) {
  json j = json::array();
  for (const auto& f : schedule) j.push_back(to_json(f));
  return j;
}

std::string parse_error(const json& faults) {
  try {
    parse_fault_plan(faults, "spec.json", 1);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(FaultSchedule, TheSameSeedGivesTheSameSchedule) {
  const FaultPlan plan = seeded();
  EXPECT_EQ(as_json(make_schedule(plan, 42)), as_json(make_schedule(plan, 42)));
  EXPECT_NE(as_json(make_schedule(plan, 42)), as_json(make_schedule(plan, 43)));
}

TEST(FaultSchedule, SeededFaultsStayWithinThePlan) {
  const auto schedule = make_schedule(seeded(), 7);
  ASSERT_EQ(schedule.size(), 40u);
  std::set<FaultType> seen;
  for (size_t i = 0; i < schedule.size(); ++i) {
    const auto& f = schedule[i];
    EXPECT_EQ(f.id, static_cast<int>(i) + 1);
    seen.insert(f.type);
    // Quiet interval in [1, 3) s; the first also waits start_s.
    const double quiet = f.after_s - (i == 0 ? 3 : 0);
    EXPECT_GE(quiet, 1.0) << i;
    EXPECT_LT(quiet, 3.0) << i;
    if (f.type == FaultType::Pause || f.type == FaultType::DiskEio) {
      EXPECT_GE(f.duration_s, 0.5) << i;
      EXPECT_LT(f.duration_s, 1.5) << i;
    } else {
      EXPECT_EQ(f.duration_s, 0) << i;
    }
    EXPECT_EQ(f.op.empty(), f.type != FaultType::DiskEio) << i;
  }
  EXPECT_EQ(seen.size(), 4u) << "40 draws from 4 types should see every type";
}

TEST(FaultSchedule, AnExplicitListIsUsedAsGiven) {
  const auto plan = parse_fault_plan(
      json{{"list",
            {{{"type", "pause"}, {"after_s", 2}, {"duration_s", 1.5}},
             {{"type", "disk_eio"}, {"after_s", 1}, {"duration_s", 2}, {"op", "read"}},
             {{"type", "kill"}, {"after_s", 4}}}},
           {"recovery_deadline_s", 3}},
      "spec.json", 1);
  EXPECT_EQ(plan.recovery_deadline_s, 3);
  const auto schedule = make_schedule(plan, 1);
  EXPECT_EQ(as_json(schedule), as_json(make_schedule(plan, 999)));
  ASSERT_EQ(schedule.size(), 3u);
  EXPECT_EQ(schedule[1].type, FaultType::DiskEio);
  EXPECT_EQ(schedule[1].op, "read");
  EXPECT_EQ(schedule[2].id, 3);
  EXPECT_EQ(schedule[2].after_s, 4);
}

TEST(FaultSchedule, AScaledCountFollowsOshScale) {
  const json faults = {{"types", {"kill"}}, {"count", 20}, {"scaled", true}};
  EXPECT_EQ(parse_fault_plan(faults, "s", 1).count, 20);
  EXPECT_EQ(parse_fault_plan(faults, "s", 0.1).count, 2);
  EXPECT_EQ(parse_fault_plan(faults, "s", 0.01).count, 1);
  EXPECT_EQ(parse_fault_plan(json{{"types", {"kill"}}, {"count", 20}}, "s", 0.01).count, 20);
}

TEST(FaultSchedule, ThePlanSurvivesItsJson) {
  const FaultPlan plan = seeded(5);
  const FaultPlan again = parse_fault_plan(to_json(plan), "again", 1);
  EXPECT_EQ(to_json(again), to_json(plan));
  EXPECT_EQ(as_json(make_schedule(again, 5)), as_json(make_schedule(plan, 5)));
}

TEST(FaultSchedule, ErrorsNameTheField) {
  EXPECT_THAT(parse_error({{"types", {"pause", "nap"}}, {"count", 1}}),
              HasSubstr("faults.types[1]: unknown fault type \"nap\" (known: pause, reset, kill, "
                        "disk_eio, link, partition)"));
  EXPECT_THAT(parse_error({{"count", 1}}), HasSubstr("faults.types: required"));
  EXPECT_THAT(parse_error({{"types", {"kill"}}}), HasSubstr("faults.count: required"));
  EXPECT_THAT(parse_error({{"types", {"kill"}}, {"count", 1}, {"intervall_s", 1}}),
              HasSubstr("intervall_s"));
  EXPECT_THAT(parse_error({{"types", {"pause"}}, {"count", 1}, {"duration_s", 0}}),
              HasSubstr("faults.duration_s: must be > 0"));
  EXPECT_THAT(parse_error({{"list", {{{"type", "pause"}}}}}),
              HasSubstr("faults.list[0].duration_s: a pause fault needs a duration > 0"));
  EXPECT_THAT(parse_error({{"list", {{{"type", "disk_eio"}, {"duration_s", 1}, {"op", "both"}}}}}),
              HasSubstr("faults.list[0].op: expected \"read\", \"write\", got \"both\""));
  EXPECT_THAT(parse_error({{"list", {{{"type", "kill"}}}}, {"count", 3}}),
              HasSubstr("faults.count: belongs to a seeded schedule"));
  EXPECT_THAT(parse_error({{"list", json::array()}}),
              HasSubstr("faults.list: expected a non-empty array"));
  EXPECT_THAT(parse_error(json::array()), HasSubstr("faults: expected an object"));
  EXPECT_THAT(parse_error({{"types", {"kill"}}, {"count", 1}, {"recovery_deadline_s", 0}}),
              HasSubstr("faults.recovery_deadline_s: must be a positive number"));
}

TEST(FaultSchedule, ASpecCarriesItsFaultsAndTheirMetrics) {
  const json spec = {{"name", "k"},
                     {"guest", {{"kernel", "/k.elf"}}},
                     {"scenario", "spin"},
                     {"faults", {{"types", {"kill"}}, {"count", 20}, {"scaled", true}}},
                     {"criteria", {"faults.recovery_ms.max <= 5000", "faults.recovered == 20"}}};
  campaign::Plugins plugins;
  plugins.backends.push_back(vm::qemu::qemu_backend());
  register_plugin(plugins);
  const auto parsed = campaign::parse_spec(spec, "spec.json", "/", {plugins, "/bin", 0.5});
  ASSERT_EQ(parsed.hooks.size(), 1u);
  EXPECT_EQ(parsed.hooks[0].first, "faults");
  EXPECT_EQ(campaign::to_json(parsed)["faults"]["count"], 10);

  json without = spec;
  without.erase("faults");
  try {
    campaign::parse_spec(without, "spec.json", "/", {plugins, "/bin", 1});
    ADD_FAILURE() << "a criterion on faults.* needs a faults plan";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("criteria[0]: no run measures \"faults.recovery_ms.max\""));
  }
  json bad = spec;
  bad["faults"]["types"] = {"kil"};
  try {
    campaign::parse_spec(bad, "spec.json", "/", {plugins, "/bin", 1});
    ADD_FAILURE() << "an unknown fault type is an error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("spec.json: faults.types[0]: unknown fault type \"kil\""));
  }
}

}  // namespace
}  // namespace osh::inject

#include "harness/campaign/run_result.h"

#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

TEST(RunResult, JsonRoundTripKeepsEveryField) {
  RunResult r;
  r.index = 3;
  r.name = "fault";
  r.scenario = "fault";
  r.params = {{"count", "5"}};
  r.seed = 18446744073709551615ull;  // seeds use the full 64 bits
  r.spec_origin = "specs/fault.json";
  r.started_unix_ms = 1700000000000;
  r.verdict = Verdict::Crash;
  r.reason = "guest panic PAGE_FAULT in f+0x4";
  r.signature = "CRASH PAGE_FAULT f";
  r.findings = {{Verdict::Crash, r.reason, r.signature}, {Verdict::Fail, "x", "FAIL x"}};
  r.boot_ms = 41.25;
  r.duration_ms = 120.5;
  r.markers = {100, 4, 12, 1, 2, 3, 4, 1};
  r.problems = {{7, marker::LineKind::Corrupt, "CRC mismatch", "RAYOS_X"}};
  r.exit = {"exited", 251, 0, 125, ""};
  r.crash = CrashInfo{"PAGE_FAULT", "cr2=0x0", {{0, 0xffffffff80101234ull, "f+0x4"}}};
  r.criteria = {{"boot_ms <= 50", "boot_ms", 41.25, 50, true},
                {"fps.min >= 58", "fps.min", std::nullopt, 58, false}};
  r.metrics = {{"boot_ms", 41.25}};
  r.guest_tests = {{"alloc", Verdict::Fail, "leak", 3.5}};
  r.analysis = {{"guest_version", "0.1"}};
  r.deadline_extension_s = 0.5;
  r.accel = "tcg";
  r.accel_reason = "measured";
  r.command_line = {"qemu-system-x86_64", "-S"};
  r.console_log = "runs/003-fault-s1/console.log";
  r.repro_bundle = "runs/003-fault-s1/repro.json";

  const auto j = to_json(r);
  const auto back = run_result_from_json(j, "journal.jsonl:2");
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(back.seed, r.seed);
  ASSERT_TRUE(back.crash);
  EXPECT_EQ(back.crash->frames[0].address, 0xffffffff80101234ull);
  EXPECT_EQ(back.problems[0].kind, marker::LineKind::Corrupt);
}

TEST(RunResult, MalformedRecordsNameTheirOrigin) {
  auto j = to_json(RunResult{});
  j["verdict"] = "MAYBE";
  try {
    run_result_from_json(j, "journal.jsonl:9");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "journal.jsonl:9: verdict: unknown verdict \"MAYBE\"");
  }
}

// Lists that are not lists of objects, and addresses that are not hex, stop with the field's
// path (found by fuzz/report_json_fuzz: they used to escape as JSON type errors).
TEST(RunResult, WrongShapesNameTheField) {
  RunResult base;
  base.crash = CrashInfo{"PAGE_FAULT", "", {{0, 0x1000, "f"}}};
  const auto message = [&](const auto& change) {
    auto j = to_json(base);
    change(j);
    try {
      run_result_from_json(j, "report.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([](auto& j) { j["findings"] = "none"; }),
            "report.json: findings: expected an array of objects, got string \"none\"");
  EXPECT_EQ(message([](auto& j) { j["criteria"] = nlohmann::json::array({1}); }),
            "report.json: criteria[0]: expected an object, got number 1");
  EXPECT_EQ(message([](auto& j) { j["crash"]["frames"][0]["address"] = "0xfg"; }),
            "report.json: crash.frames[0].address: expected a hex address like \"0x1000\" (at "
            "most 64 bits), got \"0xfg\"");
  EXPECT_EQ(message([](auto& j) { j["crash"]["frames"][0]["address"] = "0x1ffffffffffffffff"; }),
            "report.json: crash.frames[0].address: expected a hex address like \"0x1000\" (at "
            "most 64 bits), got \"0x1ffffffffffffffff\"");
}

}  // namespace
}  // namespace osh::campaign

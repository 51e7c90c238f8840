// rayos's in-guest tests end to end: the real osharness runs the selftest scenario of the real
// rayos.elf under QEMU. Without planted bugs every in-guest test passes and becomes its own JUnit
// testcase; with each planted bug (osh.bug=...) exactly the tests that check what it breaks fail,
// each with a reason that says what went wrong.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using nlohmann::json;

// Every in-guest test the selftest must run (os/workloads/selftest/*.cpp,
// os/workloads/selftest.cpp).
const std::set<std::string> kInGuestTests = {
    "kernel_heap_detects_misuse",
    "bad_elf_image_rejected",
    "memory_quota_enforced",
    "out_of_memory_graceful",
    "single_process",
    "two_processes_alternate",
    "clean_exit_frees_everything",
    "crash_leaves_others_running",
    "ten_processes_1000_switches",
    "all_processes_waiting_idle",
    "crash_divide_error",
    "crash_page_fault_null",
    "crash_invalid_opcode",
    "crash_general_protection",
    "crash_kernel_memory_write",
    "crash_stack_overflow",
    "infinite_loop_killed_at_limit",
    "preemption_shares_cpu",
    "leaking_process_cleaned_up",
    "invalid_syscalls_return_errors",
    "process_churn_100_no_leak",
    "ipc_1000_events",
    "ipc_corrupted_ring_detected",
    "workflow_linear",
    "workflow_parallel",
    "workflow_diamond",
    "workflow_cycle_rejected",
    "workflow_invalid_dependency_rejected",
    "workflow_failed_dependency_skips",
    "whole_run_no_leak",
};

class SelftestRun {
 public:
  // Runs os/tests/selftest.json with `append` added to the kernel command line.
  explicit SelftestRun(const std::string& append) {
    json spec = read_json(RAYOS_SELFTEST_SPEC);  // its kernel is ${bindir}/rayos.elf
    spec["guest"]["accel"] = "tcg";
    spec["guest"]["append"] = append;
    const auto path = dir_.path() / "selftest.json";
    std::ofstream(path) << spec.dump(2);
    finished_ = run_osharness({"run", path.string(), "--out", out().string()}, dir_.path());
  }
  std::filesystem::path out() const { return dir_.path() / "out"; }
  const Finished& finished() const { return finished_; }
  json run() const {
    const json report = read_json(out() / "report.json");
    EXPECT_EQ(report["runs"].size(), 1u);
    return report["runs"][0];
  }
  // Name -> {verdict, reason} of every in-guest test in report.json.
  std::map<std::string, std::pair<std::string, std::string>> guest_tests() const {
    std::map<std::string, std::pair<std::string, std::string>> tests;
    const json this_run = run();
    for (const auto& t : this_run["guest_tests"]) {
      EXPECT_TRUE(tests.emplace(t["name"], std::pair{t["verdict"], t["reason"]}).second)
          << "listed twice: " << t["name"];
    }
    return tests;
  }

 private:
  TempDir dir_;
  Finished finished_;
};

TEST(RayosSelftest, EveryInGuestTestPassesAndIsItsOwnJUnitTestcase) {
  SelftestRun selftest("");
  EXPECT_EQ(selftest.finished().status.code, 0)
      << selftest.finished().out << selftest.finished().err;
  const json run = selftest.run();
  EXPECT_EQ(run["verdict"], "PASS") << run["reason"];
  EXPECT_EQ(run["exit"]["guest_exit_code"], 0);

  const auto tests = selftest.guest_tests();
  std::set<std::string> names;
  for (const auto& [name, outcome] : tests) {
    names.insert(name);
    EXPECT_EQ(outcome.first, "PASS") << name << ": " << outcome.second;
  }
  EXPECT_EQ(names, kInGuestTests);
  EXPECT_EQ(run["metrics"]["guest_tests.passed"], kInGuestTests.size());
  EXPECT_EQ(run["metrics"]["guest_tests.failed"], 0);

  pugi::xml_document junit;
  ASSERT_TRUE(junit.load_file((selftest.out() / "junit.xml").c_str()));
  std::multiset<std::string> testcases;
  for (const auto& suite : junit.child("testsuites").children("testsuite"))
    for (const auto& testcase : suite.children("testcase"))
      if (kInGuestTests.count(testcase.attribute("name").value()))
        testcases.insert(testcase.attribute("name").value());
  EXPECT_EQ(testcases, std::multiset<std::string>(kInGuestTests.begin(), kInGuestTests.end()));
}

struct Knob {
  const char* bug;
  std::map<std::string, std::string> failing;  // test name -> regex its reason must match
};

void PrintTo(const Knob& knob, std::ostream* out) { *out << "osh.bug=" << knob.bug; }

class RayosSelftestKnob : public ::testing::TestWithParam<Knob> {};

TEST_P(RayosSelftestKnob, FailsExactlyTheTestsThatCheckWhatItBreaks) {
  SelftestRun selftest(std::string("osh.bug=") + GetParam().bug);
  EXPECT_EQ(selftest.finished().status.code, 1)
      << selftest.finished().out << selftest.finished().err;
  const json run = selftest.run();
  EXPECT_EQ(run["verdict"], "FAIL");
  EXPECT_EQ(run["exit"]["guest_exit_code"], 1);  // the selftest's own verdict
  std::set<std::string> failed;
  for (const auto& [name, outcome] : selftest.guest_tests()) {
    if (outcome.first == "PASS") continue;
    failed.insert(name);
    auto expected = GetParam().failing.find(name);
    if (expected == GetParam().failing.end()) continue;  // reported by the set comparison below
    EXPECT_TRUE(std::regex_match(outcome.second, std::regex(expected->second)))
        << name << " failed with \"" << outcome.second << "\", expected /" << expected->second
        << "/";
  }
  std::set<std::string> expected;
  for (const auto& [name, reason] : GetParam().failing) expected.insert(name);
  EXPECT_EQ(failed, expected);
}

// leak_on_exit: a process that exits cleanly keeps its page tables, so every test that checks
// for leaks after a clean exit sees them (a crash or a kill still frees them).
const Knob kLeakOnExit{
    "leak_on_exit",
    {{"clean_exit_frees_everything", R"(leaked_[1-9]\d*_pages_after_exit)"},
     {"leaking_process_cleaned_up", R"(leaked_[1-9]\d*_pages_after_exit)"},
     {"process_churn_100_no_leak", R"(leaked_[1-9]\d*_pages_after_100_processes)"},
     {"memory_quota_enforced", R"(leaked_[1-9]\d*_pages_after_the_hog)"},
     {"out_of_memory_graceful", R"(leaked_[1-9]\d*_pages_after_running_out_of_memory)"},
     {"crash_leaves_others_running", R"(leaked_[1-9]\d*_pages_after_the_crash)"},
     {"ipc_1000_events", R"(leaked_[1-9]\d*_pages_after_the_traffic)"},
     {"ipc_corrupted_ring_detected", R"(leaked_[1-9]\d*_pages_after_closing_the_damaged_queues)"},
     {"whole_run_no_leak", R"(leaked_[1-9]\d*_pages_over_the_whole_run)"}}};
// no_cycle_check: a cyclic workflow is admitted; nothing in it can ever start.
const Knob kNoCycleCheck{
    "no_cycle_check", {{"workflow_cycle_rejected", "cycle_accepted_and_the_workflow_got_stuck"}}};
// no_preempt: a task that never yields keeps the CPU until its CPU limit kills it.
const Knob kNoPreempt{"no_preempt",
                      {{"preemption_shares_cpu", R"(the_sleeping_kernel_task_woke_\d+ms_late)"}}};

INSTANTIATE_TEST_SUITE_P(PlantedBugs, RayosSelftestKnob,
                         ::testing::Values(kLeakOnExit, kNoCycleCheck, kNoPreempt),
                         [](const auto& info) { return std::string(info.param.bug); });

}  // namespace
}  // namespace osh::cli::testing

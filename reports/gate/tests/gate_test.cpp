// The whole gate on campaign results as `osharness run` writes them: inputs, verdicts,
// Markdown and JUnit.
#include "reports/gate/gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/stats/run_histograms.h"
#include "reports/gate/gate_junit.h"
#include "reports/gate/gate_markdown.h"
#include "reports/gate/tests/gate_fixtures.h"
#include "reports/json_report.h"
#include "reports/tests/junit_schema.h"

namespace osh::gate {
namespace {

using campaign::Verdict;
using testing::boot_runs;
using ::testing::HasSubstr;
using testing::make_run;
using ::testing::Not;
using testing::outcome_of;
using testing::TempDir;

GateSide side(std::vector<campaign::RunResult> runs, const std::string& origin = "x/report.json") {
  // Through the real report.json text, as the gate reads it.
  const auto json = nlohmann::json::parse(reports::report_json(outcome_of(std::move(runs))).dump());
  return side_from_report(json, origin);
}

std::vector<campaign::RunResult> concat(std::vector<campaign::RunResult> a,
                                        std::vector<campaign::RunResult> b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const MetricComparison* find(const GateResult& r, const std::string& spec,
                             const std::string& metric) {
  for (const auto& c : r.comparisons)
    if (c.spec == spec && c.metric == metric) return &c;
  return nullptr;
}

std::string markdown(const GateResult& r) {
  std::ostringstream out;
  write_markdown(r, out);
  return out.str();
}

std::string junit(const GateResult& r) {
  std::ostringstream out;
  write_junit(r, out);
  return out.str();
}

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(GateTest, SlowerBootIsARegressionAndFailsTheGate) {
  const auto r = run_gate(side(boot_runs("hello", 10, 100)), side(boot_runs("hello", 10, 115)), {});
  const auto* boot = find(r, "hello", "boot_ms");
  ASSERT_NE(boot, nullptr);
  EXPECT_EQ(boot->change, Change::Regressed);
  EXPECT_EQ(boot->unit, "ms");
  EXPECT_EQ(boot->baseline.size(), 10u);
  EXPECT_EQ(r.count(Change::Regressed), 1u);
  EXPECT_EQ(r.exit_code(), 1);
  // markers.total has no better direction; markers.lost is all zeros on both sides.
  EXPECT_EQ(find(r, "hello", "markers.total")->change, Change::Informational);
  EXPECT_EQ(find(r, "hello", "markers.lost")->change, Change::Unchanged);

  const auto md = markdown(r);
  EXPECT_THAT(md, HasSubstr("## osharness gate: FAILED — 1 regression"));
  EXPECT_THAT(md, HasSubstr("### Regressions"));
  EXPECT_THAT(md, HasSubstr("| hello | boot\\_ms | 100.1 ms | 115.1 ms | +15.0% ("));
  EXPECT_THAT(md, Not(HasSubstr("### Improvements")));
  EXPECT_LT(md.find("### Regressions"), md.find("<details>"));

  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(junit(r).c_str()));
  const auto suites = doc.child("testsuites");
  EXPECT_EQ(suites.attribute("failures").as_int(), 1);
  EXPECT_EQ(suites.attribute("tests").as_int(), 1 + static_cast<int>(r.comparisons.size()));
  const auto failure =
      suites.find_node([](pugi::xml_node n) { return std::string(n.name()) == "failure"; });
  EXPECT_STREQ(failure.attribute("type").as_string(), "REGRESSION");
  EXPECT_STREQ(failure.parent().attribute("name").as_string(), "boot_ms");
  EXPECT_THAT(failure.text().as_string(), HasSubstr("baseline runs (ms): 98.8 100.4"));
  // The declared unit goes with every value a CI server shows: properties and message.
  EXPECT_THAT(failure.attribute("message").as_string(),
              ::testing::StartsWith("median 100.1 ms -> 115.1 ms: +15.0% ("));
  const auto property = [&](pugi::xml_node tc, const char* name) {
    return std::string(tc.child("properties")
                           .find_child_by_attribute("property", "name", name)
                           .attribute("value")
                           .as_string());
  };
  const auto boot_tc = failure.parent();
  EXPECT_EQ(property(boot_tc, "unit"), "ms");
  EXPECT_EQ(property(boot_tc, "baseline_median"), "100.1 ms");
  EXPECT_EQ(property(boot_tc, "current_median"), "115.1 ms");
  EXPECT_THAT(property(boot_tc, "shift"), HasSubstr("+15.0% (95% CI"));
  EXPECT_EQ(property(boot_tc, "change"), "regressed");
  // A count has no unit, and no empty one.
  const auto total = suites.find_node([](pugi::xml_node n) {
    return std::string(n.name()) == "testcase" &&
           std::string(n.attribute("name").as_string()) == "markers.total";
  });
  ASSERT_TRUE(total);
  EXPECT_EQ(property(total, "unit"), "");
  EXPECT_THAT(total.child("system-out").text().as_string(), HasSubstr("baseline runs: "));
  EXPECT_THAT(junit(r), Not(HasSubstr("()")));
}

TEST(GateTest, SameBehaviourPasses) {
  auto current = boot_runs("hello", 10, 100);
  std::reverse(current.begin(), current.end());
  const auto r = run_gate(side(boot_runs("hello", 10, 100)), side(current), {});
  EXPECT_EQ(find(r, "hello", "boot_ms")->change, Change::Unchanged);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_THAT(markdown(r), HasSubstr("## osharness gate: passed — no regression, no new failure"));
}

TEST(GateTest, FasterBootIsAnImprovementAndPasses) {
  const auto r = run_gate(side(boot_runs("hello", 10, 100)), side(boot_runs("hello", 10, 80)), {});
  EXPECT_EQ(find(r, "hello", "boot_ms")->change, Change::Improved);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_THAT(markdown(r), HasSubstr("### Improvements"));
}

TEST(GateTest, ThresholdsAreAppliedPerMetric) {
  GateConfig config;
  apply_threshold_option(config, "boot_ms=20%");
  const auto r =
      run_gate(side(boot_runs("hello", 10, 100)), side(boot_runs("hello", 10, 115)), config);
  EXPECT_EQ(find(r, "hello", "boot_ms")->change, Change::Unchanged);
  EXPECT_EQ(r.exit_code(), 0);
}

TEST(GateTest, ANewFailureFailsTheGateAndItsRunGivesNoMetrics) {
  auto current = boot_runs("hello", 10, 100);
  current[3].verdict = Verdict::Crash;
  current[3].reason = "PAGE_FAULT at 0x0";
  current[3].metrics["boot_ms"] = 1e6;  // a truncated run's figure must not count
  const auto r = run_gate(side(boot_runs("hello", 10, 100)), side(current), {});
  ASSERT_EQ(r.verdicts.size(), 1u);
  EXPECT_TRUE(r.verdicts[0].new_failure());
  EXPECT_EQ(r.new_failures(), 1u);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(find(r, "hello", "boot_ms")->current.size(), 9u);
  EXPECT_EQ(find(r, "hello", "boot_ms")->change, Change::Unchanged);
  const auto md = markdown(r);
  EXPECT_THAT(md, HasSubstr("FAILED — 1 spec with new failures"));
  EXPECT_THAT(md, HasSubstr("| hello | 3 | 1003 | CRASH | PAGE\\_FAULT at 0x0 |"));
  EXPECT_THAT(junit(r), HasSubstr("type=\"NEW_FAILURE\""));
}

TEST(GateTest, FailuresAlreadyInTheBaselineAndFixesAreReportedNotGated) {
  auto baseline = concat(boot_runs("a", 6, 100), boot_runs("b", 6, 100));
  baseline[1].verdict = Verdict::Fail;  // a: failing before
  baseline[7].verdict = Verdict::Fail;  // b: failing before
  auto current = concat(boot_runs("a", 6, 100), boot_runs("b", 6, 100));
  current[2].verdict = Verdict::Timeout;  // a: still failing; b: fixed
  const auto r = run_gate(side(baseline), side(current), {});
  EXPECT_EQ(r.new_failures(), 0u);
  EXPECT_EQ(r.exit_code(), 0);
  const auto md = markdown(r);
  EXPECT_THAT(md, HasSubstr("spec a: still failing (1 of 6 baseline runs, 1 of 6 now)"));
  EXPECT_THAT(md, HasSubstr("spec b: fixed (1 of 6 baseline runs failed, none now)"));
}

TEST(GateTest, SpecsAndMetricsOnOneSideAreReported) {
  auto current = concat(boot_runs("hello", 5, 100), boot_runs("added", 5, 100));
  for (auto& run : current) run.metrics["fps.min"] = 60;
  const auto r = run_gate(side(concat(boot_runs("hello", 5, 100), boot_runs("removed", 5, 100))),
                          side(current), {});
  EXPECT_EQ(r.only_in_baseline, std::vector<std::string>{"removed"});
  EXPECT_EQ(r.only_in_current, std::vector<std::string>{"added"});
  EXPECT_EQ(r.exit_code(), 0);
  const auto md = markdown(r);
  EXPECT_THAT(md, HasSubstr("spec removed ran only in the baseline"));
  EXPECT_THAT(md, HasSubstr("hello: fps.min measured only in current"));
  EXPECT_THAT(junit(r), HasSubstr("ran only in current"));
}

TEST(GateTest, TooFewRunsAreInconclusiveNotFailing) {
  const auto r = run_gate(side(boot_runs("hello", 1, 100)), side(boot_runs("hello", 1, 300)), {});
  EXPECT_EQ(find(r, "hello", "boot_ms")->change, Change::Inconclusive);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_THAT(markdown(r), HasSubstr("### Inconclusive"));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(junit(r).c_str()));
  // On the suite: junit.xsd has no `skipped` on <testsuites> (JunitFollowsTheJenkinsSchema).
  EXPECT_GE(doc.child("testsuites").child("testsuite").attribute("skipped").as_int(), 1);
  EXPECT_FALSE(doc.child("testsuites").attribute("skipped"));
}

TEST(GateTest, EveryMetricTooFewRunsLeftInconclusiveIsOneLine) {
  const auto r = run_gate(side(concat(boot_runs("hello", 2, 100), boot_runs("flood", 3, 100))),
                          side(concat(boot_runs("hello", 2, 300), boot_runs("flood", 2, 300))), {});
  ASSERT_GE(r.count(Change::Inconclusive), 2u);
  const auto md = markdown(r);
  const auto section = md.substr(md.find("### Inconclusive\n\n") + 18);
  const auto line = section.substr(0, section.find('\n'));
  EXPECT_EQ(section.substr(line.size(), 2), "\n\n") << md;  // one line, then the next section
  EXPECT_THAT(line, HasSubstr(std::to_string(r.count(Change::Inconclusive)) +
                              " metrics cannot reach 95% confidence with 2-3 baseline and 2 "
                              "current runs per spec; give each side at least " +
                              std::to_string(min_runs_per_side(0.95)) + " runs (--repeat): "));
  EXPECT_THAT(line, HasSubstr("hello boot\\_ms"));
  EXPECT_THAT(line, HasSubstr("flood boot\\_ms"));
}

// Runs with a latency histogram of `samples` values around `median_us`.
std::vector<campaign::RunResult> histogram_runs(int runs, uint64_t median_us,
                                                bool with_p99_metric) {
  auto out = boot_runs("perf", runs, 100);
  for (auto& r : out) {
    stats::Histogram h;
    for (uint64_t v = median_us / 2; v <= median_us * 3 / 2; ++v)
      h.record(v + static_cast<uint64_t>(r.index));
    stats::store_histogram(r.analysis, "commit_us", "us", h);
    if (with_p99_metric) r.metrics["commit_us.p99"] = 42;
  }
  return out;
}

TEST(GateTest, HistogramsGivePerRunPercentilesAndPooledDistributions) {
  const auto r =
      run_gate(side(histogram_runs(5, 1000, false)), side(histogram_runs(5, 1200, true)), {});
  const auto* p50 = find(r, "perf", "commit_us.p50");
  ASSERT_NE(p50, nullptr);
  EXPECT_EQ(p50->unit, "us");
  EXPECT_NEAR(p50->baseline_median, 1002, 2);
  EXPECT_NEAR(p50->current_median, 1202, 2);
  // No analyzer declares commit_us, so no direction: reported, never gating.
  EXPECT_EQ(p50->change, Change::Informational);
  ASSERT_NE(find(r, "perf", "commit_us.p90"), nullptr);
  // Current runs carry the analyzer's own p99; the baseline's comes from its histograms.
  const auto* p99 = find(r, "perf", "commit_us.p99");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->current, std::vector<double>(5, 42.0));
  ASSERT_EQ(r.distributions.size(), 1u);
  EXPECT_EQ(r.distributions[0].baseline.count(), 5u * 1001);
  EXPECT_EQ(r.distributions[0].current.count(), 5u * 1201);
  EXPECT_THAT(markdown(r), HasSubstr("| perf | commit\\_us (us) | 5005 → 6005 |"));
}

TEST(GateTest, MarkdownEscapesNamesAndStaysShort) {
  std::vector<campaign::RunResult> base, cur;
  for (int i = 0; i < 6; ++i) {
    std::map<std::string, double> m, n;
    for (int k = 0; k < 400; ++k) {
      m["x<script>|" + std::to_string(k)] = 100 + i;
      n["x<script>|" + std::to_string(k)] = 200 + i;
    }
    base.push_back(make_run("s|<b>", i, Verdict::Pass, m));
    cur.push_back(make_run("s|<b>", i, Verdict::Pass, n));
  }
  const auto md = markdown(run_gate(side(base), side(cur), {}));
  EXPECT_THAT(md, Not(HasSubstr("<script>")));
  EXPECT_THAT(md, Not(HasSubstr("s|<b>")));
  EXPECT_THAT(md, HasSubstr("s\\|&lt;b&gt;"));
  EXPECT_THAT(md, HasSubstr("… and 200 more"));
  EXPECT_LT(md.size(), 65536u);  // GitHub's limit for a comment
}

TEST(GateTest, JunitIsValidXmlWhateverTheNames) {
  // Raw bytes, straight into the gate (a report.json could not even hold invalid UTF-8).
  GateSide s{"r.json", {}, {}};
  for (auto& r : boot_runs("a]]>\x01\xff", 4, 100)) {
    r.metrics["m\"<&>\x1b"] = 5;
    s.runs.push_back({r, {}});
  }
  const auto xml = junit(run_gate(s, s, {}));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  EXPECT_THAT(xml, Not(HasSubstr("\x1b")));
  EXPECT_THAT(xml, HasSubstr("name=\"m&quot;&lt;&amp;>\\x1b\""));
  EXPECT_THAT(xml, HasSubstr("classname=\"gate.a]]>\\x01\\xff\""));
  EXPECT_THAT(xml, HasSubstr("baseline runs (ms): 98.8 100.4 99.4 101\ncurrent runs"));
}

// Every kind of gate testcase (a regression, an inconclusive metric, specs on one side only)
// against the Jenkins junit.xsd: <testsuites> carried a `skipped` attribute the schema has not.
TEST(GateTest, JunitFollowsTheJenkinsSchema) {
  TempDir dir;
  const auto r =
      run_gate(side(concat(boot_runs("hello", 10, 100),
                           concat(boot_runs("few", 1, 100, 10), boot_runs("removed", 3, 100, 11)))),
               side(concat(boot_runs("hello", 10, 115),
                           concat(boot_runs("few", 1, 300, 10), boot_runs("added", 3, 100, 11)))),
               {});
  ASSERT_EQ(r.count(Change::Regressed), 1u);
  ASSERT_GE(r.count(Change::Inconclusive), 1u);
  ASSERT_FALSE(r.only_in_baseline.empty() || r.only_in_current.empty());
  const auto xml = junit(r);
  const auto path = dir.path() / "gate-junit.xml";
  std::ofstream(path, std::ios::binary) << xml;
  const auto v = reports::testing::validate_junit(path, dir.path());
  EXPECT_TRUE(v.valid) << v.messages << xml;
  // The skipped count stays on each suite, where the schema has it.
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  size_t skipped_cases = 0, skipped_counted = 0;
  for (const auto suite : doc.child("testsuites").children("testsuite")) {
    skipped_counted += suite.attribute("skipped").as_uint();
    for (const auto tc : suite.children("testcase")) skipped_cases += !tc.child("skipped").empty();
  }
  EXPECT_EQ(skipped_counted, skipped_cases);
  EXPECT_GE(skipped_cases, r.count(Change::Inconclusive) + 2);
}

TEST(GateInputTest, ReadsAReportFileAFolderOrAJournal) {
  TempDir dir;
  const auto outcome = outcome_of(boot_runs("hello", 3, 100));
  testing::write_report(outcome, dir.path() / "report.json");
  EXPECT_EQ(load_side(dir.path() / "report.json").runs.size(), 3u);
  const auto from_folder = load_side(dir.path());
  EXPECT_EQ(from_folder.origin, (dir.path() / "report.json").string());
  std::filesystem::create_directory(dir.path() / "killed");
  testing::write_journal(outcome, dir.path() / "killed" / "journal.jsonl");
  const auto from_journal = load_side(dir.path() / "killed");
  EXPECT_EQ(from_journal.runs.size(), 3u);
  EXPECT_THAT(from_journal.origin, HasSubstr("journal.jsonl"));
  EXPECT_EQ(from_journal.runs[2].result.metrics.at("boot_ms"),
            outcome.runs[2].metrics.at("boot_ms"));
  // Several campaigns on one side: their runs are pooled.
  const auto pooled = load_sides({dir.path(), dir.path() / "killed"});
  EXPECT_EQ(pooled.runs.size(), 6u);
  EXPECT_EQ(pooled.origin, (dir.path() / "report.json").string() + " and 1 more campaign");
}

TEST(GateInputTest, ErrorsNameTheFileAndTheField) {
  TempDir dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
    return dir.path() / name;
  };
  EXPECT_THAT(input_error([&] { load_side(dir.path()); }),
              HasSubstr("holds neither report.json nor journal.jsonl"));
  EXPECT_THAT(input_error([&] { load_side(dir.path() / "nope.json"); }),
              HasSubstr("nope.json: no such file or folder"));
  const auto spec = write("spec.json", R"({"name": "hello", "scenario": "hello"})");
  EXPECT_THAT(
      input_error([&] { load_side(spec); }),
      HasSubstr("spec.json: schema_version: missing: this is not an osharness report.json"));
  const auto newer = write("newer.json", R"({"schema_version": 7, "runs": []})");
  EXPECT_THAT(input_error([&] { load_side(newer); }), HasSubstr("schema_version: 7 is newer"));
  const auto no_runs = write("noruns.json", R"({"schema_version": 1, "runs": {}})");
  EXPECT_THAT(input_error([&] { load_side(no_runs); }),
              HasSubstr("runs: expected the array of runs"));
  EXPECT_THAT(input_error([&] { load_side(write("bad.json", "{\"schema_version\": 1,")); }),
              HasSubstr("bad.json:1:"));

  auto report = reports::report_json(outcome_of(boot_runs("hello", 3, 100)));
  report["runs"][1]["verdict"] = "MAYBE";
  EXPECT_THAT(input_error([&] { side_from_report(report, "r.json"); }),
              HasSubstr("r.json: runs[1]: verdict: unknown verdict \"MAYBE\""));
  report = reports::report_json(outcome_of(boot_runs("hello", 3, 100)));
  report["runs"][2]["findings"] = "oops";
  EXPECT_THAT(input_error([&] { side_from_report(report, "r.json"); }),
              HasSubstr("r.json: runs[2]"));
  report = reports::report_json(outcome_of(histogram_runs(2, 1000, false)));
  report["runs"][0]["analysis"]["histograms"]["commit_us"]["histogram"]["count"] = 3;
  EXPECT_THAT(input_error([&] { side_from_report(report, "r.json"); }),
              HasSubstr("r.json: runs[0]: analysis.histograms.commit_us.histogram.count: 3 but "
                        "the buckets hold 1001 values"));
}

}  // namespace
}  // namespace osh::gate

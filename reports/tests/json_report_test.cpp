#include "reports/json_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/base/subprocess.h"
#include "reports/campaign_digest.h"
#include "reports/report_writer.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using testing::GuestBytes;

nlohmann::json render(const campaign::CampaignOutcome& outcome) {
  std::ostringstream out;
  JsonReport().write(outcome, out);
  return nlohmann::json::parse(out.str());  // throws, failing the test, when not valid JSON
}

TEST(JsonReport, SummarisesEveryVerdictAndKeepsEveryRun) {
  testing::TempDir dir;
  const auto o = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
  const auto j = render(o);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["verdict"], "CRASH");
  EXPECT_EQ(j["exit_code"], 2);
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["summary"]["runs"], 8);
  const nlohmann::json by_verdict = {{"PASS", 1},    {"FAIL", 2},        {"CRASH", 1}, {"HANG", 1},
                                     {"TIMEOUT", 1}, {"INFRA_ERROR", 1}, {"FLAKY", 1}};
  EXPECT_EQ(j["summary"]["by_verdict"], by_verdict);
  EXPECT_EQ(j["summary"]["boot_ms"]["runs"], 7);
  EXPECT_EQ(j["summary"]["boot_ms"]["median"], 43.75);
  ASSERT_EQ(j["runs"].size(), 8u);
  EXPECT_EQ(j["runs"][2]["crash"]["frames"][0]["address"], "0xffffffff80101234");
  EXPECT_EQ(j["runs"][6]["analysis"]["charts"][0]["kind"], "histogram");
}

// The per-spec table and the spec files list both were under "specs": the table was lost.
TEST(JsonReport, KeepsBothTheSpecFilesAndThePerSpecTable) {
  testing::TempDir dir;
  const auto o = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
  const auto j = render(o);
  EXPECT_EQ(j["specs"], nlohmann::json(o.info.specs));
  ASSERT_TRUE(j["per_spec"].is_array());
  ASSERT_EQ(j["per_spec"].size(), spec_digests(o).size());
  size_t runs = 0;
  for (const auto& s : j["per_spec"]) runs += s["runs"].get<size_t>();
  EXPECT_EQ(runs, o.runs.size());
  EXPECT_EQ(j["per_spec"][0]["name"], o.runs[0].name);
}

TEST(JsonReport, RawGuestBytesStillGiveValidJson) {
  testing::TempDir dir;
  const auto j = render(testing::synthetic_outcome(dir.path(), GuestBytes::Raw));
  const std::string name = j["runs"][7]["name"];
  EXPECT_EQ(name.find("<script>alert(1)</script> ]]>"), 0u);
  EXPECT_NE(name.find(std::string(1, '\0')), std::string::npos);  // \u0000 in the file
  EXPECT_NE(name.find("\xEF\xBF\xBD bad"), std::string::npos);    // invalid byte: U+FFFD
}

TEST(JsonReport, AnEmptyOrInterruptedCampaign) {
  campaign::CampaignOutcome empty;
  auto j = render(empty);
  EXPECT_EQ(j["verdict"], "PASS");
  EXPECT_EQ(j["summary"]["runs"], 0);
  EXPECT_TRUE(j["summary"]["boot_ms"].is_null());
  EXPECT_TRUE(j["runs"].empty());
  empty.info.interrupted = true;
  j = render(empty);
  EXPECT_EQ(j["verdict"], "INFRA_ERROR");
  EXPECT_EQ(j["exit_code"], 69);
  EXPECT_EQ(j["interrupted"], true);
}

// Issue 18: a killed campaign's reports said PASS. Every writer says the campaign is incomplete
// and why, and its verdict is INFRA_ERROR.
TEST(Reports, AnIncompleteCampaignIsInfraErrorAndSaysWhyInEveryReport) {
  testing::TempDir dir;
  auto o = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
  o.runs.resize(1);  // the PASS run
  o.info.incomplete = {"2 of 3 planned runs never recorded (run index 1, 2)"};
  EXPECT_EQ(overall_verdict(o), campaign::Verdict::InfraError);
  const auto j = render(o);
  EXPECT_EQ(j["verdict"], "INFRA_ERROR");
  EXPECT_EQ(j["exit_code"], 69);
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["incomplete"], nlohmann::json::array({o.info.incomplete[0]}));
  for (const auto& writer : builtin_writers()) {
    std::ostringstream out;
    writer->write(o, out);
    EXPECT_THAT(out.str(), ::testing::HasSubstr("INFRA_ERROR")) << writer->file_name();
    EXPECT_THAT(out.str(), ::testing::HasSubstr("2 of 3 planned runs never recorded"))
        << writer->file_name();
  }
  o.info.incomplete.clear();
  EXPECT_EQ(overall_verdict(o), campaign::Verdict::Pass);
}

// The synthetic campaigns (every verdict, a crash with frames, problems, guest tests, charts,
// raw guest bytes, an empty and an incomplete campaign) against schemas/report.schema.json with
// scripts/validate-json (Debian's python3-jsonschema): a field written but missing from the
// schema, or of another type than it says, fails here.
TEST(JsonReport, FollowsTheShippedSchema) {
  testing::TempDir dir;
  std::vector<std::pair<std::string, campaign::CampaignOutcome>> cases = {
      {"escaped", testing::synthetic_outcome(dir.path(), GuestBytes::Escaped)},
      {"raw", testing::synthetic_outcome(dir.path(), GuestBytes::Raw)},
      {"empty", {}}};
  auto incomplete = cases[0].second;
  incomplete.info.interrupted = true;
  incomplete.info.incomplete = {"2 of 8 planned runs never recorded (run index 5, 7)"};
  cases.emplace_back("incomplete", std::move(incomplete));
  std::vector<std::string> argv = {OSH_VALIDATE_JSON};
  for (const auto& [name, outcome] : cases) {
    const auto path = dir.path() / (name + ".json");
    std::ofstream out(path, std::ios::binary);
    JsonReport().write(outcome, out);
    argv.push_back(path.string());
  }
  const auto log = dir.path() / "validate.log";
  auto p = Subprocess::spawn(argv, {.stdout_to = Redirect::file(log)});
  const auto& status = p.wait_for(std::chrono::seconds(60));
  if (!status) p.kill_group();
  ASSERT_TRUE(status) << "validate-json did not finish within 60 s";
  EXPECT_TRUE(!status->signaled && status->code == 0) << testing::read_file(log);
}

}  // namespace
}  // namespace osh::reports

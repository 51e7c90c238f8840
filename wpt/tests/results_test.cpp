#include "wpt/results.h"

#include <gtest/gtest.h>

#include "harness/base/errors.h"
#include "harness/marker/schema.h"
#include "os/core/marker_writer.h"
#include "wpt/data_image.h"

namespace osh::wpt {
namespace {

using rayos::wpt::CaseKind;

// Two tests as the image holds them, and a guest speaking rayos's markers about them.
class Collector : public ::testing::Test {
 protected:
  Collector()
      : schema_(marker::Schema::load(OSH_RAYOS_SCHEMA)),
        tests_({{"/a/one.any.html",
                 {{"Loading data", {CaseKind::kLoad, {}}}, {"first", {}}, {"second", {}}}},
                {"/b/two.any.html", {{"Setup.", {CaseKind::kLoad, {}}}, {"only", {}}}}}),
        image_(build_data_image(tests_)) {}

  // A marker line exactly as rayos prints it (seq and CRC-32C).
  std::string line(const char* category, const char* event, std::vector<std::string> fields) {
    rayos::MarkerWriter w(category, event);
    for (const auto& f : fields) w.field(rayos::StringView(f.data(), f.size()));
    const auto v = w.finish(seq_++);
    return std::string(v.data(), v.size());
  }
  std::string crc(size_t test) {
    char s[16];
    std::snprintf(s, sizeof s, "%08x", image_.test_crcs[test]);
    return s;
  }
  ResultCollector::Outcome run(const std::string& console,
                               const std::string& unfinished = "ERROR") {
    ResultCollector collector(tests_, image_.test_crcs);
    marker::MarkerStream stream(schema_);
    stream.add_observer(&collector);
    stream.feed(console, 1);
    stream.finish(2);
    EXPECT_EQ(stream.counts().malformed, 0u);
    return collector.finish(unfinished);
  }

  marker::Schema schema_;
  std::vector<WptTest> tests_;
  DataImage image_;
  uint64_t seq_ = 0;
};

TEST_F(Collector, MapsIndicesToIdsAndNamesAndDecodesMessages) {
  std::string c = line("WPT", "START", {"2", "5", "100"});
  c += line("WPT", "TEST", {"0", "3", crc(0)});
  c += line("WPT", "SUBTEST", {"0", "0", "PASS", ""});
  c += line("WPT", "SUBTEST", {"0", "1", "FAIL", "assert_equals%3A%20href%20%23%25%E2%80%A6%1B"});
  c += line("WPT", "SUBTEST", {"0", "2", "PRECONDITION_FAILED", "no%20IDNA"});
  c += line("WPT", "TEST_END", {"0", "OK", "2500", ""});
  c += line("WPT", "TEST", {"1", "2", crc(1)});
  c += line("WPT", "SUBTEST", {"1", "0", "PASS", ""});
  c += line("WPT", "SUBTEST", {"1", "1", "PASS", ""});
  c += line("WPT", "TEST_END", {"1", "OK", "999", ""});
  c += line("WPT", "DONE", {"2", "3", "1", "1"});
  const auto out = run(c);
  EXPECT_TRUE(out.done);
  EXPECT_TRUE(out.problems.empty()) << out.problems.front();
  ASSERT_EQ(out.results.size(), 2u);
  const TestResult& one = out.results[0];
  EXPECT_EQ(one.test, "/a/one.any.html");
  EXPECT_EQ(one.status, "OK");
  EXPECT_EQ(one.duration_ms, 2);
  ASSERT_EQ(one.subtests.size(), 3u);
  EXPECT_EQ(one.subtests[1].name, "first");
  EXPECT_EQ(one.subtests[1].status, "FAIL");
  // Decoded, and the guest's control byte escaped like any guest text.
  EXPECT_EQ(one.subtests[1].message, "assert_equals: href #%\xE2\x80\xA6\\x1b");
  EXPECT_FALSE(one.subtests[0].message);
  EXPECT_EQ(out.results[1].subtests[0].name, "Setup.");
}

TEST_F(Collector, AGuestThatStopsMidTestLeavesItUnfinishedAndItsSubtestsNotRun) {
  std::string c = line("WPT", "TEST", {"0", "3", crc(0)});
  c += line("WPT", "SUBTEST", {"0", "0", "PASS", ""});
  const auto out = run(c, "CRASH");
  EXPECT_FALSE(out.done);
  ASSERT_EQ(out.results.size(), 1u);  // the second test never started: not reported
  EXPECT_EQ(out.results[0].status, "CRASH");
  ASSERT_EQ(out.results[0].subtests.size(), 3u);
  EXPECT_EQ(out.results[0].subtests[2].status, "NOTRUN");
}

TEST_F(Collector, DataThatIsNotWhatWasBuiltIsAnErrorAndAProblem) {
  std::string c = line("WPT", "TEST", {"0", "3", "deadbeef"});
  c += line("WPT", "SUBTEST", {"0", "0", "PASS", ""});
  c += line("WPT", "TEST_END", {"0", "OK", "1", ""});
  c += line("WPT", "TEST", {"7", "1", "00000000"});
  c += line("WPT", "TEST", {"1", "2", crc(1)});
  c += line("WPT", "SUBTEST", {"1", "5", "PASS", ""});
  c += line("WPT", "SUBTEST", {"1", "0", "PASS", ""});
  c += line("WPT", "SUBTEST", {"1", "0", "PASS", ""});
  c += line("WPT", "TEST_END", {"1", "OK", "1", ""});
  c += line("WPT", "DONE", {"2", "9", "0", "0"});
  const auto out = run(c);
  ASSERT_EQ(out.results.size(), 2u);
  EXPECT_EQ(out.results[0].status, "ERROR");
  EXPECT_NE(out.results[0].message->find("not this test's data"), std::string::npos);
  const std::string all = [&] {
    std::string s;
    for (const auto& p : out.problems) s += p + "\n";
    return s;
  }();
  EXPECT_NE(all.find("WPT test 7 is not in the data image"), std::string::npos) << all;
  EXPECT_NE(all.find("subtest 5 does not exist"), std::string::npos) << all;
  EXPECT_NE(all.find("subtest 0 reported twice"), std::string::npos) << all;
  EXPECT_NE(all.find("WPT:DONE counts 9 passed"), std::string::npos) << all;
  // The subtest never reported in the second test is NOTRUN.
  EXPECT_EQ(out.results[1].subtests[1].status, "NOTRUN");
}

TEST_F(Collector, AGuestThatCannotReadItsImageSaysWhy) {
  const auto out = run(line("WPT", "ERROR", {"image_payload_crc_mismatch"}));
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].find("image_payload_crc_mismatch"), std::string::npos);
}

TEST(TestResultJson, RoundTripsAndRefusesWhatIsNotOne) {
  const TestResult r{"/a.html", "OK", "m", 7, {{"s", "FAIL", "why"}, {"t", "PASS", std::nullopt}}};
  const auto j = to_json(r);
  EXPECT_EQ(j["subsuite"], "");
  EXPECT_TRUE(j["subtests"][1]["message"].is_null());
  const TestResult back = test_result_from_json(j, "x");
  EXPECT_EQ(back.subtests[0].message, "why");
  EXPECT_EQ(to_json(back), j);
  EXPECT_THROW(test_result_from_json({{"test", "/a.html"}}, "x"), InputError);
  EXPECT_THROW(test_result_from_json({{"test", 1}, {"status", "OK"}}, "x"), InputError);
}

}  // namespace
}  // namespace osh::wpt

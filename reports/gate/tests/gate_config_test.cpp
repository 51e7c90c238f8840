#include "reports/gate/gate_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/base/errors.h"

namespace osh::gate {
namespace {

using ::testing::HasSubstr;
using Kind = Threshold::Kind;

TEST(ThresholdTest, ParsesTheThreeForms) {
  Threshold t;
  ASSERT_TRUE(parse_threshold("10%", t));
  EXPECT_EQ(t.kind, Kind::Relative);
  EXPECT_DOUBLE_EQ(t.value, 0.10);
  EXPECT_EQ(t.text(), "10%");
  ASSERT_TRUE(parse_threshold("2.5", t));
  EXPECT_EQ(t.kind, Kind::Absolute);
  EXPECT_DOUBLE_EQ(t.value, 2.5);
  ASSERT_TRUE(parse_threshold("0", t));
  EXPECT_EQ(t.value, 0);
  ASSERT_TRUE(parse_threshold("off", t));
  EXPECT_EQ(t.kind, Kind::Off);
  for (const char* bad : {"", "%", "-5%", "ten", "5 %", "5%%", "nan", "inf", "1e999", "Off"})
    EXPECT_FALSE(parse_threshold(bad, t)) << bad;
}

TEST(GateConfigTest, ExactNamesBeatFamiliesAndLongerFamiliesBeatShorter) {
  GateConfig c;
  apply_threshold_option(c, "latency_us.*=10%");
  apply_threshold_option(c, "latency_us.commit.*=20%");
  apply_threshold_option(c, "latency_us.commit.p99=off");
  EXPECT_EQ(c.threshold_for("latency_us.p50").text(), "10%");
  EXPECT_EQ(c.threshold_for("latency_us.commit.p50").text(), "20%");
  EXPECT_EQ(c.threshold_for("latency_us.commit.p99").text(), "off");
  EXPECT_EQ(c.threshold_for("latency_usx").text(), "5%");
  EXPECT_EQ(c.threshold_for("boot_ms").text(), "5%");
  apply_threshold_option(c, "latency_us.*=12%");  // a later setting replaces
  EXPECT_EQ(c.threshold_for("latency_us.p50").text(), "12%");
  EXPECT_EQ(c.thresholds.size(), 3u);
}

TEST(GateConfigTest, BadOptionsAreUsageErrors) {
  GateConfig c;
  const auto error = [&](const char* option) -> std::string {
    try {
      apply_threshold_option(c, option);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_THAT(error("latency_us.p99"), HasSubstr("expected NAME=VALUE"));
  EXPECT_THAT(error("=5%"), HasSubstr("expected NAME=VALUE"));
  EXPECT_THAT(error("a*b=5%"), HasSubstr("not a metric name or family"));
  EXPECT_THAT(error("*=5%"), HasSubstr("not a metric name or family"));
  EXPECT_THAT(error("boot_ms=fast"), HasSubstr("the value must be a percentage"));
  EXPECT_THROW(check_confidence(1, "--confidence"), UsageError);
  EXPECT_THROW(check_confidence(0.3, "--confidence"), UsageError);
  EXPECT_NO_THROW(check_confidence(0.9, "--confidence"));
}

class ConfigFileTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  std::string error(const std::string& text) {
    GateConfig c;
    try {
      apply_config_file(c, write(text));
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                ("gate-config-" + std::to_string(getpid()) + ".json");
  void TearDown() override { std::filesystem::remove(path_); }
};

TEST_F(ConfigFileTest, AppliesEveryField) {
  GateConfig c;
  apply_config_file(c, write(R"({"confidence": 0.99, "default_threshold": "8%",
      "thresholds": {"boot_ms": "20%", "markers.lost": 0, "duration_ms": "off"}})"));
  EXPECT_DOUBLE_EQ(c.confidence, 0.99);
  EXPECT_EQ(c.threshold_for("x").text(), "8%");
  EXPECT_EQ(c.threshold_for("boot_ms").text(), "20%");
  EXPECT_EQ(c.threshold_for("markers.lost").kind, Kind::Absolute);
  EXPECT_EQ(c.threshold_for("duration_ms").kind, Kind::Off);
}

TEST_F(ConfigFileTest, ErrorsNameTheFileAndTheField) {
  EXPECT_THAT(error(R"({"confidense": 0.9})"),
              HasSubstr(path_.string() + ": confidense: unknown field"));
  EXPECT_THAT(error(R"({"confidence": 1.5})"), HasSubstr("confidence: must be at least 0.5"));
  EXPECT_THAT(error(R"({"thresholds": {"boot_ms": "fast"}})"),
              HasSubstr("thresholds.boot_ms: expected a percentage"));
  EXPECT_THAT(error(R"({"thresholds": {"boot_ms": -1}})"),
              HasSubstr("thresholds.boot_ms: expected"));
  EXPECT_THAT(error(R"({"thresholds": {"a*": "5%"}})"), HasSubstr("not a metric name or family"));
  EXPECT_THAT(error(R"({"thresholds": [1]})"), HasSubstr("thresholds: expected an object"));
  EXPECT_THAT(error("{"), HasSubstr(path_.string()));
}

}  // namespace
}  // namespace osh::gate

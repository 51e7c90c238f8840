// The compact serialization: round trips, size, and clear errors for every kind of bad input.
#include "harness/stats/histogram_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "harness/base/errors.h"
#include "harness/stats/base64.h"
#include "harness/stats/run_histograms.h"

namespace osh::stats {
namespace {

using ::testing::HasSubstr;

Histogram latency_histogram(int samples, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(800), 0.6);
  Histogram h;
  for (int i = 0; i < samples; ++i) h.record(static_cast<uint64_t>(d(rng)));
  return h;
}

void expect_same(const Histogram& a, const Histogram& b) {
  EXPECT_EQ(a.config(), b.config());
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.clamped(), b.clamped());
  std::vector<Bucket> ba, bb;
  a.for_each_bucket([&](const Bucket& x) { ba.push_back(x); });
  b.for_each_bucket([&](const Bucket& x) { bb.push_back(x); });
  ASSERT_EQ(ba.size(), bb.size());
  for (size_t i = 0; i < ba.size(); ++i) {
    EXPECT_EQ(ba[i].index, bb[i].index);
    EXPECT_EQ(ba[i].count, bb[i].count);
  }
}

std::string error_of(const nlohmann::json& j) {
  try {
    histogram_from_json(j, "report.json", "runs[0].analysis.histograms.commit_us.histogram");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(HistogramJsonTest, RoundTripsExactly) {
  const auto h = latency_histogram(20000, 1);
  const auto j = to_json(h);
  expect_same(histogram_from_json(nlohmann::json::parse(j.dump()), "x", "h"), h);
  Histogram clamped({.lowest = 10, .highest = 1000, .digits = 2});
  clamped.record(5);
  clamped.record(1'000'000, 3);
  expect_same(histogram_from_json(to_json(clamped), "x", "h"), clamped);
  Histogram empty;
  expect_same(histogram_from_json(to_json(empty), "x", "h"), empty);
}

TEST(HistogramJsonTest, IsCompact) {
  // 20000 latencies spread over ~1300 occupied buckets: about two bytes per occupied bucket
  // before base64, against 8 bytes per counter for the raw 23552-counter array.
  const auto h = latency_histogram(20000, 2);
  size_t occupied = 0;
  h.for_each_bucket([&](const Bucket&) { ++occupied; });
  const auto counts = to_json(h)["counts"].get<std::string>();
  EXPECT_LT(counts.size(), occupied * 4);
}

TEST(HistogramJsonTest, ErrorsNameTheFieldAndTheProblem) {
  auto good = to_json(latency_histogram(100, 3));
  auto with = [&](const char* key, nlohmann::json v) {
    auto j = good;
    j[key] = std::move(v);
    return j;
  };
  EXPECT_THAT(error_of(with("digits", 9)),
              HasSubstr("report.json: runs[0].analysis.histograms.commit_us.histogram.digits: must "
                        "be between 1 and 5"));
  EXPECT_THAT(error_of(with("lowest", 0)), HasSubstr("not a valid histogram layout"));
  EXPECT_THAT(error_of(with("count", 101)),
              HasSubstr("count: 101 but the buckets hold 100 values"));
  EXPECT_THAT(error_of(with("min", 0)), HasSubstr("counts: inconsistent histogram"));
  EXPECT_THAT(error_of(with("clamped", 5)), HasSubstr("inconsistent histogram"));
  EXPECT_THAT(error_of(with("counts", "not base64!")), HasSubstr("counts: not valid base64"));
  EXPECT_THAT(error_of(with("counts", 12)), HasSubstr("counts: expected a string"));
  EXPECT_THAT(error_of(with("extra", 1)), HasSubstr("extra: unknown field"));
  auto missing = good;
  missing.erase("max");
  EXPECT_THAT(error_of(missing), HasSubstr("max: required field is missing"));
  EXPECT_THAT(error_of(nlohmann::json::array()), HasSubstr("expected an object"));
}

TEST(HistogramJsonTest, RejectsCorruptCountStreams) {
  Histogram small({.lowest = 1, .highest = 1000, .digits = 1});
  small.record(3);
  auto j = to_json(small);
  // A varint whose continuation bit never ends.
  j["counts"] = base64_encode({0x80, 0x80});
  EXPECT_THAT(error_of(j), HasSubstr("truncated or overlong number"));
  j["counts"] = base64_encode(std::vector<unsigned char>(11, 0xff));
  EXPECT_THAT(error_of(j), HasSubstr("truncated or overlong number"));
  // A run of empty buckets far past the layout (zigzag of -1000000).
  j["counts"] = base64_encode({0xff, 0x83, 0x7a});
  EXPECT_THAT(error_of(j), HasSubstr("more buckets than the layout"));
  // The most negative number: a run of 2^63 buckets.
  std::vector<unsigned char> huge(9, 0xff);
  huge.push_back(0x01);
  j["counts"] = base64_encode(huge);
  EXPECT_THAT(error_of(j), HasSubstr("more buckets than the layout"));
}

TEST(HistogramJsonTest, SurvivesRandomCorruption) {
  // Whatever the bytes, either a consistent histogram or an InputError; never a crash.
  const auto good = to_json(latency_histogram(500, 4));
  const auto bytes = *base64_decode(good["counts"].get<std::string>());
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3000; ++i) {
    auto b = bytes;
    for (int k = 0; k < 3; ++k) b[rng() % b.size()] = static_cast<unsigned char>(rng());
    if (i % 7 == 0) b.resize(rng() % b.size());
    auto j = good;
    j["counts"] = base64_encode(b);
    try {
      const auto h = histogram_from_json(j, "x", "h");
      EXPECT_EQ(h.count(), 500u);
    } catch (const InputError&) {
    }
  }
}

TEST(Base64Test, Rfc4648Vectors) {
  const auto enc = [](std::string s) { return base64_encode({s.begin(), s.end()}); };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foob"), "Zm9vYg==");
  EXPECT_EQ(enc("fooba"), "Zm9vYmE=");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
  const auto dec = base64_decode("Zm9vYmE=");
  ASSERT_TRUE(dec);
  EXPECT_EQ(std::string(dec->begin(), dec->end()), "fooba");
  for (const char* bad : {"Zg=", "Zg=a", "Z===", "Zh==", "Zm9=Ym9v", "Zm9v\n", "Zm 9"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(RunHistogramsTest, StoredAndLoadedUnderAnalysis) {
  nlohmann::json analysis = {{"guest_version", "1"}};
  const auto h = latency_histogram(1000, 6);
  store_histogram(analysis, "buffer_commit_us", "us", h);
  const auto loaded = load_histograms(nlohmann::json::parse(analysis.dump()), "r.json: runs[2]");
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded.at("buffer_commit_us").unit, "us");
  expect_same(loaded.at("buffer_commit_us").histogram, h);
  EXPECT_TRUE(load_histograms(nlohmann::json::object(), "x").empty());
}

TEST(RunHistogramsTest, ErrorsNameTheRunAndTheHistogram) {
  const auto error = [](const nlohmann::json& analysis) -> std::string {
    try {
      load_histograms(analysis, "r.json: runs[2]");
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_THAT(error({{"histograms", 3}}),
              HasSubstr("r.json: runs[2]: analysis.histograms: expected an object"));
  EXPECT_THAT(error({{"histograms", {{"x\x1b[2J", {{"unit", "us"}}}}}}),
              HasSubstr("analysis.histograms.x\\x1b[2J.histogram: required field is missing"));
  nlohmann::json bad = {
      {"histograms", {{"lat", {{"unit", "us"}, {"histogram", {{"digits", 3}}}}}}}};
  EXPECT_THAT(error(bad),
              HasSubstr("analysis.histograms.lat.histogram.lowest: required field is missing"));
}

}  // namespace
}  // namespace osh::stats

#include "net/pair_check.h"

#include <gtest/gtest.h>

#include "net/tests/pcap_writer.h"

namespace osh::net {
namespace {

using testing::Bytes;

const MacAddress kA{0x52, 0x54, 0x00, 0x0a, 0x00, 0x01};
const MacAddress kB{0x52, 0x54, 0x00, 0x0a, 0x00, 0x02};

Bytes frame(const MacAddress& from, uint8_t tag) {
  Bytes b(60, tag);
  const MacAddress& to = from == kA ? kB : kA;
  std::copy(to.begin(), to.end(), b.begin());
  std::copy(from.begin(), from.end(), b.begin() + 6);
  return b;
}

Capture capture(const std::string& name, const std::vector<Bytes>& frames) {
  std::vector<testing::TimedFrame> timed;
  for (size_t i = 0; i < frames.size(); ++i) timed.push_back({static_cast<int64_t>(i), frames[i]});
  return read_capture(
      testing::write_capture(std::filesystem::path(::testing::TempDir()) / name, timed));
}

std::vector<std::string> failed(const CheckResult& r) {
  std::vector<std::string> names;
  for (const auto& f : r.failures()) names.push_back(f.assertion);
  return names;
}

TEST(PairCheck, BothSidesOfAnEchoMatch) {
  // Each side sees what it sent and what it received, interleaved differently.
  const Capture a = capture("a.pcap", {frame(kA, 1), frame(kB, 2), frame(kA, 3), frame(kB, 4)});
  const Capture b = capture("b.pcap", {frame(kA, 1), frame(kA, 3), frame(kB, 2), frame(kB, 4)});
  const CheckResult r = check_pair(a, kA, b, kB, true);
  EXPECT_TRUE(r.failures().empty()) << r.headline();
  EXPECT_EQ(r.passed(), 4u);
  EXPECT_EQ(r.summary()["a-to-b"]["matched"], 2);
  EXPECT_EQ(r.summary()["b-to-a"]["lost"], 0);
}

TEST(PairCheck, ALostFrameFailsOnlyWhenExact) {
  const Capture a = capture("a.pcap", {frame(kA, 1), frame(kA, 2), frame(kA, 3)});
  const Capture b = capture("b.pcap", {frame(kA, 1), frame(kA, 3)});
  const CheckResult exact = check_pair(a, kA, b, kB, true);
  ASSERT_EQ(failed(exact), std::vector<std::string>{"a-to-b-delivered"});
  EXPECT_EQ(exact.failures()[0].packet, 2u);
  EXPECT_EQ(exact.failures()[0].file, "a.pcap");
  const CheckResult partitioned = check_pair(a, kA, b, kB, false);
  EXPECT_TRUE(partitioned.failures().empty());
  EXPECT_EQ(partitioned.summary()["a-to-b"]["lost"], 1);
}

TEST(PairCheck, AlteredReorderedAndDuplicatedFramesFail) {
  const Capture a = capture("a.pcap", {frame(kA, 1), frame(kA, 2), frame(kA, 3)});
  Bytes altered = frame(kA, 2);
  altered[40] ^= 1;
  const Capture b =
      capture("b.pcap", {frame(kA, 1), altered, frame(kA, 3), frame(kA, 3), frame(kA, 2)});
  const CheckResult r = check_pair(a, kA, b, kB, false);
  EXPECT_EQ(failed(r), (std::vector<std::string>{"a-to-b-arrived-as-sent", "a-to-b-arrived-as-sent",
                                                 "a-to-b-arrived-as-sent"}));
  EXPECT_EQ(r.failures()[0].packet, 2u);
  EXPECT_EQ(r.failures()[0].file, "b.pcap");
}

TEST(PairCheck, ParsesMacs) {
  EXPECT_EQ(parse_mac("52:54:00:0a:00:01"), kA);
  EXPECT_EQ(parse_mac("52:54:00:0A:00:01"), kA);
  EXPECT_FALSE(parse_mac("52:54:00:0a:00"));
  EXPECT_FALSE(parse_mac("52-54-00-0a-00-01"));
  EXPECT_FALSE(parse_mac("52:54:00:0a:00:0g"));
}

}  // namespace
}  // namespace osh::net

#include "net/dhcp_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/testing/temp_dir.h"
#include "net/tests/pcap_writer.h"
#include "os/core/net_packet.h"

namespace osh::net {
namespace {

using testing::DhcpFields;
using ::testing::HasSubstr;
using testing::TimedFrame;

class DhcpCheckTest : public ::testing::Test {
 protected:
  // Writes the messages 1 ms apart (or at `times_us`) and checks the capture.
  CheckResult check(const std::vector<DhcpFields>& messages, std::vector<int64_t> times_us = {}) {
    std::vector<TimedFrame> frames;
    for (size_t i = 0; i < messages.size(); ++i)
      frames.push_back({i < times_us.size() ? times_us[i] : static_cast<int64_t>(i) * 1000,
                        testing::dhcp_frame(messages[i])});
    const test_support::TempDir dir;
    const auto path = dir.path() / "dhcp.pcap";
    testing::write_capture(path, frames);
    return check_dhcp(read_capture(path, kDhcpFilter));
  }
  std::vector<std::string> failed(const CheckResult& r) {
    std::vector<std::string> names;
    for (const auto& f : r.failures()) names.push_back(f.assertion);
    return names;
  }
};

TEST_F(DhcpCheckTest, AGoodExchangePassesEveryAssertion) {
  const CheckResult r = check(testing::good_exchange());
  EXPECT_TRUE(r.failures().empty()) << r.headline();
  // 4 messages x (udp-datagram, checksums, op, htype, hlen, magic-cookie, options-end,
  // message-type) + 2 chaddr + dhcp-present, discover-first, order, offer-xid, offer-fields,
  // request-xid, request-server-id, request-server-id-matches, requested-address,
  // request-ciaddr, ack-xid, ack-yiaddr, ack-lease.
  EXPECT_EQ(r.passed(), 4u * 8 + 2 + 13);
  EXPECT_EQ(r.summary()["address"], "10.0.2.15");
  EXPECT_EQ(r.summary()["server"], "10.0.2.2");
  EXPECT_EQ(r.summary()["lease_s"], 86400);
  EXPECT_EQ(r.summary()["exchange_ms"], 3.0);
}

TEST_F(DhcpCheckTest, ARealSlirpExchangeCapturedFromRayos) {
  // Captured by QEMU's filter-dump from rayos's dhcp scenario on QEMU 7.2's user network, whose
  // DHCP server (libslirp 4.7) leases 10.0.2.15 from 10.0.2.2 for 86400 s (RESEARCH.md).
  const CheckResult r =
      check_dhcp(read_capture(std::string(OSH_NET_TEST_DATA) + "/slirp_dhcp.pcap", kDhcpFilter));
  EXPECT_TRUE(r.failures().empty()) << r.headline();
  EXPECT_GE(r.passed(), 12u);
  EXPECT_EQ(r.summary()["address"], "10.0.2.15");
  EXPECT_EQ(r.summary()["server"], "10.0.2.2");
  EXPECT_EQ(r.summary()["lease_s"], 86400);
  EXPECT_EQ(r.summary()["messages"].size(), 4u);
}

TEST_F(DhcpCheckTest, ARequestWithAnotherXidFailsAtThatPacketAndOffset) {
  auto messages = testing::good_exchange();
  messages[2].xid += 1;
  messages[3].xid += 1;
  const CheckResult r = check(messages);
  ASSERT_EQ(failed(r), std::vector<std::string>{"request-xid"});
  const CheckFailure& f = r.failures()[0];
  EXPECT_EQ(f.packet, 3u);
  // The global header (24 bytes), then two records of a 16-byte header and their frame.
  const uint64_t frame_bytes = testing::dhcp_frame(messages[0]).size();
  EXPECT_EQ(f.offset, 24 + 2 * (16 + frame_bytes));
  EXPECT_EQ(f.file, "dhcp.pcap");
  EXPECT_THAT(r.headline(), HasSubstr("request-xid at packet 3 (offset "));
  EXPECT_THAT(f.detail, HasSubstr("REQUEST xid 0x1234abce differs from the OFFER's 0x1234abcd"));
}

TEST_F(DhcpCheckTest, ARequestWithoutTheServerIdFails) {
  auto messages = testing::good_exchange();
  messages[2].server_id.reset();
  EXPECT_EQ(failed(check(messages)), std::vector<std::string>{"request-server-id"});
}

TEST_F(DhcpCheckTest, EachFieldOfTheExchangeIsChecked) {
  auto m = testing::good_exchange();
  m[2].requested = rayos::net::ipv4(10, 0, 2, 16);
  m[2].server_id = rayos::net::ipv4(10, 0, 2, 3);
  m[2].ciaddr = rayos::net::ipv4(10, 0, 2, 15);
  m[3].lease_s = 0;
  m[1].op = 1;
  EXPECT_EQ(failed(check(m)),
            (std::vector<std::string>{"op", "request-server-id-matches", "requested-address",
                                      "request-ciaddr", "ack-yiaddr", "ack-lease"}));
}

TEST_F(DhcpCheckTest, WithoutTheMagicCookieThereIsNoDiscover) {
  auto m = testing::good_exchange();
  m[0].cookie = false;
  EXPECT_EQ(failed(check(m)),
            (std::vector<std::string>{"magic-cookie", "discover-first", "order"}));
}

TEST_F(DhcpCheckTest, AMissingAckBreaksTheOrder) {
  auto m = testing::good_exchange();
  m.pop_back();
  const CheckResult r = check(m);
  ASSERT_EQ(failed(r), std::vector<std::string>{"order"});
  EXPECT_THAT(r.failures()[0].detail, HasSubstr("DISCOVER OFFER REQUEST, no ACK after it"));
}

TEST_F(DhcpCheckTest, RetransmissionsMustFollowTheRfcBackoff) {
  auto good = testing::good_exchange();
  std::vector<DhcpFields> m = {good[0], good[0], good[0], good[1], good[2], good[3]};
  // 4 s then 8 s (within +-1 s): fine.
  EXPECT_TRUE(
      check(m, {0, 4'500'000, 12'000'000, 12'001'000, 12'002'000, 12'003'000}).failures().empty());
  // 2 s: too early.
  const CheckResult r = check(m, {0, 2'000'000, 10'000'000, 10'001'000, 10'002'000, 10'003'000});
  ASSERT_EQ(failed(r), std::vector<std::string>{"retransmission-interval"});
  EXPECT_EQ(r.failures()[0].packet, 2u);
  EXPECT_THAT(r.failures()[0].detail, HasSubstr("after 2.000 s; RFC 2131 §4.1 wants 4 s"));
}

TEST_F(DhcpCheckTest, ACaptureWithoutDhcpFailsOneAssertion) {
  const CheckResult r = check({});
  EXPECT_EQ(failed(r), std::vector<std::string>{"dhcp-present"});
}

}  // namespace
}  // namespace osh::net

#include "os/core/dhcp_client.h"

#include <gtest/gtest.h>

#include <vector>

namespace rayos::net {
namespace {

const Mac kClient{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
const Mac kServerMac{{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}};
const Ipv4 kServer = ipv4(10, 0, 2, 2);
const Ipv4 kOffered = ipv4(10, 0, 2, 15);
constexpr uint64_t kS = 1'000'000'000;

struct Sent {
  uint8_t type = 0;
  uint32_t xid = 0;
  uint16_t secs = 0;
  bool has_server_id = false;
  Ipv4 server_id = 0;
  Ipv4 requested = 0;
};

// Reads back what the client sent, independently of the client's own parser.
Sent decode(const uint8_t* frame, size_t len) {
  Frame f;
  EXPECT_EQ(parse_frame(frame, len, f), ParseError::kNone);
  EXPECT_EQ(f.dst, kBroadcastMac);
  EXPECT_EQ(f.src_port, kDhcpClientPort);
  EXPECT_EQ(f.dst_port, kDhcpServerPort);
  const uint8_t* m = f.payload;
  Sent s;
  EXPECT_EQ(m[0], 1);
  EXPECT_EQ(load32(m + dhcp::kFixedBytes), dhcp::kMagicCookie);
  s.xid = load32(m + 4);
  s.secs = load16(m + 8);
  for (size_t i = dhcp::kFixedBytes + 4; i < f.payload_len && m[i] != 255;) {
    if (m[i] == 0) {
      ++i;
      continue;
    }
    if (m[i] == 53) s.type = m[i + 2];
    if (m[i] == 54) {
      s.has_server_id = true;
      s.server_id = load32(m + i + 2);
    }
    if (m[i] == 50) s.requested = load32(m + i + 2);
    i += 2 + m[i + 1];
  }
  return s;
}

// A server reply of `type` for `xid`, parsed as the stack would hand it to the client.
struct Reply {
  uint8_t frame[kMaxFrame];
  Frame parsed;
  Reply(uint8_t type, uint32_t xid, Ipv4 yiaddr = kOffered, uint32_t lease_s = 86400,
        Mac chaddr = kClient) {
    uint8_t m[300] = {};
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    store32(m + 4, xid);
    store32(m + 16, yiaddr);
    for (int i = 0; i < 6; ++i) m[28 + i] = chaddr.b[i];
    store32(m + dhcp::kFixedBytes, dhcp::kMagicCookie);
    size_t i = dhcp::kFixedBytes + 4;
    const uint8_t opts[] = {53, 1, type, 54, 4, 10, 0, 2, 2, 1, 4, 255, 255, 255, 0};
    for (uint8_t b : opts) m[i++] = b;
    m[i++] = 51;
    m[i++] = 4;
    store32(m + i, lease_s);
    i += 4;
    m[i++] = 255;
    const size_t n = build_udp(frame, kServerMac, kBroadcastMac, kServer, kBroadcastIp,
                               kDhcpServerPort, kDhcpClientPort, 1, m, sizeof m);
    EXPECT_EQ(parse_frame(frame, n, parsed), ParseError::kNone);
  }
};

TEST(DhcpClient, FourMessageExchange) {
  DhcpClient c;
  c.start(kClient, 7, 0);
  uint8_t out[kMaxFrame];
  size_t n = c.poll(0, out);
  ASSERT_GT(n, 0u);
  const Sent discover = decode(out, n);
  EXPECT_EQ(discover.type, dhcp::kDiscover);
  EXPECT_FALSE(discover.has_server_id);
  EXPECT_EQ(c.poll(1000, out), 0u) << "nothing is due before the retransmission timer";

  EXPECT_EQ(c.receive(Reply(dhcp::kOffer, discover.xid + 1).parsed, 10), DhcpInput::kIgnored);
  EXPECT_EQ(c.receive(Reply(dhcp::kOffer, discover.xid).parsed, 10), DhcpInput::kOffer);
  n = c.poll(10, out);
  ASSERT_GT(n, 0u);
  const Sent request = decode(out, n);
  EXPECT_EQ(request.type, dhcp::kRequest);
  EXPECT_EQ(request.xid, discover.xid);
  EXPECT_TRUE(request.has_server_id);
  EXPECT_EQ(request.server_id, kServer);
  EXPECT_EQ(request.requested, kOffered);

  EXPECT_EQ(c.receive(Reply(dhcp::kAck, request.xid).parsed, 20), DhcpInput::kAck);
  EXPECT_EQ(c.state(), DhcpState::kBound);
  EXPECT_EQ(c.lease().address, kOffered);
  EXPECT_EQ(c.lease().server, kServer);
  EXPECT_EQ(c.lease().mask, ipv4(255, 255, 255, 0));
  EXPECT_EQ(c.lease().lease_s, 86400u);
  EXPECT_EQ(c.bound_ns(), 20u);
  EXPECT_EQ(c.next_due_ns(), UINT64_MAX);
}

TEST(DhcpClient, RetransmitsWithRfc2131Backoff) {
  DhcpClient c;
  c.start(kClient, 11, 0);
  uint8_t out[kMaxFrame];
  ASSERT_GT(c.poll(0, out), 0u);
  uint64_t last = 0;
  const uint64_t bases[] = {4, 8, 16, 32, 64, 64, 64};
  for (uint64_t base : bases) {
    const uint64_t due = c.next_due_ns();
    const uint64_t interval = due - last;
    EXPECT_GE(interval, (base - 1) * kS) << base;
    EXPECT_LE(interval, (base + 1) * kS) << base;
    EXPECT_EQ(c.poll(due - 1, out), 0u);
    const size_t n = c.poll(due, out);
    ASSERT_GT(n, 0u);
    const Sent again = decode(out, n);
    EXPECT_EQ(again.type, dhcp::kDiscover);
    EXPECT_EQ(again.xid, c.xid()) << "a retransmission keeps its xid";
    EXPECT_EQ(again.secs, due / kS);
    last = due;
  }
}

TEST(DhcpClient, UnansweredRequestsStartOverWithANewXid) {
  DhcpClient c;
  DhcpTiming timing;
  timing.request_attempts = 2;
  timing.jitter_ns = 0;
  c.start(kClient, 3, 0, timing);
  uint8_t out[kMaxFrame];
  c.poll(0, out);
  const uint32_t first_xid = c.xid();
  ASSERT_EQ(c.receive(Reply(dhcp::kOffer, first_xid).parsed, 1), DhcpInput::kOffer);
  ASSERT_GT(c.poll(1, out), 0u);
  ASSERT_GT(c.poll(1 + 4 * kS, out), 0u);
  EXPECT_EQ(decode(out, c.poll(1 + 12 * kS, out)).type, dhcp::kDiscover);
  EXPECT_NE(c.xid(), first_xid);
  EXPECT_EQ(c.reason(), StringView("no_ack_after_the_last_request"));
}

TEST(DhcpClient, NakStartsOverAndBadRepliesAreNamed) {
  DhcpClient c;
  c.start(kClient, 5, 0);
  uint8_t out[kMaxFrame];
  c.poll(0, out);
  const uint32_t xid = c.xid();
  EXPECT_EQ(c.receive(Reply(dhcp::kOffer, xid, 0).parsed, 1), DhcpInput::kMalformed);
  EXPECT_EQ(c.reason(), StringView("offer_without_yiaddr"));
  EXPECT_EQ(c.receive(Reply(dhcp::kOffer, xid, kOffered, 86400, kServerMac).parsed, 1),
            DhcpInput::kIgnored);
  ASSERT_EQ(c.receive(Reply(dhcp::kOffer, xid).parsed, 1), DhcpInput::kOffer);
  c.poll(1, out);
  EXPECT_EQ(c.receive(Reply(dhcp::kAck, xid, ipv4(10, 0, 2, 16)).parsed, 2), DhcpInput::kMalformed);
  EXPECT_EQ(c.receive(Reply(dhcp::kAck, xid, kOffered, 0).parsed, 2), DhcpInput::kMalformed);
  EXPECT_EQ(c.reason(), StringView("ack_without_lease_time"));
  EXPECT_EQ(c.receive(Reply(dhcp::kNak, xid).parsed, 2), DhcpInput::kNak);
  EXPECT_EQ(c.state(), DhcpState::kInit);
  EXPECT_EQ(decode(out, c.poll(2, out)).type, dhcp::kDiscover);
}

TEST(DhcpClient, PlantedBugsChangeWhatIsSent) {
  DhcpClient c;
  c.start(kClient, 9, 0, {}, DhcpBugs{.wrong_xid = true, .no_server_id = true});
  uint8_t out[kMaxFrame];
  c.poll(0, out);
  const uint32_t xid = c.xid();
  ASSERT_EQ(c.receive(Reply(dhcp::kOffer, xid).parsed, 1), DhcpInput::kOffer);
  const Sent request = decode(out, c.poll(1, out));
  EXPECT_EQ(request.xid, xid + 1);
  EXPECT_FALSE(request.has_server_id);
  EXPECT_EQ(c.receive(Reply(dhcp::kAck, xid + 1).parsed, 2), DhcpInput::kAck);
}

}  // namespace
}  // namespace rayos::net

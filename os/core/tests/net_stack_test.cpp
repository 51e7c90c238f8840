#include "os/core/net_stack.h"

#include <gtest/gtest.h>

#include <vector>

namespace rayos::net {
namespace {

const Mac kUs{{0x52, 0x54, 0x00, 0, 0, 1}};
const Mac kPeer{{0x52, 0x54, 0x00, 0, 0, 2}};
const Ipv4 kUsIp = ipv4(10, 0, 3, 1);
const Ipv4 kPeerIp = ipv4(10, 0, 3, 2);

struct Wire {
  std::vector<std::vector<uint8_t>> sent;
  bool accept = true;
  static bool transmit(void* self, const uint8_t* frame, size_t len) {
    auto* w = static_cast<Wire*>(self);
    if (!w->accept) return false;
    w->sent.emplace_back(frame, frame + len);
    return true;
  }
};

class NetStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack.init(kUs, Wire::transmit, &wire);
    stack.set_address(kUsIp);
  }
  NetStack::Rx deliver(const uint8_t* frame, size_t len) {
    ParseError error;
    return stack.receive(frame, len, parsed, error);
  }
  Wire wire;
  NetStack stack;
  Frame parsed;
};

TEST_F(NetStackTest, AnswersArpForItsAddressOnlyAndLearnsTheAsker) {
  uint8_t frame[kMaxFrame];
  size_t n = build_arp(frame, kArpRequest, kPeer, kPeerIp, kBroadcastMac, ipv4(10, 0, 3, 9));
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kIgnored);
  EXPECT_TRUE(wire.sent.empty());
  n = build_arp(frame, kArpRequest, kPeer, kPeerIp, kBroadcastMac, kUsIp);
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kHandled);
  ASSERT_EQ(wire.sent.size(), 1u);
  Frame reply;
  ASSERT_EQ(parse_frame(wire.sent[0].data(), wire.sent[0].size(), reply), ParseError::kNone);
  EXPECT_EQ(reply.arp_op, kArpReply);
  EXPECT_EQ(reply.dst, kPeer);
  EXPECT_EQ(reply.arp_sender_mac, kUs);
  EXPECT_EQ(reply.arp_sender_ip, kUsIp);
  EXPECT_EQ(reply.arp_target_ip, kPeerIp);
  Mac learnt;
  ASSERT_TRUE(stack.lookup(kPeerIp, learnt));
  EXPECT_EQ(learnt, kPeer);
  EXPECT_EQ(stack.counters().arp_replies, 1u);
}

TEST_F(NetStackTest, UdpNeedsTheArpEntryFirst) {
  const uint8_t payload[] = {1, 2, 3};
  EXPECT_FALSE(stack.send_udp(kPeerIp, 5000, 7, payload, 3));
  uint8_t frame[kMaxFrame];
  const size_t n = build_arp(frame, kArpReply, kPeer, kPeerIp, kUs, kUsIp);
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kHandled);
  EXPECT_TRUE(stack.send_udp(kPeerIp, 5000, 7, payload, 3));
  ASSERT_EQ(wire.sent.size(), 1u);
  Frame f;
  ASSERT_EQ(parse_frame(wire.sent[0].data(), wire.sent[0].size(), f), ParseError::kNone);
  EXPECT_EQ(f.dst, kPeer);
  EXPECT_EQ(f.dst_port, 7);
  EXPECT_EQ(stack.counters().sent, 1u);
}

TEST_F(NetStackTest, AnswersPingWithTheSameData) {
  uint8_t icmp[12] = {kIcmpEchoRequest, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'};
  store16(icmp + 2, checksum_fold(checksum_add(0, icmp, sizeof icmp)));
  uint8_t frame[kMaxFrame];
  const size_t n = build_ipv4(frame, kPeer, kUs, kPeerIp, kUsIp, kProtoIcmp, 7, icmp, sizeof icmp);
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kHandled);
  ASSERT_EQ(wire.sent.size(), 1u);
  Frame reply;
  ASSERT_EQ(parse_frame(wire.sent[0].data(), wire.sent[0].size(), reply), ParseError::kNone);
  EXPECT_EQ(reply.icmp_type, kIcmpEchoReply);
  EXPECT_EQ(reply.ip_dst, kPeerIp);
  ASSERT_EQ(reply.payload_len, 8u);
  EXPECT_EQ(reply.payload[4], 'p');
  EXPECT_EQ(stack.counters().echo_replies, 1u);
}

TEST_F(NetStackTest, CountsBadFramesAndHandsUpUdp) {
  uint8_t frame[kMaxFrame];
  const uint8_t payload[] = {42};
  const size_t n = build_udp(frame, kPeer, kUs, kPeerIp, kUsIp, 7, 5000, 1, payload, 1);
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kUdp);
  EXPECT_EQ(parsed.payload[0], 42);
  frame[n - 1] ^= 1;
  EXPECT_EQ(deliver(frame, n), NetStack::Rx::kBad);
  EXPECT_EQ(stack.counters().received, 2u);
  EXPECT_EQ(stack.counters().dropped, 1u);
}

TEST_F(NetStackTest, ARefusedTransmitIsNotCounted) {
  wire.accept = false;
  EXPECT_FALSE(stack.send_arp_request(kPeerIp));
  EXPECT_EQ(stack.counters().sent, 0u);
}

}  // namespace
}  // namespace rayos::net

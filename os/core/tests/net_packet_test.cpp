#include "os/core/net_packet.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rayos::net {
namespace {

const Mac kA{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
const Mac kB{{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}};

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 §3: these bytes sum to ddf2 (one's complement), checksum 220d.
  const uint8_t bytes[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_fold(checksum_add(0, bytes, sizeof bytes)), 0x220d);
}

TEST(Checksum, OddLengthPadsWithZero) {
  const uint8_t odd[] = {0x12, 0x34, 0x56};
  const uint8_t even[] = {0x12, 0x34, 0x56, 0x00};
  EXPECT_EQ(checksum_add(0, odd, 3), checksum_add(0, even, 4));
}

TEST(NetPacket, UdpRoundTrip) {
  uint8_t frame[kMaxFrame];
  const uint8_t payload[] = {'e', 'c', 'h', 'o', 0, 1, 2};
  const size_t n = build_udp(frame, kA, kB, ipv4(10, 0, 3, 1), ipv4(10, 0, 3, 2), 4000, 7, 99,
                             payload, sizeof payload);
  ASSERT_EQ(n, kEthHeader + kIpHeader + kUdpHeader + sizeof payload);
  Frame f;
  ASSERT_EQ(parse_frame(frame, n, f), ParseError::kNone);
  EXPECT_EQ(f.src, kA);
  EXPECT_EQ(f.dst, kB);
  EXPECT_EQ(f.ip_src, ipv4(10, 0, 3, 1));
  EXPECT_EQ(f.ip_dst, ipv4(10, 0, 3, 2));
  EXPECT_EQ(f.src_port, 4000);
  EXPECT_EQ(f.dst_port, 7);
  EXPECT_EQ(f.ip_id, 99);
  ASSERT_EQ(f.payload_len, sizeof payload);
  EXPECT_EQ(std::vector<uint8_t>(f.payload, f.payload + f.payload_len),
            std::vector<uint8_t>(payload, payload + sizeof payload));
  // Ethernet pads short frames to 60 bytes; the IPv4 length still bounds the datagram.
  uint8_t padded[kMaxFrame] = {};
  std::copy(frame, frame + n, padded);
  ASSERT_EQ(parse_frame(padded, 60, f), ParseError::kNone);
  EXPECT_EQ(f.payload_len, sizeof payload);
}

TEST(NetPacket, EveryFlippedBitOfTheHeadersIsCaughtOrHarmless) {
  uint8_t frame[kMaxFrame];
  const uint8_t payload[] = {1, 2, 3, 4};
  const size_t n = build_udp(frame, kA, kB, ipv4(10, 0, 3, 1), ipv4(10, 0, 3, 2), 1, 2, 3, payload,
                             sizeof payload);
  // A flipped bit in the IP header, UDP header or payload must fail a check (the MACs and the
  // ethertype are not covered by any checksum on the wire: virtio-net carries no FCS).
  for (size_t byte = kEthHeader; byte < n; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      uint8_t copy[kMaxFrame];
      std::copy(frame, frame + n, copy);
      copy[byte] ^= static_cast<uint8_t>(1 << bit);
      Frame f;
      EXPECT_NE(parse_frame(copy, n, f), ParseError::kNone) << "byte " << byte << " bit " << bit;
    }
  }
}

TEST(NetPacket, ArpRequestIsBroadcast) {
  uint8_t frame[kMaxFrame];
  const size_t n = build_arp(frame, kArpRequest, kA, ipv4(10, 0, 3, 1), kB, ipv4(10, 0, 3, 2));
  ASSERT_EQ(n, 42u);
  Frame f;
  ASSERT_EQ(parse_frame(frame, n, f), ParseError::kNone);
  EXPECT_EQ(f.dst, kBroadcastMac);
  EXPECT_EQ(f.arp_op, kArpRequest);
  EXPECT_EQ(f.arp_sender_mac, kA);
  EXPECT_EQ(f.arp_sender_ip, ipv4(10, 0, 3, 1));
  EXPECT_EQ(f.arp_target_ip, ipv4(10, 0, 3, 2));
}

TEST(NetPacket, RejectsWhatIsCut) {
  uint8_t frame[kMaxFrame];
  const uint8_t payload[] = {9};
  const size_t n = build_udp(frame, kA, kB, 1, 2, 3, 4, 5, payload, 1);
  for (size_t len = 0; len < n; ++len) {
    Frame f;
    EXPECT_NE(parse_frame(frame, len, f), ParseError::kNone) << len;
  }
}

TEST(NetPacket, FragmentsAndOtherProtocolsAreNamed) {
  uint8_t frame[kMaxFrame];
  const uint8_t payload[] = {0, 0, 0, 0};
  size_t n = build_ipv4(frame, kA, kB, 1, 2, 6 /* TCP */, 1, payload, 4);
  Frame f;
  EXPECT_EQ(parse_frame(frame, n, f), ParseError::kUnknownProtocol);
  n = build_ipv4(frame, kA, kB, 1, 2, kProtoUdp, 1, payload, 4);
  frame[kEthHeader + 6] |= 0x20;  // more fragments
  frame[kEthHeader + 10] = frame[kEthHeader + 11] = 0;
  store16(frame + kEthHeader + 10, checksum_fold(checksum_add(0, frame + kEthHeader, 20)));
  EXPECT_EQ(parse_frame(frame, n, f), ParseError::kFragment);
  EXPECT_EQ(parse_error_name(ParseError::kFragment), StringView("fragment"));
}

}  // namespace
}  // namespace rayos::net

namespace rayos::net {
namespace {

TEST(NetPacket, TextForms) {
  char text[24];
  EXPECT_EQ(std::string(text, format_ipv4(ipv4(10, 0, 2, 15), text)), "10.0.2.15");
  EXPECT_EQ(std::string(text, format_ipv4(kBroadcastIp, text)), "255.255.255.255");
  EXPECT_EQ(std::string(text, format_mac(kA, text)), "52-54-00-12-34-56");
}

}  // namespace
}  // namespace rayos::net

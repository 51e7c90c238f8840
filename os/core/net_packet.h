#pragma once
// Ethernet II, ARP (RFC 826), IPv4 (RFC 791), UDP (RFC 768) and ICMP echo (RFC 792) frames:
// builders that write a whole frame into a caller's buffer, and one parser that checks every
// length and checksum before it hands out a field. Portable, so the host tests (and the fuzz
// target) run the same code the guest runs on the bytes of a real NIC.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::net {

struct Mac {
  uint8_t b[6];
  bool operator==(const Mac& o) const {
    for (int i = 0; i < 6; ++i)
      if (b[i] != o.b[i]) return false;
    return true;
  }
  bool operator!=(const Mac& o) const { return !(*this == o); }
};
inline constexpr Mac kBroadcastMac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

// IPv4 addresses in host byte order (10.0.2.15 is 0x0a00020f).
using Ipv4 = uint32_t;
inline constexpr Ipv4 kBroadcastIp = 0xffffffff;
constexpr Ipv4 ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

inline constexpr size_t kEthHeader = 14;
inline constexpr size_t kIpHeader = 20;  // without options (what we send)
inline constexpr size_t kUdpHeader = 8;
inline constexpr size_t kMaxFrame = 1514;  // without the FCS, which virtio-net never carries
inline constexpr size_t kMaxUdpPayload = kMaxFrame - kEthHeader - kIpHeader - kUdpHeader;
inline constexpr uint16_t kEtherIpv4 = 0x0800;
inline constexpr uint16_t kEtherArp = 0x0806;
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;
inline constexpr uint8_t kIcmpEchoReply = 0;
inline constexpr uint8_t kIcmpEchoRequest = 8;

// Network byte order.
inline uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t load32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

// Text forms for markers: "10.0.2.15" (at most 15 characters) and "52-54-00-12-34-56" (17;
// dashes, because a colon separates marker fields). Return the length written.
size_t format_ipv4(Ipv4 ip, char* out);
size_t format_mac(const Mac& mac, char* out);

// The Internet checksum (RFC 1071) of `len` bytes, continuing the 32-bit partial sum `sum`.
uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len);
uint16_t checksum_fold(uint32_t sum);

// Builders: `out` holds at least kMaxFrame bytes; each returns the frame's length (0 when the
// payload does not fit).
size_t build_arp(uint8_t* out, uint16_t op, const Mac& src_mac, Ipv4 src_ip, const Mac& dst_mac,
                 Ipv4 dst_ip);
// An IPv4 packet of `protocol` with `payload` (already carrying its own header), TTL 64, DF.
size_t build_ipv4(uint8_t* out, const Mac& src_mac, const Mac& dst_mac, Ipv4 src, Ipv4 dst,
                  uint8_t protocol, uint16_t id, const uint8_t* payload, size_t len);
// A UDP datagram with its checksum (over the pseudo-header) in an IPv4 packet.
size_t build_udp(uint8_t* out, const Mac& src_mac, const Mac& dst_mac, Ipv4 src, Ipv4 dst,
                 uint16_t src_port, uint16_t dst_port, uint16_t id, const uint8_t* payload,
                 size_t len);

enum class ParseError : uint8_t {
  kNone,
  kTooShort,          // shorter than its headers say
  kUnknownEthertype,  // neither IPv4 nor ARP (counted, not an error of the sender)
  kBadArp,            // not Ethernet/IPv4 ARP
  kBadIpHeader,       // version, IHL or total length wrong
  kBadIpChecksum,
  kFragment,  // a fragment: we neither send nor reassemble them
  kUnknownProtocol,
  kBadUdpLength,
  kBadUdpChecksum,
  kBadIcmpChecksum,
};
StringView parse_error_name(ParseError error);

struct Frame {
  Mac dst, src;
  uint16_t ethertype;
  // ARP
  uint16_t arp_op;
  Mac arp_sender_mac;
  Ipv4 arp_sender_ip;
  Ipv4 arp_target_ip;
  // IPv4
  Ipv4 ip_src, ip_dst;
  uint8_t protocol;
  uint16_t ip_id;
  const uint8_t* l4;  // the IPv4 payload (UDP or ICMP header first)
  size_t l4_len;
  // UDP
  uint16_t src_port, dst_port;
  // ICMP
  uint8_t icmp_type;
  // UDP payload, or ICMP data after the 4-byte type/code/checksum
  const uint8_t* payload;
  size_t payload_len;
};

// Parses and checks a whole frame (trailing Ethernet padding allowed).
ParseError parse_frame(const uint8_t* data, size_t len, Frame& out);

}  // namespace rayos::net

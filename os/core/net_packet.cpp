#include "os/core/net_packet.h"

#include "os/core/format.h"

namespace rayos::net {
namespace {

void put_mac(uint8_t* p, const Mac& mac) {
  for (int i = 0; i < 6; ++i) p[i] = mac.b[i];
}
Mac get_mac(const uint8_t* p) {
  Mac m;
  for (int i = 0; i < 6; ++i) m.b[i] = p[i];
  return m;
}
void copy(uint8_t* to, const uint8_t* from, size_t len) {
  for (size_t i = 0; i < len; ++i) to[i] = from[i];
}
size_t eth_header(uint8_t* out, const Mac& src, const Mac& dst, uint16_t type) {
  put_mac(out, dst);
  put_mac(out + 6, src);
  store16(out + 12, type);
  return kEthHeader;
}
uint32_t pseudo_header_sum(Ipv4 src, Ipv4 dst, uint8_t protocol, size_t len) {
  uint8_t pseudo[12];
  store32(pseudo, src);
  store32(pseudo + 4, dst);
  pseudo[8] = 0;
  pseudo[9] = protocol;
  store16(pseudo + 10, static_cast<uint16_t>(len));
  return checksum_add(0, pseudo, sizeof pseudo);
}

}  // namespace

size_t format_ipv4(Ipv4 ip, char* out) {
  size_t n = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    n += format_u64((ip >> shift) & 0xff, out + n);
    if (shift) out[n++] = '.';
  }
  return n;
}

size_t format_mac(const Mac& mac, char* out) {
  constexpr char kHex[] = "0123456789abcdef";
  size_t n = 0;
  for (int i = 0; i < 6; ++i) {
    if (i) out[n++] = '-';
    out[n++] = kHex[mac.b[i] >> 4];
    out[n++] = kHex[mac.b[i] & 15];
  }
  return n;
}

uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len) {
  size_t i = 0;
  for (; i + 1 < len; i += 2) sum += load16(data + i);
  if (i < len) sum += uint32_t{data[i]} << 8;
  // Fold early so that long buffers cannot overflow the 32-bit sum.
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

uint16_t checksum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

size_t build_arp(uint8_t* out, uint16_t op, const Mac& src_mac, Ipv4 src_ip, const Mac& dst_mac,
                 Ipv4 dst_ip) {
  size_t n = eth_header(out, src_mac, op == kArpRequest ? kBroadcastMac : dst_mac, kEtherArp);
  uint8_t* a = out + n;
  store16(a, 1);  // Ethernet
  store16(a + 2, kEtherIpv4);
  a[4] = 6;
  a[5] = 4;
  store16(a + 6, op);
  put_mac(a + 8, src_mac);
  store32(a + 14, src_ip);
  put_mac(a + 18, op == kArpRequest ? Mac{} : dst_mac);
  store32(a + 24, dst_ip);
  return n + 28;
}

size_t build_ipv4(uint8_t* out, const Mac& src_mac, const Mac& dst_mac, Ipv4 src, Ipv4 dst,
                  uint8_t protocol, uint16_t id, const uint8_t* payload, size_t len) {
  if (len > kMaxFrame - kEthHeader - kIpHeader) return 0;
  size_t n = eth_header(out, src_mac, dst_mac, kEtherIpv4);
  uint8_t* ip = out + n;
  ip[0] = 0x45;
  ip[1] = 0;
  store16(ip + 2, static_cast<uint16_t>(kIpHeader + len));
  store16(ip + 4, id);
  store16(ip + 6, 0x4000);  // don't fragment
  ip[8] = 64;
  ip[9] = protocol;
  store16(ip + 10, 0);
  store32(ip + 12, src);
  store32(ip + 16, dst);
  store16(ip + 10, checksum_fold(checksum_add(0, ip, kIpHeader)));
  copy(ip + kIpHeader, payload, len);
  return n + kIpHeader + len;
}

size_t build_udp(uint8_t* out, const Mac& src_mac, const Mac& dst_mac, Ipv4 src, Ipv4 dst,
                 uint16_t src_port, uint16_t dst_port, uint16_t id, const uint8_t* payload,
                 size_t len) {
  if (len > kMaxUdpPayload) return 0;
  // Built in place behind the IPv4 header, then the IPv4 header in front of it.
  uint8_t* udp = out + kEthHeader + kIpHeader;
  const size_t udp_len = kUdpHeader + len;
  store16(udp, src_port);
  store16(udp + 2, dst_port);
  store16(udp + 4, static_cast<uint16_t>(udp_len));
  store16(udp + 6, 0);
  for (size_t i = len; i-- > 0;) udp[kUdpHeader + i] = payload[i];  // payload may alias `out`
  uint16_t sum =
      checksum_fold(checksum_add(pseudo_header_sum(src, dst, kProtoUdp, udp_len), udp, udp_len));
  store16(udp + 6, sum == 0 ? 0xffff : sum);  // 0 would mean "no checksum"
  return build_ipv4(out, src_mac, dst_mac, src, dst, kProtoUdp, id, udp, udp_len);
}

StringView parse_error_name(ParseError error) {
  switch (error) {
    case ParseError::kNone:
      return "none";
    case ParseError::kTooShort:
      return "too_short";
    case ParseError::kUnknownEthertype:
      return "unknown_ethertype";
    case ParseError::kBadArp:
      return "bad_arp";
    case ParseError::kBadIpHeader:
      return "bad_ip_header";
    case ParseError::kBadIpChecksum:
      return "bad_ip_checksum";
    case ParseError::kFragment:
      return "fragment";
    case ParseError::kUnknownProtocol:
      return "unknown_protocol";
    case ParseError::kBadUdpLength:
      return "bad_udp_length";
    case ParseError::kBadUdpChecksum:
      return "bad_udp_checksum";
    case ParseError::kBadIcmpChecksum:
      return "bad_icmp_checksum";
  }
  return "unknown";
}

namespace {

ParseError parse_arp(const uint8_t* a, size_t len, Frame& out) {
  if (len < 28) return ParseError::kTooShort;
  if (load16(a) != 1 || load16(a + 2) != kEtherIpv4 || a[4] != 6 || a[5] != 4)
    return ParseError::kBadArp;
  out.arp_op = load16(a + 6);
  out.arp_sender_mac = get_mac(a + 8);
  out.arp_sender_ip = load32(a + 14);
  out.arp_target_ip = load32(a + 24);
  return ParseError::kNone;
}

ParseError parse_l4(Frame& out) {
  const uint8_t* l4 = out.l4;
  if (out.protocol == kProtoUdp) {
    if (out.l4_len < kUdpHeader) return ParseError::kTooShort;
    const size_t udp_len = load16(l4 + 4);
    if (udp_len < kUdpHeader || udp_len > out.l4_len) return ParseError::kBadUdpLength;
    if (load16(l4 + 6) != 0 &&
        checksum_fold(checksum_add(pseudo_header_sum(out.ip_src, out.ip_dst, kProtoUdp, udp_len),
                                   l4, udp_len)) != 0)
      return ParseError::kBadUdpChecksum;
    out.src_port = load16(l4);
    out.dst_port = load16(l4 + 2);
    out.payload = l4 + kUdpHeader;
    out.payload_len = udp_len - kUdpHeader;
    return ParseError::kNone;
  }
  if (out.protocol == kProtoIcmp) {
    if (out.l4_len < 4) return ParseError::kTooShort;
    if (checksum_fold(checksum_add(0, l4, out.l4_len)) != 0) return ParseError::kBadIcmpChecksum;
    out.icmp_type = l4[0];
    out.payload = l4 + 4;
    out.payload_len = out.l4_len - 4;
    return ParseError::kNone;
  }
  return ParseError::kUnknownProtocol;
}

}  // namespace

ParseError parse_frame(const uint8_t* data, size_t len, Frame& out) {
  out = Frame{};
  if (len < kEthHeader) return ParseError::kTooShort;
  out.dst = get_mac(data);
  out.src = get_mac(data + 6);
  out.ethertype = load16(data + 12);
  const uint8_t* p = data + kEthHeader;
  const size_t rest = len - kEthHeader;
  if (out.ethertype == kEtherArp) return parse_arp(p, rest, out);
  if (out.ethertype != kEtherIpv4) return ParseError::kUnknownEthertype;
  if (rest < kIpHeader) return ParseError::kTooShort;
  const size_t ihl = size_t{p[0] & 0x0fu} * 4;
  const size_t total = load16(p + 2);
  if ((p[0] >> 4) != 4 || ihl < kIpHeader || total < ihl) return ParseError::kBadIpHeader;
  if (total > rest) return ParseError::kTooShort;
  if (checksum_fold(checksum_add(0, p, ihl)) != 0) return ParseError::kBadIpChecksum;
  // More fragments, or a fragment offset: a piece of a bigger datagram.
  if ((load16(p + 6) & 0x3fff) != 0) return ParseError::kFragment;
  out.ip_id = load16(p + 4);
  out.protocol = p[9];
  out.ip_src = load32(p + 12);
  out.ip_dst = load32(p + 16);
  out.l4 = p + ihl;
  out.l4_len = total - ihl;
  return parse_l4(out);
}

}  // namespace rayos::net

#include "os/core/net_stack.h"

namespace rayos::net {

void NetStack::init(const Mac& mac, Transmit transmit, void* context) {
  *this = NetStack{};
  mac_ = mac;
  transmit_ = transmit;
  context_ = context;
}

bool NetStack::send_frame(const uint8_t* frame, size_t len) {
  if (len == 0 || !transmit_(context_, frame, len)) return false;
  ++counters_.sent;
  return true;
}

void NetStack::learn(Ipv4 ip, const Mac& mac) {
  if (ip == 0) return;
  for (ArpEntry& e : arp_) {
    if (e.ip == ip) {
      e.mac = mac;
      return;
    }
  }
  arp_[arp_next_] = ArpEntry{ip, mac};
  arp_next_ = (arp_next_ + 1) % kArpEntries;
}

bool NetStack::lookup(Ipv4 ip, Mac& mac) const {
  if (ip == kBroadcastIp) {
    mac = kBroadcastMac;
    return true;
  }
  for (const ArpEntry& e : arp_) {
    if (e.ip == ip && ip != 0) {
      mac = e.mac;
      return true;
    }
  }
  return false;
}

bool NetStack::send_arp_request(Ipv4 target) {
  return send_frame(tx_, build_arp(tx_, kArpRequest, mac_, address_, kBroadcastMac, target));
}

bool NetStack::send_udp(Ipv4 dst, uint16_t src_port, uint16_t dst_port, const uint8_t* payload,
                        size_t len) {
  Mac dst_mac;
  if (!lookup(dst, dst_mac)) return false;
  return send_frame(tx_, build_udp(tx_, mac_, dst_mac, address_, dst, src_port, dst_port, ++ip_id_,
                                   payload, len));
}

NetStack::Rx NetStack::receive(const uint8_t* data, size_t len, Frame& frame, ParseError& error) {
  ++counters_.received;
  error = parse_frame(data, len, frame);
  if (error != ParseError::kNone) {
    ++counters_.dropped;
    return Rx::kBad;
  }
  if (frame.dst != mac_ && frame.dst != kBroadcastMac) return Rx::kIgnored;
  if (frame.ethertype == kEtherArp) {
    if (frame.arp_target_ip != address_ || address_ == 0) {
      return Rx::kIgnored;
    }
    learn(frame.arp_sender_ip, frame.arp_sender_mac);
    if (frame.arp_op == kArpRequest &&
        send_frame(tx_, build_arp(tx_, kArpReply, mac_, address_, frame.arp_sender_mac,
                                  frame.arp_sender_ip)))
      ++counters_.arp_replies;
    return Rx::kHandled;
  }
  const bool for_us = address_ != 0 && frame.ip_dst == address_;
  if (frame.protocol == kProtoUdp) {
    if (!for_us && frame.ip_dst != kBroadcastIp) return Rx::kIgnored;
    return Rx::kUdp;
  }
  if (!for_us) return Rx::kIgnored;
  if (frame.icmp_type == kIcmpEchoRequest) {
    // The reply is the request's ICMP message with type 0 and a new checksum.
    uint8_t icmp[kMaxFrame];
    const size_t n = frame.l4_len;
    for (size_t i = 0; i < n; ++i) icmp[i] = frame.l4[i];
    icmp[0] = kIcmpEchoReply;
    store16(icmp + 2, 0);
    store16(icmp + 2, checksum_fold(checksum_add(0, icmp, n)));
    learn(frame.ip_src, frame.src);
    if (send_frame(tx_, build_ipv4(tx_, mac_, frame.src, address_, frame.ip_src, kProtoIcmp,
                                   ++ip_id_, icmp, n)))
      ++counters_.echo_replies;
    return Rx::kHandled;
  }
  return Rx::kIgnored;
}

}  // namespace rayos::net

#pragma once
// The host side of one interface above the frames: its address, an ARP cache that answers
// requests for our address and learns from replies, ICMP echo replies, and the UDP datagrams
// addressed to us handed up to the caller. Portable: frames go out through a callback, so the
// host tests play the wire.
#include <stddef.h>
#include <stdint.h>

#include "os/core/net_packet.h"

namespace rayos::net {

struct NetCounters {
  uint64_t sent;
  uint64_t received;
  uint64_t dropped;  // frames that failed parse_frame(), or arrived with nowhere to go
  uint64_t arp_replies;
  uint64_t echo_replies;
};

class NetStack {
 public:
  using Transmit = bool (*)(void* context, const uint8_t* frame, size_t len);
  static constexpr size_t kArpEntries = 16;

  void init(const Mac& mac, Transmit transmit, void* context);
  void set_address(Ipv4 address) { address_ = address; }
  Ipv4 address() const { return address_; }
  const Mac& mac() const { return mac_; }

  enum class Rx : uint8_t {
    kHandled,  // ARP or ICMP, answered or learnt
    kUdp,      // a UDP datagram for us (or broadcast): `frame` holds it
    kIgnored,  // well-formed but not for us
    kBad,      // failed parse_frame(): `error` says why
  };
  Rx receive(const uint8_t* data, size_t len, Frame& frame, ParseError& error);

  // Sends a frame someone else built (a DHCP message); false when the device refused it.
  bool send_frame(const uint8_t* frame, size_t len);
  bool send_arp_request(Ipv4 target);
  bool send_udp(Ipv4 dst, uint16_t src_port, uint16_t dst_port, const uint8_t* payload, size_t len);
  // The MAC of `ip` when the cache has it.
  bool lookup(Ipv4 ip, Mac& mac) const;

  const NetCounters& counters() const { return counters_; }

 private:
  void learn(Ipv4 ip, const Mac& mac);

  struct ArpEntry {
    Ipv4 ip;
    Mac mac;
  };
  Mac mac_{};
  Ipv4 address_ = 0;
  Transmit transmit_ = nullptr;
  void* context_ = nullptr;
  ArpEntry arp_[kArpEntries] = {};
  size_t arp_next_ = 0;  // the slot the next new entry replaces
  uint16_t ip_id_ = 0;
  NetCounters counters_{};
  uint8_t tx_[kMaxFrame] = {};
};

}  // namespace rayos::net

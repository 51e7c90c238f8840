#include "net/dhcp_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace osh::net {
namespace {

constexpr size_t kEth = 14;
constexpr size_t kBootpFixed = 236;
constexpr uint32_t kMagicCookie = 0x63825363;
constexpr uint8_t kDiscover = 1, kOffer = 2, kRequest = 3, kAck = 5, kNak = 6;

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

uint16_t ones_complement(const uint8_t* p, size_t n, uint32_t sum) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += be16(p + i);
  if (n % 2) sum += uint32_t{p[n - 1]} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::string ip_text(uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}
std::string hex(uint32_t v) { return fmt::format("{:#010x}", v); }

std::string message_name(int type) {
  static const char* const kNames[] = {"none", "DISCOVER", "OFFER",   "REQUEST", "DECLINE",
                                       "ACK",  "NAK",      "RELEASE", "INFORM"};
  return type >= 0 && type <= 8 ? kNames[type] : "type " + std::to_string(type);
}

// One DHCP message as it was on the wire.
struct Message {
  const Packet* packet = nullptr;
  bool from_client = false;  // source port 68
  uint8_t op = 0, htype = 0, hlen = 0;
  uint32_t xid = 0, ciaddr = 0, yiaddr = 0;
  uint8_t chaddr[6] = {};
  uint8_t src_mac[6] = {};
  bool cookie = false, options_end = false;
  int type = 0;  // option 53, 0 when absent
  std::optional<uint32_t> server_id, requested, lease_s;
  bool checksums_ok = false;
};

// Parses the layers below BOOTP; nullopt when the packet is not a whole IPv4/UDP datagram.
std::optional<Message> parse(const Packet& p, std::string& why) {
  const auto& b = p.bytes;
  if (b.size() < kEth + 20 || be16(&b[12]) != 0x0800) {
    why = "not an IPv4 frame";
    return std::nullopt;
  }
  const uint8_t* ip = &b[kEth];
  const size_t ihl = size_t{ip[0] & 0x0fu} * 4;
  const size_t total = be16(ip + 2);
  if ((ip[0] >> 4) != 4 || ihl < 20 || total < ihl + 8 || kEth + total > b.size() || ip[9] != 17) {
    why = "not a whole IPv4/UDP datagram (IPv4 total length " + std::to_string(total) + ", " +
          std::to_string(b.size()) + " bytes captured)";
    return std::nullopt;
  }
  const uint8_t* udp = ip + ihl;
  const size_t udp_len = be16(udp + 4);
  if (udp_len < 8 || udp_len > total - ihl) {
    why = "UDP length " + std::to_string(udp_len) + " does not fit the datagram";
    return std::nullopt;
  }
  Message m;
  m.packet = &p;
  m.from_client = be16(udp) == 68;
  for (int i = 0; i < 6; ++i) m.src_mac[i] = b[6 + i];
  const bool ip_ok = ones_complement(ip, ihl, 0) == 0;
  uint32_t pseudo = (be32(ip + 12) >> 16) + (be32(ip + 12) & 0xffff) + (be32(ip + 16) >> 16) +
                    (be32(ip + 16) & 0xffff) + 17 + static_cast<uint32_t>(udp_len);
  const bool udp_ok = be16(udp + 6) == 0 || ones_complement(udp, udp_len, pseudo) == 0;
  m.checksums_ok = ip_ok && udp_ok;
  const uint8_t* d = udp + 8;
  const size_t len = udp_len - 8;
  if (len < kBootpFixed) {
    why = "a BOOTP message of " + std::to_string(len) + " bytes, shorter than its fixed 236";
    return std::nullopt;
  }
  m.op = d[0];
  m.htype = d[1];
  m.hlen = d[2];
  m.xid = be32(d + 4);
  m.ciaddr = be32(d + 12);
  m.yiaddr = be32(d + 16);
  for (int i = 0; i < 6; ++i) m.chaddr[i] = d[28 + i];
  m.cookie = len >= kBootpFixed + 4 && be32(d + kBootpFixed) == kMagicCookie;
  if (!m.cookie) return m;
  for (size_t i = kBootpFixed + 4; i < len;) {
    const uint8_t code = d[i];
    if (code == 255) {
      m.options_end = true;
      break;
    }
    if (code == 0) {
      ++i;
      continue;
    }
    if (i + 2 > len || i + 2 + d[i + 1] > len) break;  // runs past the end: options_end false
    const uint8_t olen = d[i + 1];
    const uint8_t* v = d + i + 2;
    if (code == 53 && olen == 1) m.type = v[0];
    if (olen == 4 && code == 54) m.server_id = be32(v);
    if (olen == 4 && code == 50) m.requested = be32(v);
    if (olen == 4 && code == 51) m.lease_s = be32(v);
    i += 2 + size_t{olen};
  }
  return m;
}

class Checker {
 public:
  explicit Checker(const Capture& c) : c_(c), r_("dhcp") {}

  CheckResult run() {
    for (const Packet& p : c_.packets) {
      std::string why;
      auto m = parse(p, why);
      if (!r_.expect(m.has_value(), "udp-datagram", c_, &p, why)) continue;
      check_message(*m);
      messages_.push_back(*m);
    }
    r_.expect(!messages_.empty(), "dhcp-present", c_, nullptr,
              "no DHCP packet in " + std::to_string(c_.total) + " captured (filter \"" +
                  kDhcpFilter + "\")");
    if (!messages_.empty()) check_exchange();
    return std::move(r_);
  }

 private:
  void check_message(const Message& m) {
    const Packet* p = m.packet;
    r_.expect(m.checksums_ok, "checksums", c_, p, "bad IPv4 header or UDP checksum");
    r_.expect(m.op == (m.from_client ? 1 : 2), "op", c_, p,
              fmt::format("op {} from port {}; RFC 2131 §2: BOOTREQUEST (1) from clients, "
                          "BOOTREPLY (2) from servers",
                          m.op, m.from_client ? 68 : 67));
    r_.expect(m.htype == 1, "htype", c_, p, fmt::format("htype {}, not 1 (Ethernet)", m.htype));
    r_.expect(m.hlen == 6, "hlen", c_, p, fmt::format("hlen {}, not 6", m.hlen));
    if (!r_.expect(m.cookie, "magic-cookie", c_, p, "options do not start with 99.130.83.99"))
      return;
    r_.expect(m.options_end, "options-end", c_, p,
              "the options run past the end of the packet or have no END option");
    r_.expect(m.type >= 1 && m.type <= 8, "message-type", c_, p,
              m.type == 0 ? "no DHCP message type (option 53)"
                          : "unknown message type " + std::to_string(m.type));
    if (m.from_client) {
      r_.expect(std::equal(m.chaddr, m.chaddr + 6, m.src_mac), "chaddr", c_, p,
                "chaddr differs from the frame's source MAC");
    }
  }

  // The first message of `type` at or after position `from` (from the client or not).
  const Message* find(int type, size_t from, size_t& at) const {
    for (size_t i = from; i < messages_.size(); ++i) {
      if (messages_[i].type == type) {
        at = i;
        return &messages_[i];
      }
    }
    return nullptr;
  }

  void check_exchange() {
    nlohmann::json& s = r_.summary();
    s["messages"] = nlohmann::json::array();
    for (const Message& m : messages_)
      s["messages"].push_back({{"packet", m.packet->number},
                               {"type", message_name(m.type)},
                               {"xid", hex(m.xid)},
                               {"time_us", m.packet->time_us}});
    const Message& first = messages_.front();
    r_.expect(first.from_client && first.type == kDiscover, "discover-first", c_, first.packet,
              "the exchange starts with " + message_name(first.type) + ", not DISCOVER");
    size_t at_discover = 0, at_offer = 0, at_request = 0, at_ack = 0;
    const Message* discover = find(kDiscover, 0, at_discover);
    const Message* offer = discover ? find(kOffer, at_discover, at_offer) : nullptr;
    const Message* request = offer ? find(kRequest, at_offer, at_request) : nullptr;
    const Message* ack = request ? find(kAck, at_request, at_ack) : nullptr;
    size_t at_nak = 0;
    const Message* nak = request ? find(kNak, at_request, at_nak) : nullptr;
    const std::string order = std::string(discover ? "DISCOVER" : "no DISCOVER") +
                              (offer ? " OFFER" : ", no OFFER after it") +
                              (request ? " REQUEST"
                               : offer ? ", no REQUEST after it"
                                       : "") +
                              (ack       ? " ACK"
                               : request ? ", no ACK after it"
                                         : "");
    r_.expect(ack != nullptr, "order", c_, nullptr,
              "DISCOVER, OFFER, REQUEST, ACK in that order were not all captured: " + order +
                  (nak ? " (the server sent NAK)" : ""));
    if (discover) s["xid"] = hex(discover->xid);
    if (offer) {
      r_.expect(
          offer->xid == discover->xid, "offer-xid", c_, offer->packet,
          "OFFER xid " + hex(offer->xid) + " differs from the DISCOVER's " + hex(discover->xid));
      r_.expect(offer->yiaddr != 0 && offer->server_id.has_value(), "offer-fields", c_,
                offer->packet, "OFFER without yiaddr or server identifier (54)");
    }
    if (request) {
      r_.expect(request->xid == offer->xid, "request-xid", c_, request->packet,
                "REQUEST xid " + hex(request->xid) + " differs from the OFFER's " +
                    hex(offer->xid) + " (RFC 2131 §4.4.1: the client keeps the xid)");
      if (r_.expect(request->server_id.has_value(), "request-server-id", c_, request->packet,
                    "REQUEST without server identifier (option 54); RFC 2131 §4.3.2: a REQUEST "
                    "in SELECTING state MUST carry it")) {
        r_.expect(request->server_id == offer->server_id, "request-server-id-matches", c_,
                  request->packet,
                  "REQUEST names server " + ip_text(*request->server_id) +
                      ", the OFFER came from " + ip_text(offer->server_id.value_or(0)));
      }
      r_.expect(request->requested == offer->yiaddr, "requested-address", c_, request->packet,
                "REQUEST asks for " +
                    (request->requested ? ip_text(*request->requested) : "no address (option 50)") +
                    ", the OFFER gave " + ip_text(offer->yiaddr));
      r_.expect(request->ciaddr == 0, "request-ciaddr", c_, request->packet,
                "REQUEST in SELECTING state with ciaddr " + ip_text(request->ciaddr) + ", not 0");
    }
    if (ack) {
      r_.expect(ack->xid == request->xid, "ack-xid", c_, ack->packet,
                "ACK xid " + hex(ack->xid) + " differs from the REQUEST's " + hex(request->xid));
      r_.expect(ack->yiaddr == request->requested.value_or(offer->yiaddr), "ack-yiaddr", c_,
                ack->packet, "ACK gives " + ip_text(ack->yiaddr) + ", not the address requested");
      r_.expect(ack->lease_s.value_or(0) > 0, "ack-lease", c_, ack->packet,
                "ACK without a lease time (option 51) > 0");
      s["address"] = ip_text(ack->yiaddr);
      s["server"] = ip_text(ack->server_id.value_or(offer->server_id.value_or(0)));
      s["lease_s"] = ack->lease_s.value_or(0);
      s["exchange_ms"] =
          static_cast<double>(ack->packet->time_us - discover->packet->time_us) / 1000.0;
    }
    check_retransmissions();
  }

  // RFC 2131 §4.1: a client message sent again (same type and xid) waits 4 s before the first
  // retransmission, doubling up to 64 s, each randomised by +-1 s.
  void check_retransmissions() {
    int64_t base_s = 4;
    const Message* previous = nullptr;
    uint64_t retransmissions = 0;
    for (const Message& m : messages_) {
      if (!m.from_client) continue;
      if (previous && previous->type == m.type && previous->xid == m.xid) {
        ++retransmissions;
        const int64_t gap_us = m.packet->time_us - previous->packet->time_us;
        r_.expect(gap_us >= (base_s - 1) * 1'000'000 && gap_us <= (base_s + 1) * 1'000'000,
                  "retransmission-interval", c_, m.packet,
                  fmt::format("{} sent again after {:.3f} s; RFC 2131 §4.1 wants {} s +- 1 s",
                              message_name(m.type), static_cast<double>(gap_us) / 1e6, base_s));
        base_s = std::min<int64_t>(base_s * 2, 64);
      } else {
        base_s = 4;
      }
      previous = &m;
    }
    r_.summary()["retransmissions"] = retransmissions;
  }

  const Capture& c_;
  CheckResult r_;
  std::vector<Message> messages_;
};

}  // namespace

CheckResult check_dhcp(const Capture& capture) { return Checker(capture).run(); }

}  // namespace osh::net

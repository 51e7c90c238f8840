#include "os/core/dhcp_client.h"

#include "os/core/prng.h"

namespace rayos::net {

StringView dhcp::message_name(uint8_t type) {
  switch (type) {
    case kDiscover:
      return "DISCOVER";
    case kOffer:
      return "OFFER";
    case kRequest:
      return "REQUEST";
    case kDecline:
      return "DECLINE";
    case kAck:
      return "ACK";
    case kNak:
      return "NAK";
  }
  return "UNKNOWN";
}

StringView dhcp_state_name(DhcpState state) {
  switch (state) {
    case DhcpState::kInit:
      return "init";
    case DhcpState::kSelecting:
      return "selecting";
    case DhcpState::kRequesting:
      return "requesting";
    case DhcpState::kBound:
      return "bound";
  }
  return "unknown";
}

void DhcpClient::start(const Mac& mac, uint64_t seed, uint64_t now_ns, const DhcpTiming& timing,
                       const DhcpBugs& bugs) {
  mac_ = mac;
  rng_ = seed ^ 0xd4c9'0000'0000'0043ull;
  timing_ = timing;
  bugs_ = bugs;
  lease_ = DhcpLease{};
  started_ns_ = now_ns;
  restart(now_ns);
}

void DhcpClient::restart(uint64_t now_ns) {
  state_ = DhcpState::kInit;
  xid_ = static_cast<uint32_t>(splitmix64(rng_));
  due_ns_ = now_ns;
  backoff_ns_ = timing_.first_retry_ns;
  attempt_ = 0;
  offer_ = DhcpLease{};
}

uint64_t DhcpClient::timeout_ns() {
  // RFC 2131 §4.1: 4 s, doubling up to 64 s, each randomised by a uniform +-1 s.
  const uint64_t base = backoff_ns_;
  if (backoff_ns_ < timing_.max_retry_ns)
    backoff_ns_ = backoff_ns_ * 2 > timing_.max_retry_ns ? timing_.max_retry_ns : backoff_ns_ * 2;
  if (timing_.jitter_ns == 0 || base <= timing_.jitter_ns) return base;
  return base - timing_.jitter_ns + splitmix64(rng_) % (2 * timing_.jitter_ns + 1);
}

size_t DhcpClient::poll(uint64_t now_ns, uint8_t* out) {
  if (state_ == DhcpState::kBound || now_ns < due_ns_) return 0;
  if (state_ == DhcpState::kRequesting && attempt_ >= timing_.request_attempts) {
    reason_ = "no_ack_after_the_last_request";
    restart(now_ns);
  }
  if (state_ == DhcpState::kInit) state_ = DhcpState::kSelecting;
  const uint8_t type = state_ == DhcpState::kSelecting ? dhcp::kDiscover : dhcp::kRequest;
  ++attempt_;
  last_sent_ = type;
  due_ns_ = now_ns + timeout_ns();
  return build(type, now_ns, out);
}

namespace {

struct Writer {
  uint8_t* p;
  size_t n = 0;
  void u8(uint8_t v) { p[n++] = v; }
  void u16(uint16_t v) {
    store16(p + n, v);
    n += 2;
  }
  void u32(uint32_t v) {
    store32(p + n, v);
    n += 4;
  }
  void zeros(size_t count) {
    for (size_t i = 0; i < count; ++i) p[n++] = 0;
  }
  void option32(uint8_t code, uint32_t v) {
    u8(code);
    u8(4);
    u32(v);
  }
};

}  // namespace

size_t DhcpClient::build(uint8_t type, uint64_t now_ns, uint8_t* out) const {
  uint8_t msg[300];
  Writer w{msg};
  w.u8(1);  // BOOTREQUEST
  w.u8(1);  // Ethernet
  w.u8(6);
  w.u8(0);
  w.u32(type == dhcp::kRequest && bugs_.wrong_xid ? xid_ + 1 : xid_);
  const uint64_t secs = (now_ns - started_ns_) / 1'000'000'000;
  w.u16(static_cast<uint16_t>(secs > 0xffff ? 0xffff : secs));
  w.u16(0x8000);  // broadcast: we cannot take unicast IP before we have an address
  w.zeros(16);    // ciaddr (0 in SELECTING and REQUESTING), yiaddr, siaddr, giaddr
  for (uint8_t b : mac_.b) w.u8(b);
  w.zeros(10 + 64 + 128);  // chaddr padding, sname, file
  w.u32(dhcp::kMagicCookie);
  w.u8(53);
  w.u8(1);
  w.u8(type);
  if (type == dhcp::kRequest) {
    w.option32(50, offer_.address);
    if (!bugs_.no_server_id) w.option32(54, offer_.server);
  }
  const uint8_t wanted[] = {1, 3, 51, 54};
  w.u8(55);
  w.u8(sizeof wanted);
  for (uint8_t o : wanted) w.u8(o);
  w.u8(255);
  while (w.n < 300) w.u8(0);  // the BOOTP minimum some servers insist on
  return build_udp(out, mac_, kBroadcastMac, 0, kBroadcastIp, kDhcpClientPort, kDhcpServerPort,
                   static_cast<uint16_t>(xid_ + attempt_), msg, w.n);
}

DhcpInput DhcpClient::receive(const Frame& frame, uint64_t now_ns) {
  if (frame.protocol != kProtoUdp || frame.dst_port != kDhcpClientPort ||
      frame.src_port != kDhcpServerPort)
    return DhcpInput::kIgnored;
  const uint8_t* m = frame.payload;
  const size_t len = frame.payload_len;
  if (len < dhcp::kFixedBytes + 4) {
    reason_ = "reply_too_short";
    return DhcpInput::kMalformed;
  }
  if (m[0] != 2 ||
      load32(m + 4) != (bugs_.wrong_xid && state_ == DhcpState::kRequesting ? xid_ + 1 : xid_))
    return DhcpInput::kIgnored;
  for (int i = 0; i < 6; ++i)
    if (m[28 + i] != mac_.b[i]) return DhcpInput::kIgnored;
  if (load32(m + dhcp::kFixedBytes) != dhcp::kMagicCookie) {
    reason_ = "bad_magic_cookie";
    return DhcpInput::kMalformed;
  }
  DhcpLease got{load32(m + 16), 0, 0, 0, 0};
  uint8_t type = 0;
  for (size_t i = dhcp::kFixedBytes + 4; i < len;) {
    const uint8_t code = m[i];
    if (code == 255) break;
    if (code == 0) {
      ++i;
      continue;
    }
    if (i + 2 > len || i + 2 + m[i + 1] > len) {
      reason_ = "option_runs_past_the_end";
      return DhcpInput::kMalformed;
    }
    const uint8_t olen = m[i + 1];
    const uint8_t* v = m + i + 2;
    if (code == 53 && olen == 1) type = v[0];
    if (olen == 4) {
      if (code == 54) got.server = load32(v);
      if (code == 1) got.mask = load32(v);
      if (code == 51) got.lease_s = load32(v);
    }
    if (code == 3 && olen >= 4) got.router = load32(v);
    i += 2 + size_t{olen};
  }
  if (state_ == DhcpState::kSelecting && type == dhcp::kOffer) {
    if (got.address == 0 || got.server == 0) {
      reason_ = got.address == 0 ? "offer_without_yiaddr" : "offer_without_server_id";
      return DhcpInput::kMalformed;
    }
    offer_ = got;
    state_ = DhcpState::kRequesting;
    attempt_ = 0;
    backoff_ns_ = timing_.first_retry_ns;
    due_ns_ = now_ns;
    return DhcpInput::kOffer;
  }
  if (state_ != DhcpState::kRequesting) return DhcpInput::kIgnored;
  if (type == dhcp::kNak) {
    reason_ = "nak";
    restart(now_ns);
    return DhcpInput::kNak;
  }
  if (type != dhcp::kAck) return DhcpInput::kIgnored;
  if (got.address != offer_.address || got.lease_s == 0) {
    reason_ = got.lease_s == 0 ? "ack_without_lease_time" : "ack_for_another_address";
    return DhcpInput::kMalformed;
  }
  if (got.server == 0) got.server = offer_.server;
  lease_ = got;
  state_ = DhcpState::kBound;
  bound_ns_ = now_ns;
  return DhcpInput::kAck;
}

}  // namespace rayos::net

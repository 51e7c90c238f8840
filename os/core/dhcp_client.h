#pragma once
// A DHCP client (RFC 2131 §4.4): INIT -> SELECTING (DISCOVER sent, the first OFFER taken) ->
// REQUESTING (REQUEST with the offer's server id and address) -> BOUND on ACK; a NAK, or a
// REQUEST that got no answer after its retransmissions, starts over from INIT with a new xid.
// Retransmissions follow §4.1: the first after 4 s, then 8, 16, 32, 64 s, each randomised by
// +-1 s (uniform, from the seed), with `secs` counting from the first DISCOVER.
//
// Portable and clock-free: the caller passes the time in and sends what poll() builds, so the
// host tests drive every path (lost offers, NAKs, backoff) over fake time.
#include <stddef.h>
#include <stdint.h>

#include "os/core/net_packet.h"
#include "os/core/string_view.h"

namespace rayos::net {

inline constexpr uint16_t kDhcpServerPort = 67;
inline constexpr uint16_t kDhcpClientPort = 68;

namespace dhcp {
inline constexpr uint8_t kDiscover = 1;
inline constexpr uint8_t kOffer = 2;
inline constexpr uint8_t kRequest = 3;
inline constexpr uint8_t kDecline = 4;
inline constexpr uint8_t kAck = 5;
inline constexpr uint8_t kNak = 6;
inline constexpr uint32_t kMagicCookie = 0x63825363;
inline constexpr size_t kFixedBytes = 236;  // op .. file, before the magic cookie
StringView message_name(uint8_t type);
}  // namespace dhcp

struct DhcpLease {
  Ipv4 address;
  Ipv4 server;  // option 54
  Ipv4 mask;    // option 1 (0 when absent)
  Ipv4 router;  // option 3 (0 when absent)
  uint32_t lease_s;
};

struct DhcpTiming {
  uint64_t first_retry_ns = 4'000'000'000;
  uint64_t max_retry_ns = 64'000'000'000;
  uint64_t jitter_ns = 1'000'000'000;  // each timeout is drawn from +- this
  uint32_t request_attempts = 4;       // REQUESTs sent before starting over
};

// Planted bugs, for showing that the harness's capture checker catches them.
struct DhcpBugs {
  bool wrong_xid = false;     // REQUEST carries the offer's xid + 1
  bool no_server_id = false;  // REQUEST without option 54
};

enum class DhcpState : uint8_t { kInit, kSelecting, kRequesting, kBound };
StringView dhcp_state_name(DhcpState state);

enum class DhcpInput : uint8_t {
  kIgnored,    // not for us (port, xid, chaddr, state)
  kMalformed,  // a DHCP reply that failed a check (`reason()` says which)
  kOffer,      // an OFFER taken; a REQUEST is due now
  kAck,        // bound: lease() holds it
  kNak,        // back to INIT; a new DISCOVER is due now
};

class DhcpClient {
 public:
  // Starts in INIT: the first DISCOVER is due at `now_ns`.
  void start(const Mac& mac, uint64_t seed, uint64_t now_ns, const DhcpTiming& timing = {},
             const DhcpBugs& bugs = {});

  // When a message is due (the first one, or a retransmission), builds its whole frame into
  // `out` (kMaxFrame bytes) and returns its length; 0 when nothing is due before `now_ns`.
  size_t poll(uint64_t now_ns, uint8_t* out);
  // When poll() next has something to send (UINT64_MAX when bound).
  uint64_t next_due_ns() const { return state_ == DhcpState::kBound ? UINT64_MAX : due_ns_; }

  // A UDP datagram to port 68 (parse_frame() accepted it).
  DhcpInput receive(const Frame& frame, uint64_t now_ns);

  DhcpState state() const { return state_; }
  const DhcpLease& lease() const { return lease_; }
  uint32_t xid() const { return xid_; }
  uint8_t last_sent() const { return last_sent_; }  // message type of the last poll()
  uint32_t attempt() const { return attempt_; }     // 1 for a first send, 2.. retransmissions
  uint64_t started_ns() const { return started_ns_; }
  uint64_t bound_ns() const { return bound_ns_; }
  StringView reason() const { return reason_; }

 private:
  void restart(uint64_t now_ns);
  uint64_t timeout_ns();
  size_t build(uint8_t type, uint64_t now_ns, uint8_t* out) const;

  Mac mac_{};
  uint64_t rng_ = 0;
  DhcpTiming timing_{};
  DhcpBugs bugs_{};
  DhcpState state_ = DhcpState::kInit;
  uint32_t xid_ = 0;
  uint64_t due_ns_ = 0;
  uint64_t started_ns_ = 0;
  uint64_t bound_ns_ = 0;
  uint64_t backoff_ns_ = 0;  // the current retransmission interval, before jitter
  uint32_t attempt_ = 0;
  uint8_t last_sent_ = 0;
  DhcpLease offer_{};
  DhcpLease lease_{};
  StringView reason_;
};

}  // namespace rayos::net

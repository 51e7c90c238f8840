#pragma once
// The DHCP exchange of a capture checked field by field against RFC 2131: every DHCP message
// (op for its direction, htype 1, hlen 6, the magic cookie, one message type, options that end
// where the packet ends, IPv4 and UDP checksums, chaddr = the sender's MAC), then the exchange:
// DISCOVER -> OFFER -> REQUEST -> ACK in that order, one xid throughout (§4.4.1), the REQUEST
// carrying the offer's server identifier (54) and its yiaddr as the requested address (50) with
// ciaddr 0 (§4.3.2, SELECTING), the ACK giving that address with a lease time (51) > 0, and
// retransmissions of a client message spaced 4 s, 8 s, ... 64 s, each +-1 s (§4.1).
//
// Written independently of the guest's client (os/core/dhcp_client): an oracle that shares the
// code it checks would share its bugs.
#include "net/check_result.h"
#include "net/pcap_reader.h"

namespace osh::net {

// The BPF filter that selects DHCP (BOOTP) packets.
inline constexpr const char* kDhcpFilter = "udp and (port 67 or port 68)";

// `capture` read with kDhcpFilter. The summary holds the exchange: xid, address, server, lease_s,
// the messages in order, and `exchange_ms` (DISCOVER to ACK in capture time).
CheckResult check_dhcp(const Capture& capture);

}  // namespace osh::net

#pragma once
// Test captures written with libpcap itself (pcap_open_dead + pcap_dump), so that the reader is
// tested on files libpcap produced, and DHCP messages assembled field by field from RFC 2131.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace osh::net::testing {

using Bytes = std::vector<uint8_t>;

struct TimedFrame {
  int64_t time_us;
  Bytes bytes;
};

// Writes an Ethernet capture; returns its path.
std::filesystem::path write_capture(const std::filesystem::path& path,
                                    const std::vector<TimedFrame>& frames);

struct DhcpFields {
  uint8_t op = 1;
  uint8_t type = 1;  // option 53
  uint32_t xid = 0x1234abcd;
  uint32_t ciaddr = 0, yiaddr = 0;
  bool cookie = true;
  std::optional<uint32_t> server_id, requested, lease_s;
  bool from_client = true;
};

// A whole Ethernet/IPv4/UDP frame carrying the message, with correct checksums.
Bytes dhcp_frame(const DhcpFields& fields);

// The four messages of a good exchange (10.0.2.15 from 10.0.2.2, lease 86400 s).
std::vector<DhcpFields> good_exchange();

}  // namespace osh::net::testing

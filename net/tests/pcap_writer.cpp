#include "net/tests/pcap_writer.h"

#include <pcap/pcap.h>

#include <stdexcept>

#include "os/core/net_packet.h"

namespace osh::net::testing {

std::filesystem::path write_capture(const std::filesystem::path& path,
                                    const std::vector<TimedFrame>& frames) {
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  if (!dumper) throw std::runtime_error("pcap_dump_open " + path.string());
  for (const TimedFrame& f : frames) {
    pcap_pkthdr header{};
    header.ts.tv_sec = f.time_us / 1'000'000;
    header.ts.tv_usec = f.time_us % 1'000'000;
    header.caplen = header.len = static_cast<uint32_t>(f.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, f.bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return path;
}

Bytes dhcp_frame(const DhcpFields& d) {
  Bytes m(300, 0);
  m[0] = d.op;
  m[1] = 1;
  m[2] = 6;
  rayos::net::store32(&m[4], d.xid);
  rayos::net::store32(&m[12], d.ciaddr);
  rayos::net::store32(&m[16], d.yiaddr);
  const uint8_t client_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  std::copy(client_mac, client_mac + 6, m.begin() + 28);
  size_t i = 236;
  if (d.cookie) rayos::net::store32(&m[i], 0x63825363);
  i += 4;
  m[i++] = 53;
  m[i++] = 1;
  m[i++] = d.type;
  const auto option32 = [&](uint8_t code, uint32_t value) {
    m[i++] = code;
    m[i++] = 4;
    rayos::net::store32(&m[i], value);
    i += 4;
  };
  if (d.server_id) option32(54, *d.server_id);
  if (d.requested) option32(50, *d.requested);
  if (d.lease_s) option32(51, *d.lease_s);
  m[i++] = 255;
  const rayos::net::Mac client{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
  const rayos::net::Mac server{{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}};
  uint8_t frame[rayos::net::kMaxFrame];
  const size_t n =
      d.from_client ? rayos::net::build_udp(frame, client, rayos::net::kBroadcastMac, 0,
                                            rayos::net::kBroadcastIp, 68, 67, 1, m.data(), m.size())
                    : rayos::net::build_udp(frame, server, rayos::net::kBroadcastMac,
                                            rayos::net::ipv4(10, 0, 2, 2), rayos::net::kBroadcastIp,
                                            67, 68, 1, m.data(), m.size());
  return Bytes(frame, frame + n);
}

std::vector<DhcpFields> good_exchange() {
  const uint32_t offered = rayos::net::ipv4(10, 0, 2, 15);
  const uint32_t server = rayos::net::ipv4(10, 0, 2, 2);
  DhcpFields discover;
  DhcpFields offer{.op = 2,
                   .type = 2,
                   .yiaddr = offered,
                   .server_id = server,
                   .lease_s = 86400,
                   .from_client = false};
  DhcpFields request{.type = 3, .server_id = server, .requested = offered};
  DhcpFields ack{.op = 2,
                 .type = 5,
                 .yiaddr = offered,
                 .server_id = server,
                 .lease_s = 86400,
                 .from_client = false};
  return {discover, offer, request, ack};
}

}  // namespace osh::net::testing

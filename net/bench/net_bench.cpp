// Speed of the capture checks on captures of UDP echoes like those of net_udp_echo_pair (each
// side: client echoes to the server and the server's answers, 58-byte frames), `state.range(0)`
// echoes: reading a capture with libpcap, with the DHCP BPF filter (which keeps nothing of it),
// and matching two captures packet for packet. docs/performance.md has the figures.
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "net/dhcp_check.h"
#include "net/pair_check.h"
#include "net/pcap_reader.h"
#include "os/core/net_packet.h"

namespace {

namespace fs = std::filesystem;
using osh::net::MacAddress;

const rayos::net::Mac kClient{{0x52, 0x54, 0x00, 0x0a, 0x00, 0x01}};
const rayos::net::Mac kServer{{0x52, 0x54, 0x00, 0x0a, 0x00, 0x02}};

// Both sides' captures of `echoes` echoes: the client's has each request then its answer; the
// server's the same frames.
struct Captures {
  fs::path a, b;
};

Captures make_captures(int64_t echoes) {
  static std::map<int64_t, Captures> made;
  if (auto it = made.find(echoes); it != made.end()) return it->second;
  const fs::path dir = fs::temp_directory_path() / ("osh-net-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  Captures c{dir / ("a" + std::to_string(echoes) + ".pcap"),
             dir / ("b" + std::to_string(echoes) + ".pcap")};
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* a = pcap_dump_open(dead, c.a.c_str());
  pcap_dumper_t* b = pcap_dump_open(dead, c.b.c_str());
  uint8_t frame[rayos::net::kMaxFrame];
  for (int64_t i = 0; i < echoes; ++i) {
    uint8_t payload[16] = {};
    rayos::net::store32(payload + 4, static_cast<uint32_t>(i));
    for (int answer = 0; answer < 2; ++answer) {
      const size_t n =
          answer ? rayos::net::build_udp(frame, kServer, kClient, rayos::net::ipv4(10, 0, 3, 2),
                                         rayos::net::ipv4(10, 0, 3, 1), 7, 40007, 1, payload, 16)
                 : rayos::net::build_udp(frame, kClient, kServer, rayos::net::ipv4(10, 0, 3, 1),
                                         rayos::net::ipv4(10, 0, 3, 2), 40007, 7, 1, payload, 16);
      pcap_pkthdr header{};
      header.ts.tv_usec = static_cast<suseconds_t>(i % 1000000);
      header.caplen = header.len = static_cast<uint32_t>(n);
      pcap_dump(reinterpret_cast<u_char*>(a), &header, frame);
      pcap_dump(reinterpret_cast<u_char*>(b), &header, frame);
    }
  }
  pcap_dump_close(a);
  pcap_dump_close(b);
  pcap_close(dead);
  return made[echoes] = c;
}

void BM_ReadCapture(benchmark::State& state) {
  const Captures c = make_captures(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(osh::net::read_capture(c.a).packets.size());
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}

void BM_ReadCaptureDhcpFilter(benchmark::State& state) {
  const Captures c = make_captures(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(
        osh::net::check_dhcp(osh::net::read_capture(c.a, osh::net::kDhcpFilter)).passed());
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}

void BM_CheckPair(benchmark::State& state) {
  const Captures c = make_captures(state.range(0));
  const auto a = osh::net::read_capture(c.a), b = osh::net::read_capture(c.b);
  const MacAddress client{0x52, 0x54, 0x00, 0x0a, 0x00, 0x01};
  const MacAddress server{0x52, 0x54, 0x00, 0x0a, 0x00, 0x02};
  for (auto _ : state)
    benchmark::DoNotOptimize(osh::net::check_pair(a, client, b, server, true).passed());
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}

BENCHMARK(BM_ReadCapture)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadCaptureDhcpFilter)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckPair)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

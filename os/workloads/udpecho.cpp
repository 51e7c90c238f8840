// udpecho role=client|server addr=A peer=P count=C duration_sec=D interval_us=I timeout_ms=T
// detect_ms=X: UDP echo between two VMs on one link (the harness's `network.mode` "pair"),
// with static addresses 10.0.3.A and 10.0.3.P (NET:ADDRESS).
//
// The server answers every datagram to port 7 with the same bytes, until the client's "bye".
// The client finds the peer by ARP, then sends echo after echo (a sequence number and its send
// time), each waited for up to T ms, one every I us at most, until C were sent (C = 0: no
// limit) and D seconds have passed (D = 0: no limit). An echo not answered in time is given up
// on, but a later answer still counts (late); one never answered, not even in the T ms after
// the last echo, is lost.
// When no answer came for X ms it prints NET:PEER:lost, and NET:PEER:back with the whole
// silence once answers come again: how a partition is seen and its healing measured. At the end
// NET:ECHO_DONE (sent, answered, lost, late, round trip median and maximum in guest time),
// three "bye"s, and NET:STATS.
//
// Exit 0 (client) when no echo was lost, or, with D > 0 (sustained traffic, partitions), when
// the last echo was answered; 1 otherwise. The server exits 0 once it has all three "bye"s, or
// after the first when the wire stays quiet for T ms: leaving at the first would drop the other
// two unread, and the harness's pair check counts every frame sent that never arrived.
#include "os/core/perf_stats.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/net_interface.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr StringView kRoles[] = {"client", "server"};
constexpr ParamSpec kParams[] = {{"role", 0, 0, 0, ParamKind::kChoice, kRoles, 2},
                                 {"addr", 1, 254, 1},
                                 {"peer", 1, 254, 2},
                                 {"count", 0, 10000000, 1000},
                                 {"duration_sec", 0, 604800, 0},
                                 {"interval_us", 0, 60000000, 0},
                                 {"timeout_ms", 1, 60000, 200},
                                 {"detect_ms", 1, 60000, 500}};
enum Param : size_t { kRole, kAddr, kPeer, kCount, kDurationSec, kIntervalUs, kTimeoutMs, kDetect };

constexpr uint16_t kEchoPort = 7;
constexpr uint16_t kClientPort = 40007;
constexpr uint64_t kMs = 1'000'000;
constexpr uint8_t kBye[] = {'b', 'y', 'e'};
constexpr uint64_t kByes = 3;
constexpr size_t kMaxRtts = 1 << 20;
constexpr uint64_t kMaxTracked = 1 << 23;  // echoes told apart (a 1 MiB bitmap)

net::Ipv4 address(uint64_t host) { return net::ipv4(10, 0, 3, static_cast<uint8_t>(host)); }

struct Server {
  uint64_t byes = 0;
  uint64_t last_frame_ns = 0;
};

void serve(void* context, const net::Frame& frame, uint64_t) {
  if (frame.dst_port != kEchoPort) return;
  auto& server = *static_cast<Server*>(context);
  server.last_frame_ns = kernel::uptime_ns();
  if (frame.payload_len == sizeof kBye && __builtin_memcmp(frame.payload, kBye, 3) == 0) {
    ++server.byes;
    return;
  }
  kernel::net_stack().send_udp(frame.ip_src, kEchoPort, frame.src_port, frame.payload,
                               frame.payload_len);
}

struct Client {
  uint64_t sent = 0;
  uint64_t in_flight = UINT64_MAX;  // the echo being waited for
  bool in_flight_answered = false;
  uint64_t answered = 0, late = 0;
  uint64_t last_answer_ns = 0;
  uint8_t* seen = nullptr;  // a bit per echo below `tracked`: answered already
  uint64_t tracked = 0;
  uint64_t* rtts = nullptr;
  size_t rtt_count = 0, rtt_cap = 0;
};

// Any answer counts, also one that came after its echo was given up on (late): an echo is lost
// only when no answer ever came. Round trips are the guest's clock, from the send time the echo
// carries.
void on_echo(void* context, const net::Frame& frame, uint64_t now_ns) {
  auto* c = static_cast<Client*>(context);
  if (frame.src_port != kEchoPort || frame.payload_len != 16) return;
  const uint64_t seq = uint64_t{net::load32(frame.payload)} << 32 | net::load32(frame.payload + 4);
  const uint64_t sent_ns =
      uint64_t{net::load32(frame.payload + 8)} << 32 | net::load32(frame.payload + 12);
  if (seq >= c->sent || sent_ns > now_ns) return;  // not an echo of ours
  if (seq < c->tracked) {
    uint8_t& byte = c->seen[seq / 8];
    const auto bit = static_cast<uint8_t>(1u << (seq % 8));
    if (byte & bit) return;  // a duplicate (the capture check names those)
    byte = static_cast<uint8_t>(byte | bit);
  } else if (seq != c->in_flight) {
    return;  // beyond what is tracked, only the echo in flight can be told apart
  }
  ++c->answered;
  if (seq == c->in_flight) {
    c->in_flight_answered = true;
  } else {
    ++c->late;
  }
  if (c->rtt_count < c->rtt_cap) c->rtts[c->rtt_count++] = now_ns - sent_ns;
  c->last_answer_ns = now_ns;
}

void idle() { kernel::sleep_until(kernel::uptime_ns() + 1); }

bool resolve_peer(net::Ipv4 peer, uint64_t deadline) {
  net::Mac mac;
  for (uint64_t next = 0; !kernel::net_stack().lookup(peer, mac);) {
    const uint64_t now = kernel::uptime_ns();
    if (now >= deadline) return false;
    if (now >= next) {
      kernel::net_stack().send_arp_request(peer);
      next = now + 100 * kMs;
    }
    if (kernel::net_poll(nullptr, nullptr) == 0) idle();
  }
  return true;
}

uint32_t run_client(const kernel::ScenarioContext& c, net::Ipv4 peer) {
  const uint64_t count = c.params[kCount], duration = c.params[kDurationSec];
  // The server may still be booting: ARP gets as long as the whole exchange may take.
  if (!resolve_peer(peer, kernel::uptime_ns() + 30'000 * kMs)) {
    kernel::emit<markers::kNetError>(StringView("the_peer_never_answered_ARP"));
    kernel::net_emit_stats();
    return 1;
  }
  Client client;
  client.tracked = count && count < kMaxTracked ? count : kMaxTracked;
  client.rtt_cap = count && count < kMaxRtts ? count : kMaxRtts;
  client.seen = static_cast<uint8_t*>(kernel::kmalloc(client.tracked / 8 + 1, kernel::kKernelTag));
  client.rtts = static_cast<uint64_t*>(
      kernel::kmalloc(client.rtt_cap * sizeof(uint64_t), kernel::kKernelTag));
  if (!client.seen || !client.rtts) {
    kernel::emit<markers::kNetError>(StringView("no_memory_for_the_echo_records"));
    return 1;
  }
  __builtin_memset(client.seen, 0, client.tracked / 8 + 1);
  const uint64_t start = kernel::uptime_ns();
  const uint64_t end = start + duration * 1'000'000'000;
  const uint64_t interval = c.params[kIntervalUs] * 1000, timeout = c.params[kTimeoutMs] * kMs;
  client.last_answer_ns = start;
  bool lost = false;
  uint64_t lost_since = 0;  // the last answer before the silence
  while ((count == 0 || client.sent < count) && (duration == 0 || kernel::uptime_ns() < end)) {
    const uint64_t send_ns = kernel::uptime_ns();
    uint8_t payload[16];
    net::store32(payload, static_cast<uint32_t>(client.sent >> 32));
    net::store32(payload + 4, static_cast<uint32_t>(client.sent));
    net::store32(payload + 8, static_cast<uint32_t>(send_ns >> 32));
    net::store32(payload + 12, static_cast<uint32_t>(send_ns));
    client.in_flight = client.sent++;
    client.in_flight_answered = false;
    kernel::net_stack().send_udp(peer, kClientPort, kEchoPort, payload, sizeof payload);
    while (!client.in_flight_answered && kernel::uptime_ns() - send_ns < timeout)
      if (kernel::net_poll(on_echo, &client) == 0) idle();
    const uint64_t now = kernel::uptime_ns();
    if (lost && client.last_answer_ns > lost_since) {
      lost = false;
      kernel::emit<markers::kNetPeer>(StringView("back"),
                                      (client.last_answer_ns - lost_since) / kMs);
    } else if (!lost && now - client.last_answer_ns >= c.params[kDetect] * kMs) {
      lost = true;
      lost_since = client.last_answer_ns;
      kernel::emit<markers::kNetPeer>(StringView("lost"), (now - lost_since) / kMs);
    }
    while (kernel::uptime_ns() < send_ns + interval) {
      kernel::net_poll(on_echo, &client);
      idle();
    }
  }
  // Answers still on their way count, for as long as one echo may take.
  for (const uint64_t drain_end = kernel::uptime_ns() + timeout;
       client.answered < client.sent && kernel::uptime_ns() < drain_end;)
    if (kernel::net_poll(on_echo, &client) == 0) idle();
  const uint64_t last = client.sent - 1;
  const bool last_answered =
      client.sent > 0 && (last < client.tracked ? (client.seen[last / 8] >> (last % 8)) & 1
                                                : client.in_flight_answered);
  perf::sort(client.rtts, client.rtt_count);
  const uint64_t p50 =
      client.rtt_count ? perf::nearest_rank(client.rtts, client.rtt_count, 500) : 0;
  const uint64_t max = client.rtt_count ? client.rtts[client.rtt_count - 1] : 0;
  kernel::kfree(client.rtts);
  kernel::kfree(client.seen);
  kernel::emit<markers::kNetEchoDone>(client.sent, client.answered, client.sent - client.answered,
                                      client.late, p50 / 1000, max / 1000);
  for (uint64_t i = 0; i < kByes; ++i)
    kernel::net_stack().send_udp(peer, kClientPort, kEchoPort, kBye, sizeof kBye);
  kernel::net_emit_stats();
  return (duration ? last_answered : client.answered == client.sent) ? 0 : 1;
}

uint32_t run(const kernel::ScenarioContext& c) {
  kernel::process_init();
  TextBuffer error;
  if (!kernel::net_up(error)) {
    kernel::emit<markers::kNetError>(error.view());
    return 1;
  }
  if (c.params[kAddr] == c.params[kPeer]) {
    kernel::emit<markers::kNetError>(StringView("addr_and_peer_are_the_same"));
    return 2;
  }
  const net::Ipv4 self = address(c.params[kAddr]), peer = address(c.params[kPeer]);
  kernel::net_stack().set_address(self);
  char a[16], p[16];
  kernel::emit<markers::kNetAddress>(StringView(a, net::format_ipv4(self, a)),
                                     StringView(p, net::format_ipv4(peer, p)));
  if (c.params[kRole] == 0) return run_client(c, peer);
  Server server;
  const uint64_t quiet = c.params[kTimeoutMs] * kMs;
  while (server.byes < kByes &&
         (server.byes == 0 || kernel::uptime_ns() - server.last_frame_ns < quiet))
    if (kernel::net_poll(serve, &server) == 0) idle();
  kernel::net_emit_stats();
  return 0;
}

}  // namespace

const kernel::Scenario kUdpEcho = kernel::make_scenario("udpecho", kParams, run);

}  // namespace rayos::workloads

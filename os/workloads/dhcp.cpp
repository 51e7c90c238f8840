// dhcp timeout_ms=T hold_ms=H links=L: brings up the virtio-net interface and runs the DHCP
// client (os/core/dhcp_client: RFC 2131 with retransmission and backoff) until it is bound,
// printing every message sent and taken (NET:DHCP_SEND, NET:DHCP_RECV) and the lease with the
// guest time it took (NET:LEASE). Then it stays up for H ms of uptime, answering ARP and ping
// and watching the link (NET:LINK, polled every tick), and ends early once it has seen L link
// changes (the harness's link faults: 10 down/up cycles are 20 changes).
//
// Planted bugs (osh.bug=): dhcp_wrong_xid sends the REQUEST with the offer's xid + 1,
// dhcp_no_server_id leaves option 54 out of it; the harness's capture checker must fail both.
//
// Exit 0 when bound (and, with L > 0, when L link changes were seen); 1 otherwise.
#include "os/core/dhcp_client.h"
#include "os/core/format.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/net_interface.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {
    {"timeout_ms", 100, 600000, 30000}, {"hold_ms", 0, 86400000, 0}, {"links", 0, 100000, 0}};
enum Param : size_t { kTimeoutMs, kHoldMs, kLinks };

constexpr uint64_t kMs = 1'000'000;

struct Exchange {
  net::DhcpClient client;
};

void on_udp(void* context, const net::Frame& frame, uint64_t now_ns) {
  auto& client = static_cast<Exchange*>(context)->client;
  const uint32_t xid = frame.payload_len >= 8 ? net::load32(frame.payload + 4) : 0;
  const net::DhcpInput input = client.receive(frame, now_ns);
  if (input == net::DhcpInput::kIgnored) return;
  if (input == net::DhcpInput::kMalformed) {
    kernel::emit<markers::kNetDhcpBad>(client.reason());
    return;
  }
  char hex[kMaxIntChars], server[16];
  const uint8_t type = input == net::DhcpInput::kOffer ? net::dhcp::kOffer
                       : input == net::DhcpInput::kAck ? net::dhcp::kAck
                                                       : net::dhcp::kNak;
  kernel::emit<markers::kNetDhcpRecv>(net::dhcp::message_name(type),
                                      StringView(hex, format_hex(xid, hex)),
                                      StringView(server, net::format_ipv4(frame.ip_src, server)));
}

uint32_t run(const kernel::ScenarioContext& context) {
  kernel::process_init();  // the scheduler that sleep_until() needs
  TextBuffer error;
  if (!kernel::net_up(error)) {
    kernel::emit<markers::kNetError>(error.view());
    return 1;
  }
  Exchange exchange;
  const net::DhcpBugs bugs{.wrong_xid = kernel::planted(kBugDhcpWrongXid),
                           .no_server_id = kernel::planted(kBugDhcpNoServerId)};
  const uint64_t start = kernel::uptime_ns();
  exchange.client.start(kernel::net_stack().mac(), context.seed, start, net::DhcpTiming{}, bugs);
  const uint64_t give_up = start + context.params[kTimeoutMs] * kMs;
  uint8_t frame[net::kMaxFrame];
  while (exchange.client.state() != net::DhcpState::kBound) {
    const uint64_t now = kernel::uptime_ns();
    if (now >= give_up) {
      kernel::emit<markers::kNetError>(StringView("no_lease_within_timeout_ms"));
      kernel::net_emit_stats();
      return 1;
    }
    if (const size_t n = exchange.client.poll(now, frame)) {
      const uint32_t xid = exchange.client.xid() +
                           (bugs.wrong_xid && exchange.client.last_sent() == net::dhcp::kRequest);
      char hex[kMaxIntChars];
      kernel::net_stack().send_frame(frame, n);
      kernel::emit<markers::kNetDhcpSend>(net::dhcp::message_name(exchange.client.last_sent()),
                                          StringView(hex, format_hex(xid, hex)),
                                          uint64_t{exchange.client.attempt()}, now / 1000);
    }
    if (kernel::net_poll(on_udp, &exchange) == 0) kernel::sleep_until(kernel::uptime_ns() + 1);
  }
  const net::DhcpLease& lease = exchange.client.lease();
  kernel::net_stack().set_address(lease.address);
  char address[16], server[16];
  kernel::emit<markers::kNetLease>(
      StringView(address, net::format_ipv4(lease.address, address)),
      StringView(server, net::format_ipv4(lease.server, server)), uint64_t{lease.lease_s},
      (exchange.client.bound_ns() - exchange.client.started_ns()) / 1000);

  // Hold: answer ARP and ping, watch the link.
  const uint64_t links_wanted = context.params[kLinks];
  const uint64_t hold_end = kernel::uptime_ns() + context.params[kHoldMs] * kMs;
  uint64_t changes = 0;
  bool up = kernel::net_link_up();
  while (kernel::uptime_ns() < hold_end && (links_wanted == 0 || changes < links_wanted)) {
    kernel::net_poll(nullptr, nullptr);
    if (kernel::net_link_up() != up) {
      up = !up;
      ++changes;
    }
    kernel::sleep_until(kernel::uptime_ns() + 1);
  }
  kernel::net_emit_stats();
  if (links_wanted != 0 && changes < links_wanted) {
    kernel::emit<markers::kNetError>(StringView("fewer_link_changes_than_links"));
    return 1;
  }
  return 0;
}

}  // namespace

const kernel::Scenario kDhcp = kernel::make_scenario("dhcp", kParams, run);

}  // namespace rayos::workloads

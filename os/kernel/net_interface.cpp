#include "os/kernel/net_interface.h"

#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/virtio_net.h"

namespace rayos::kernel {
namespace {

struct Interface {
  net::NetStack stack;
  bool link_up;
  uint8_t rx[net::kMaxFrame];
};
constinit Interface iface{};

bool transmit(void*, const uint8_t* frame, size_t len) { return virtio_net_send(frame, len); }

StringView link_name(bool up) { return up ? "up" : "down"; }

}  // namespace

bool net_up(TextBuffer& error) {
  if (!virtio_net_init(error)) return false;
  iface.stack.init(virtio_net_mac(), transmit, nullptr);
  iface.link_up = virtio_net_link_up();
  char mac[18];
  emit<markers::kNetDevice>(
      StringView(mac, net::format_mac(virtio_net_mac(), mac)), uint64_t{virtio_net_version()},
      StringView(virtio_net_reports_link() ? "yes" : "no"), link_name(iface.link_up));
  return true;
}

net::NetStack& net_stack() { return iface.stack; }
bool net_link_up() { return iface.link_up; }

size_t net_poll(UdpHandler on_udp, void* context) {
  const bool up = virtio_net_link_up();
  if (up != iface.link_up) {
    iface.link_up = up;
    emit<markers::kNetLink>(link_name(up), uptime_ns() / 1000);
  }
  size_t taken = 0;
  for (size_t len; (len = virtio_net_receive(iface.rx)) != 0; ++taken) {
    net::Frame frame;
    net::ParseError error;
    if (iface.stack.receive(iface.rx, len, frame, error) == net::NetStack::Rx::kUdp && on_udp)
      on_udp(context, frame, uptime_ns());
  }
  return taken;
}

void net_emit_stats() {
  const net::NetCounters& c = iface.stack.counters();
  const NetDeviceCounters& d = virtio_net_counters();
  emit<markers::kNetStats>(c.sent, c.received, c.dropped + d.rx_bad + d.tx_full, uptime_ms());
}

}  // namespace rayos::kernel

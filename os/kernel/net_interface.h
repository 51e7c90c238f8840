#pragma once
// The guest's one network interface: the virtio-net device under a NetStack (os/core), with its
// link state watched. Scenarios call net_poll() in their loops; it drains the receive queue,
// answers ARP and ping, hands UDP up, and prints NET:LINK when the link changes.
#include <stddef.h>
#include <stdint.h>

#include "os/core/net_stack.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

// Brings the device up and prints NET:DEVICE; false with a reason in `error`.
bool net_up(TextBuffer& error);
net::NetStack& net_stack();

using UdpHandler = void (*)(void* context, const net::Frame& frame, uint64_t now_ns);
// Receives every pending frame (UDP to `on_udp`, which may be null) and checks the link.
// Returns the frames taken.
size_t net_poll(UdpHandler on_udp, void* context);
bool net_link_up();  // as last seen by net_poll()
// NET:STATS with the interface's counters.
void net_emit_stats();

}  // namespace rayos::kernel

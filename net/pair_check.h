#pragma once
// Two captures of one link, one at each VM's NIC, matched packet for packet: every frame one VM
// sent (its source MAC) must show up at the other VM byte for byte, in the order it was sent,
// exactly once. With `exact`, a sent frame that never arrived is a failure too; without (a run
// with partitions, where frames are dropped on purpose) losses are only counted, while a frame
// that arrived altered, out of order, twice or without having been sent still fails.
#include <array>
#include <cstdint>

#include "net/check_result.h"
#include "net/pcap_reader.h"

namespace osh::net {

using MacAddress = std::array<uint8_t, 6>;

// Summary: per direction, frames sent, matched and lost.
CheckResult check_pair(const Capture& a, const MacAddress& a_mac, const Capture& b,
                       const MacAddress& b_mac, bool exact);

// "52:54:00:12:34:56" -> bytes; nullopt when malformed.
std::optional<MacAddress> parse_mac(const std::string& text);

}  // namespace osh::net

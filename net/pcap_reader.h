#pragma once
// Packet captures read with libpcap (offline): the classic pcap files QEMU's filter-dump writes,
// or any other Ethernet capture. A BPF filter (pcap-filter(7) syntax, compiled by libpcap)
// selects the packets; each keeps its number in the file and the file offset of its record
// header, so that a finding can point at the exact bytes (`tcpdump -r` numbers them the same).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace osh::net {

struct Packet {
  uint64_t number = 0;  // 1-based position in the file, counting the filtered-out packets too
  uint64_t offset = 0;  // byte offset of its record header in the file
  int64_t time_us = 0;  // capture timestamp
  uint32_t wire_len = 0;
  std::vector<uint8_t> bytes;  // what was captured (at most wire_len)
};

struct Capture {
  std::filesystem::path file;
  uint64_t total = 0;           // packets in the file
  std::vector<Packet> packets;  // those the filter kept
};

// Reads a whole capture; `filter` empty keeps every packet. Throws osh::InputError naming the
// file when libpcap cannot read it (not a pcap file, truncated header), when it is not an
// Ethernet capture, or when the filter does not compile. A file cut short inside a packet
// record is an error too, naming the packet and its offset: the capture was damaged.
Capture read_capture(const std::filesystem::path& file, const std::string& filter = "");

}  // namespace osh::net

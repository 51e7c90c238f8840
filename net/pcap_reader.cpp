#include "net/pcap_reader.h"

#include <pcap/pcap.h>

#include <cstdio>
#include <memory>

#include "harness/base/errors.h"

namespace osh::net {
namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw InputError(file.string() + ": " + what);
}

}  // namespace

Capture read_capture(const std::filesystem::path& file, const std::string& filter) {
  char error[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapCloser> pcap(pcap_open_offline(file.c_str(), error));
  if (!pcap) fail(file, std::string("libpcap cannot read it as a capture: ") + error);
  if (pcap_datalink(pcap.get()) != DLT_EN10MB) {
    const char* name = pcap_datalink_val_to_name(pcap_datalink(pcap.get()));
    fail(file, std::string("not an Ethernet capture (link type ") + (name ? name : "unknown") +
                   "); the network checks read Ethernet frames");
  }
  bpf_program program{};
  const bool filtered = !filter.empty();
  if (filtered) {
    if (pcap_compile(pcap.get(), &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      fail(file, "BPF filter \"" + filter + "\" does not compile: " + pcap_geterr(pcap.get()));
  }
  const std::unique_ptr<bpf_program, void (*)(bpf_program*)> program_owner(
      filtered ? &program : nullptr, pcap_freecode);

  Capture capture{file, 0, {}};
  FILE* stream = pcap_file(pcap.get());
  for (;;) {
    const long offset = stream ? std::ftell(stream) : -1;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(pcap.get(), &header, &data);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1) {
      fail(file, "packet " + std::to_string(capture.total + 1) + " at offset " +
                     std::to_string(offset) + " cannot be read: " + pcap_geterr(pcap.get()) +
                     " (the capture is truncated or damaged)");
    }
    ++capture.total;
    if (filtered && pcap_offline_filter(&program, header, data) == 0) continue;
    Packet p;
    p.number = capture.total;
    p.offset = offset < 0 ? 0 : static_cast<uint64_t>(offset);
    p.time_us = static_cast<int64_t>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec;
    p.wire_len = header->len;
    p.bytes.assign(data, data + header->caplen);
    capture.packets.push_back(std::move(p));
  }
  return capture;
}

}  // namespace osh::net

// libFuzzer target: arbitrary capture files. The bytes are handed to libpcap as a file (a memfd,
// through /proc/self/fd) and everything the network checks do with a capture runs on them: the
// reader with and without the DHCP BPF filter, the RFC 2131 check, the pair match of the capture
// against itself split in two, and the guest's own frame parser and DHCP client on every
// packet. A damaged capture must give osh::InputError, nothing else; nothing may crash.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/base/errors.h"
#include "net/dhcp_check.h"
#include "net/pair_check.h"
#include "net/pcap_reader.h"
#include "os/core/dhcp_client.h"
#include "os/core/net_packet.h"

namespace {

void check(const std::string& path) {
  using namespace osh::net;
  Capture all, dhcp;
  try {
    all = read_capture(path);
    dhcp = read_capture(path, kDhcpFilter);
  } catch (const osh::InputError&) {
    return;
  }
  const CheckResult r = check_dhcp(dhcp);
  if (r.failures().empty() && r.passed() == 0) __builtin_trap();  // dhcp-present always counts
  (void)r.to_json().dump();
  (void)r.headline();
  Capture first = all, second = all;
  first.packets.resize(all.packets.size() / 2);
  second.packets.erase(second.packets.begin(), second.packets.begin() + all.packets.size() / 2);
  const MacAddress a{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, b{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
  (void)check_pair(first, a, second, b, true).to_json().dump();

  rayos::net::DhcpClient client;
  client.start(rayos::net::Mac{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}}, 1, 0);
  uint8_t out[rayos::net::kMaxFrame];
  client.poll(0, out);
  for (const Packet& p : all.packets) {
    rayos::net::Frame frame;
    if (rayos::net::parse_frame(p.bytes.data(), p.bytes.size(), frame) ==
            rayos::net::ParseError::kNone &&
        frame.protocol == rayos::net::kProtoUdp) {
      client.receive(frame, 1);
      client.poll(2, out);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("capture", MFD_CLOEXEC);
  if (fd < 0) return 0;
  for (size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  check("/proc/self/fd/" + std::to_string(fd));
  ::close(fd);
  return 0;
}

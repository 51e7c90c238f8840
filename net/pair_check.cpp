#include "net/pair_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace osh::net {
namespace {

bool sent_by(const Packet& p, const MacAddress& mac) {
  return p.bytes.size() >= 12 && std::equal(mac.begin(), mac.end(), p.bytes.begin() + 6);
}

// Frames `from` sent, as seen in its own capture, against what arrived in the peer's.
void match_direction(const Capture& own, const Capture& peer, const MacAddress& from,
                     const std::string& direction, bool exact, CheckResult& r) {
  std::vector<const Packet*> sent, arrived;
  for (const Packet& p : own.packets)
    if (sent_by(p, from)) sent.push_back(&p);
  for (const Packet& p : peer.packets)
    if (sent_by(p, from)) arrived.push_back(&p);
  size_t next = 0;  // the first sent frame not yet matched or lost
  uint64_t matched = 0, lost = 0;
  for (const Packet* got : arrived) {
    size_t i = next;
    while (i < sent.size() && sent[i]->bytes != got->bytes) ++i;
    if (i == sent.size()) {
      r.expect(false, direction + "-arrived-as-sent", peer, got,
               fmt::format("a frame of {} bytes from {} arrived that it did not send there "
                           "(altered, duplicated or out of order)",
                           got->bytes.size(), direction.substr(0, direction.find('-'))));
      continue;
    }
    for (size_t j = next; j < i; ++j) {
      ++lost;
      if (exact) {
        r.expect(false, direction + "-delivered", own, sent[j],
                 fmt::format("a frame of {} bytes sent here never arrived at the other end",
                             sent[j]->bytes.size()));
      }
    }
    r.expect(true, direction + "-arrived-as-sent", peer, got, "");
    ++matched;
    next = i + 1;
  }
  for (size_t j = next; j < sent.size(); ++j) {
    ++lost;
    if (exact) {
      r.expect(false, direction + "-delivered", own, sent[j],
               fmt::format("a frame of {} bytes sent here never arrived at the other end",
                           sent[j]->bytes.size()));
    }
  }
  r.summary()[direction] = {{"sent", sent.size()}, {"matched", matched}, {"lost", lost}};
}

}  // namespace

std::optional<MacAddress> parse_mac(const std::string& text) {
  MacAddress mac{};
  if (text.size() != 17) return std::nullopt;
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[3 * i - 1] != ':') return std::nullopt;
    unsigned value = 0;
    for (size_t k = 0; k < 2; ++k) {
      const char c = text[3 * i + k];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    mac[i] = static_cast<uint8_t>(value);
  }
  return mac;
}

CheckResult check_pair(const Capture& a, const MacAddress& a_mac, const Capture& b,
                       const MacAddress& b_mac, bool exact) {
  CheckResult r("pair");
  match_direction(a, b, a_mac, "a-to-b", exact, r);
  match_direction(b, a, b_mac, "b-to-a", exact, r);
  r.summary()["exact"] = exact;
  return r;
}

}  // namespace osh::net

#pragma once
// What a capture check found: how many assertions it evaluated and passed, and every one that
// failed, each pointing at the packet (its number and file offset) that broke it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "net/pcap_reader.h"

namespace osh::net {

struct CheckFailure {
  std::string assertion;  // its name, e.g. "request-xid"
  std::string detail;     // what was wrong, with the values seen
  std::string file;       // the capture
  uint64_t packet = 0;    // number in the file (0: the capture as a whole)
  uint64_t offset = 0;    // of the packet's record header
};

class CheckResult {
 public:
  explicit CheckResult(std::string name) : name_(std::move(name)) {}

  // Evaluates one assertion: counts it, and records a failure at `packet` (may be null).
  bool expect(bool ok, const std::string& assertion, const Capture& capture, const Packet* packet,
              const std::string& detail);

  const std::string& name() const { return name_; }
  uint64_t passed() const { return passed_; }
  const std::vector<CheckFailure>& failures() const { return failures_; }
  nlohmann::json& summary() { return summary_; }
  const nlohmann::json& summary() const { return summary_; }

  // {"check", "passed", "failed", "failures": [first 20], "summary"}
  nlohmann::json to_json() const;
  // "dhcp: 2 of 45 assertions failed; first: request-xid at packet 3 (offset 1234) of
  // net0.pcap: ..." — one line for a finding.
  std::string headline() const;

 private:
  std::string name_;
  uint64_t passed_ = 0;
  std::vector<CheckFailure> failures_;
  nlohmann::json summary_ = nlohmann::json::object();
};

}  // namespace osh::net

#include "net/check_result.h"

namespace osh::net {
namespace {

constexpr size_t kFailuresKept = 20;

}  // namespace

bool CheckResult::expect(bool ok, const std::string& assertion, const Capture& capture,
                         const Packet* packet, const std::string& detail) {
  if (ok) {
    ++passed_;
    return true;
  }
  failures_.push_back({assertion, detail, capture.file.filename().string(),
                       packet ? packet->number : 0, packet ? packet->offset : 0});
  return false;
}

nlohmann::json CheckResult::to_json() const {
  nlohmann::json failures = nlohmann::json::array();
  for (size_t i = 0; i < failures_.size() && i < kFailuresKept; ++i) {
    const CheckFailure& f = failures_[i];
    failures.push_back({{"assertion", f.assertion},
                        {"detail", f.detail},
                        {"file", f.file},
                        {"packet", f.packet},
                        {"offset", f.offset}});
  }
  return {{"check", name_},
          {"passed", passed_},
          {"failed", failures_.size()},
          {"failures", std::move(failures)},
          {"summary", summary_}};
}

std::string CheckResult::headline() const {
  const uint64_t total = passed_ + failures_.size();
  std::string line = name_ + ": " + std::to_string(failures_.size()) + " of " +
                     std::to_string(total) + " assertions failed";
  if (failures_.empty()) return line;
  const CheckFailure& f = failures_.front();
  line += "; first: " + f.assertion;
  if (f.packet) {
    line += " at packet " + std::to_string(f.packet) + " (offset " + std::to_string(f.offset) + ")";
  }
  return line + " of " + f.file + ": " + f.detail;
}

}  // namespace osh::net

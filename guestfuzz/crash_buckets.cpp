#include "guestfuzz/crash_buckets.h"

#include "harness/base/sha256.h"
#include "harness/campaign/crash_detector.h"

namespace osh::guestfuzz {
namespace {

// "rayos::(anonymous namespace)::apply_token(rayos::StringView, ...)" -> "apply_token".
std::string short_name(std::string function) {
  static constexpr std::string_view kAnonymous = "(anonymous namespace)";
  for (size_t at; (at = function.find(kAnonymous)) != std::string::npos;)
    function.erase(at, kAnonymous.size());
  std::string name = function.substr(0, function.find('('));
  if (const auto colons = name.rfind("::"); colons != std::string::npos)
    name = name.substr(colons + 2);
  std::string out;
  for (const char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() ? "unknown" : out;
}

}  // namespace

CrashSample crash_sample(const campaign::CrashInfo& crash, const campaign::Finding& finding) {
  CrashSample sample;
  sample.kind = crash.kind;
  for (const auto& frame : crash.frames)
    if (!frame.symbol.empty()) sample.functions.push_back(campaign::function_of(frame.symbol));
  sample.signature = finding.signature;
  sample.reason = finding.reason;
  return sample;
}

std::string bucket_key(const CrashSample& sample) {
  std::string key = sample.kind;
  for (size_t i = 0; i < sample.functions.size() && i < CrashBuckets::kTopFrames; ++i)
    key += " " + sample.functions[i];
  return key;
}

void CrashBuckets::add(const CrashSample& sample) {
  const std::string key = bucket_key(sample);
  for (auto& bucket : buckets_) {
    if (bucket.key != key) continue;
    ++bucket.count;
    const auto size = [](const CrashSample& s) { return s.input ? s.input->size() : SIZE_MAX; };
    if (size(sample) < size(bucket.smallest)) bucket.smallest = sample;
    return;
  }
  CrashBucket bucket;
  bucket.key = key;
  bucket.id = sample.kind + "-" +
              (sample.functions.empty() ? "unknown" : short_name(sample.functions.front())) + "-" +
              sha256_hex(key).substr(0, 8);
  bucket.smallest = sample;
  bucket.count = 1;
  bucket.first_found_s = sample.found_s;
  buckets_.push_back(std::move(bucket));
}

}  // namespace osh::guestfuzz

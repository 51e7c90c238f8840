#include "harness/stats/histogram_json.h"

#include <stdexcept>
#include <vector>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/stats/base64.h"

namespace osh::stats {
namespace {

void put_varint(std::vector<unsigned char>& out, int64_t value) {
  auto v = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);  // zigzag
  while (v >= 0x80) {
    out.push_back(static_cast<unsigned char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<unsigned char>(v));
}

// nullopt when truncated or longer than ten bytes.
std::optional<int64_t> get_varint(const std::vector<unsigned char>& in, size_t& pos) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return std::nullopt;
    const unsigned char b = in[pos++];
    if (shift == 63 && b > 1) return std::nullopt;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json to_json(const Histogram& h) {
  std::vector<unsigned char> bytes;
  size_t next = 0;  // first bucket not yet written
  h.for_each_bucket([&](const Bucket& b) {
    if (b.index > next) put_varint(bytes, -static_cast<int64_t>(b.index - next));
    // Counts above 2^63 cannot happen in practice (centuries of recording at 1 GHz).
    put_varint(bytes, static_cast<int64_t>(b.count));
    next = b.index + 1;
  });
  const auto& c = h.config();
  return {{"digits", c.digits},     {"lowest", c.lowest},
          {"highest", c.highest},   {"count", h.count()},
          {"min", h.min()},         {"max", h.max()},
          {"clamped", h.clamped()}, {"counts", base64_encode(bytes)}};
}

Histogram histogram_from_json(const nlohmann::json& json, const std::string& origin,
                              const std::string& path) {
  JsonReader r(json, origin, path);
  HistogramConfig config;
  config.digits = static_cast<int>(r.required(r.integer("digits", 1, 5), "digits"));
  config.lowest = r.required(r.unsigned_integer("lowest"), "lowest");
  config.highest = r.required(r.unsigned_integer("highest"), "highest");
  const uint64_t count = r.required(r.unsigned_integer("count"), "count");
  const uint64_t min = r.required(r.unsigned_integer("min"), "min");
  const uint64_t max = r.required(r.unsigned_integer("max"), "max");
  const uint64_t clamped = r.required(r.unsigned_integer("clamped"), "clamped");
  const std::string encoded = r.required(r.string("counts"), "counts");
  r.reject_unknown();

  std::optional<Histogram> h;
  try {
    h.emplace(config);
  } catch (const std::invalid_argument& e) {
    r.fail("highest", std::string("not a valid histogram layout: ") + e.what());
  }
  const auto bytes = base64_decode(encoded);
  if (!bytes) r.fail("counts", "not valid base64");
  std::vector<uint64_t> counts;
  for (size_t pos = 0; pos < bytes->size();) {
    const auto v = get_varint(*bytes, pos);
    if (!v) r.fail("counts", "truncated or overlong number at byte " + std::to_string(pos));
    // A negative number is a run of empty buckets; the layout bounds every index.
    const uint64_t run = *v < 0 ? static_cast<uint64_t>(-(*v + 1)) + 1 : 1;
    if (run > h->bucket_count() - counts.size())
      r.fail("counts", "more buckets than the layout of digits " + std::to_string(config.digits) +
                           ", highest " + std::to_string(config.highest) + " has (" +
                           std::to_string(h->bucket_count()) + ")");
    counts.insert(counts.end(), run, *v < 0 ? 0 : static_cast<uint64_t>(*v));
  }
  try {
    h->restore(counts, min, max, clamped);
  } catch (const std::invalid_argument& e) {
    r.fail("counts", std::string("inconsistent histogram: ") + e.what());
  }
  if (h->count() != count)
    r.fail("count", std::to_string(count) + " but the buckets hold " + std::to_string(h->count()) +
                        " values");
  return std::move(*h);
}

}  // namespace osh::stats

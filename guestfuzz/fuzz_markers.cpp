#include "guestfuzz/fuzz_markers.h"

#include <vector>

#include "os/core/fuzz/base64.h"

namespace osh::guestfuzz {
namespace {

uint64_t unsigned_field(const marker::MarkerEvent& event, size_t index) {
  return index < event.fields.size() ? event.fields[index].u : 0;
}

std::string_view text_field(const marker::MarkerEvent& event, size_t index) {
  return index < event.fields.size() ? event.fields[index].text : std::string_view();
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::vector<uint8_t> bytes(text.size() / 4 * 3 + 3);
  size_t size = 0;
  if (!rayos::base64_decode(text.data(), text.size(), bytes.data(), size)) return std::nullopt;
  return std::string(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
}

std::optional<FuzzMarker> decode_fuzz_marker(const marker::MarkerEvent& event) {
  FuzzMarker m;
  if (event.category != "FUZZ") return m;
  const auto input = [&](size_t index) {
    auto bytes = decode_base64(text_field(event, index));
    if (bytes) m.input = std::move(*bytes);
    return bytes.has_value();
  };
  if (event.event == "NEW") {
    m.kind = FuzzMarker::Kind::New;
    m.elapsed_ms = unsigned_field(event, 0);
    m.edges = unsigned_field(event, 1);
    if (!input(2)) return std::nullopt;
  } else if (event.event == "STATS") {
    m.kind = FuzzMarker::Kind::Stats;
    m.elapsed_ms = unsigned_field(event, 0);
    m.execs = unsigned_field(event, 1);
    m.execs_per_s = unsigned_field(event, 2);
    m.edges = unsigned_field(event, 3);
  } else if (event.event == "CRASH") {
    m.kind = FuzzMarker::Kind::Crash;
    m.elapsed_ms = unsigned_field(event, 0);
    m.execs = unsigned_field(event, 1);
    if (!input(2)) return std::nullopt;
  } else if (event.event == "COVERAGE") {
    m.kind = FuzzMarker::Kind::Coverage;
    m.offset = unsigned_field(event, 0);
    m.count = unsigned_field(event, 1);
  } else if (event.event == "DONE") {
    m.kind = FuzzMarker::Kind::Done;
    m.execs = unsigned_field(event, 0);
    m.edges = unsigned_field(event, 1);
  } else if (event.event == "ERROR") {
    m.kind = FuzzMarker::Kind::Error;
    m.input = std::string(text_field(event, 0));
  }
  return m;
}

}  // namespace osh::guestfuzz

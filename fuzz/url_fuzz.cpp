// rayos's WHATWG URL parser (os/core/web/) compiled for the host, on the same check as the
// guest's `url` fuzz target (os/core/web/url_round_trip.h): an input and an optional base after a
// newline, parsed, serialized, and the serialization reparsed. Nothing may crash or read past
// the bytes (ASan), and a reparse that fails or serializes differently aborts with both strings
// (one rayos rejects as too long for its fixed storage is its documented limit).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "os/core/web/url_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rayos::web::UrlRoundTrip;
  static const auto scratch = std::make_unique<rayos::web::UrlRoundTripScratch>();
  const UrlRoundTrip result = rayos::web::check_url_round_trip(
      rayos::StringView(reinterpret_cast<const char*>(data), size), *scratch);
  if (result == UrlRoundTrip::kReparseFailed || result == UrlRoundTrip::kChanged) {
    const rayos::StringView first = scratch->first.view(), second = scratch->second.view();
    std::fprintf(stderr, "URL round trip: \"%.*s\" reparsed %s \"%.*s\"\n",
                 static_cast<int>(first.size()), first.data(),
                 result == UrlRoundTrip::kChanged ? "to" : "failed; last",
                 static_cast<int>(second.size()), second.data());
    std::abort();
  }
  return 0;
}

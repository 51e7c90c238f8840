#include "os/core/web/url_round_trip.h"

namespace rayos::web {

UrlRoundTrip check_url_round_trip(StringView data, UrlRoundTripScratch& s, uint32_t planted) {
  const size_t separator = data.find(kUrlBaseSeparator);
  const Url* base = nullptr;
  if (separator != StringView::npos) {
    s.base.reset();
    if (parse_url(data.substr(separator + 1), nullptr, s.base, planted) != UrlStatus::kOk)
      return UrlRoundTrip::kRejected;
    base = &s.base;
  }
  s.url.reset();
  if (parse_url(data.substr(0, separator), base, s.url, planted) != UrlStatus::kOk)
    return UrlRoundTrip::kRejected;
  s.first.clear();
  serialize_url(s.url, s.first);
  // Seven components of kComponentCapacity and their delimiters always fit.
  s.reparsed.reset();
  switch (parse_url(s.first.view(), nullptr, s.reparsed, planted)) {
    case UrlStatus::kOk:
      break;
    case UrlStatus::kTooLong:
      return UrlRoundTrip::kReparseTooLong;
    default:
      return UrlRoundTrip::kReparseFailed;
  }
  s.second.clear();
  serialize_url(s.reparsed, s.second);
  return s.second.view() == s.first.view() ? UrlRoundTrip::kStable : UrlRoundTrip::kChanged;
}

}  // namespace rayos::web

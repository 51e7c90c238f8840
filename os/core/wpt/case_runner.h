#pragma once
// Runs one WPT subtest from the data image against rayos's own implementations (os/core/web/)
// and says PASS, FAIL or PRECONDITION_FAILED with a short message, in the words of testharness.js
// where there is one (`assert_equals: href expected "..." but got "..."`).
#include <stddef.h>
#include <stdint.h>

#include "os/core/web/mime_type.h"
#include "os/core/web/text.h"
#include "os/core/web/url.h"
#include "os/core/wpt/image_reader.h"

namespace rayos::wpt {

enum class SubtestStatus : uint8_t { kPass, kFail, kPreconditionFailed };

// The scratch space of a run (several URL records): the caller owns it, so the guest can keep
// one in static storage and nothing here is global.
class CaseRunner {
 public:
  constexpr CaseRunner() = default;
  CaseRunner(const CaseRunner&) = delete;
  CaseRunner& operator=(const CaseRunner&) = delete;

  // `message` is cleared and then explains a FAIL or PRECONDITION_FAILED (empty on PASS).
  SubtestStatus run(const Case& c, web::TextSink& message);

 private:
  SubtestStatus url_parse(const Case& c, web::TextSink& message);
  SubtestStatus url_setter(const Case& c, web::TextSink& message);
  SubtestStatus query_encoding(const Case& c, web::TextSink& message);
  SubtestStatus mime_parse(const Case& c, web::TextSink& message);
  SubtestStatus mime_header(const Case& c, web::TextSink& message);
  SubtestStatus data_url(const Case& c, web::TextSink& message);
  // Compares each expected attribute of url_ in order; the first difference fails.
  SubtestStatus check_attributes(const Case& c, web::TextSink& message);

  web::Url url_;
  web::Url base_;
  web::MimeType mime_;
  web::FixedText<8 * web::Url::kComponentCapacity> got_;
};

}  // namespace rayos::wpt

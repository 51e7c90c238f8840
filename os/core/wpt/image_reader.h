#pragma once
// Reads a WPT data image (image_format.h) without trusting it: every length is checked against
// what is left, the payload against its CRC, and a malformed test or case is an error with a
// reason, never a read past the image.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/wpt/image_format.h"

namespace rayos::wpt {

struct Image {
  uint32_t test_count = 0;
  StringView payload;  // the tests
};

// Checks the header and the payload CRC. On false, `error` says what is wrong (a marker field:
// no spaces).
bool open_image(StringView bytes, Image& out, StringView& error);

// One WPT test: its cases, undecoded.
struct TestBlock {
  uint32_t case_count = 0;
  StringView cases;
  uint32_t crc = 0;  // CRC-32C of the whole test record, for the host to match its manifest
};

class TestCursor {
 public:
  explicit TestCursor(const Image& image) : rest_(image.payload) {}
  // The next test; false at the end (`error` empty) or on a malformed record.
  bool next(TestBlock& out, StringView& error);

 private:
  StringView rest_;
};

struct Expectation {
  StringView attribute;
  StringView value;
};

// One subtest's inputs and expectations, as views into the image.
struct Case {
  static constexpr size_t kMaxExpectations = 16;

  CaseKind kind = CaseKind::kLoad;
  StringView input;
  bool has_base = false;
  StringView base;
  StringView href;
  StringView setter;
  StringView value;
  StringView encoding;
  bool expect_failure = false;
  bool expect_rejection = false;
  Expectation expects[kMaxExpectations];
  size_t expect_count = 0;
  bool has_expect_body = false;
  StringView expect_body;
  bool has_expect_mime = false;
  StringView expect_mime;
};

class CaseCursor {
 public:
  explicit CaseCursor(const TestBlock& test) : rest_(test.cases), left_(test.case_count) {}
  // The next case; false after the last one (`error` empty) or on a malformed record.
  bool next(Case& out, StringView& error);

 private:
  StringView rest_;
  uint32_t left_;
};

}  // namespace rayos::wpt

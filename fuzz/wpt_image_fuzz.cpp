// The guest's WPT path on hostile bytes, compiled for the host: the data image reader
// (os/core/wpt/image_reader.h), then every case it decodes through the case runner, i.e. rayos's
// URL parser, setters, MIME type and data: URL code, then the marker escaping of each message.
// The input is run twice: as an image as it stands (the header and CRC checks), and as a test
// count (its first byte) and payload behind a valid header, so that the fuzzer gets past the CRC
// to the decoders and parsers. Nothing may crash or read past the bytes (ASan), and every
// message must come out as one marker field.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "os/core/crc32c.h"
#include "os/core/wpt/case_runner.h"
#include "os/core/wpt/image_reader.h"
#include "os/core/wpt/message_escape.h"

namespace {

using rayos::StringView;
namespace wpt = rayos::wpt;

constexpr size_t kField = 120;  // what the wpt scenario gives a message

void check(bool ok) {
  if (!ok) std::abort();
}

// Several URL records: static, as in the guest.
wpt::CaseRunner runner;

void run_image(StringView bytes) {
  wpt::Image image;
  StringView error;
  if (!wpt::open_image(bytes, image, error)) {
    check(!error.empty());
    return;
  }
  wpt::TestCursor tests(image);
  wpt::TestBlock test;
  while (tests.next(test, error)) {
    wpt::CaseCursor cases(test);
    wpt::Case c;
    StringView case_error;
    while (cases.next(c, case_error)) {
      rayos::web::FixedText<512> message;
      const wpt::SubtestStatus status = runner.run(c, message);
      check(status != wpt::SubtestStatus::kPass || message.empty());
      rayos::web::FixedText<kField> field;
      wpt::escape_message(message.view(), field, kField);
      check(field.size() <= kField);
      for (const char ch : field.view()) check(ch > ' ' && ch < 0x7F && ch != ':' && ch != '#');
    }
  }
}

void put_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* bytes = reinterpret_cast<const char*>(data);
  run_image(StringView(bytes, size));
  if (size == 0) return 0;
  std::string image(wpt::kHeaderBytes, '\0');
  std::memcpy(image.data(), wpt::kImageMagic, sizeof wpt::kImageMagic);
  put_u32(image, 8, wpt::kImageVersion);
  put_u32(image, 12, static_cast<uint8_t>(bytes[0]));
  put_u32(image, 16, static_cast<uint32_t>(size - 1));
  put_u32(image, 20, rayos::crc32c(bytes + 1, size - 1));
  image.append(bytes + 1, size - 1);
  run_image(StringView(image.data(), image.size()));
  return 0;
}

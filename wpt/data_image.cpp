#include "wpt/data_image.h"

#include <limits>

#include "harness/base/errors.h"
#include "os/core/crc32c.h"

namespace osh::wpt {
namespace {

void put_u32(std::string& out, uint64_t v, const std::string& what) {
  if (v > std::numeric_limits<uint32_t>::max())
    throw InputError(what + " is too large for the WPT data image (4 GiB)");
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

DataImage build_data_image(const std::vector<WptTest>& tests) {
  DataImage image;
  std::string payload;
  for (const auto& test : tests) {
    std::string body;
    put_u32(body, test.subtests.size(), test.id);
    for (const auto& subtest : test.subtests) {
      const auto& c = subtest.guest;
      if (c.fields.size() > 255)
        throw InputError(test.id + ": subtest \"" + subtest.name + "\" has too many fields");
      body += static_cast<char>(c.kind);
      body += static_cast<char>(c.fields.size());
      for (const auto& [tag, value] : c.fields) {
        body += static_cast<char>(tag);
        put_u32(body, value.size(), test.id);
        body += value;
      }
    }
    std::string record;
    put_u32(record, body.size(), test.id);
    record += body;
    image.test_crcs.push_back(rayos::crc32c(record.data(), record.size()));
    payload += record;
  }
  image.bytes.assign(rayos::wpt::kImageMagic, sizeof rayos::wpt::kImageMagic);
  put_u32(image.bytes, rayos::wpt::kImageVersion, "version");
  put_u32(image.bytes, tests.size(), "the test count");
  put_u32(image.bytes, payload.size(), "the image");
  put_u32(image.bytes, rayos::crc32c(payload.data(), payload.size()), "crc");
  image.bytes.append(8, '\0');
  image.bytes += payload;
  return image;
}

}  // namespace osh::wpt

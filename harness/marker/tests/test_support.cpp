#include "harness/marker/tests/test_support.h"

#include <cstdio>
#include <sstream>

#include "os/core/crc32c.h"

namespace osh::marker::testing {

const Schema& test_schema() {
  static const Schema schema = Schema::load(data_dir() / "test.schema.json");
  return schema;
}

std::string hex8(uint32_t value, bool upper) {
  char buf[9];
  std::snprintf(buf, sizeof buf, upper ? "%08X" : "%08x", value);
  return buf;
}

std::string with_crc(std::string_view body, uint64_t seq, bool upper) {
  const std::string marker = "RAYOS_" + std::string(body);
  return marker + " #" + std::to_string(seq) + "*" +
         hex8(rayos::crc32c(marker.data(), marker.size()), upper);
}

std::string with_seq(std::string_view body, uint64_t seq) {
  return "RAYOS_" + std::string(body) + " #" + std::to_string(seq);
}

std::string generated_log(const LogGenOptions& options) {
  std::ostringstream out;
  generate_console_log(test_schema(), options, out);
  return std::move(out).str();
}

}  // namespace osh::marker::testing

#pragma once
// Helpers shared by the marker tests. Expected values are built independently of the code
// under test: CRCs with rayos::crc32c, the schema from tests/data.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "harness/marker/console_log_gen.h"
#include "harness/marker/schema.h"

namespace osh::marker::testing {

inline std::filesystem::path data_dir() { return OSH_MARKER_TEST_DATA; }
inline std::filesystem::path real_logs_dir() { return OSH_REAL_LOGS; }

const Schema& test_schema();

std::string hex8(uint32_t value, bool upper = false);
// "RAYOS_<body> #<seq>*<crc>" with the CRC of "RAYOS_<body>" from rayos::crc32c.
std::string with_crc(std::string_view body, uint64_t seq, bool upper = false);
// "RAYOS_<body> #<seq>".
std::string with_seq(std::string_view body, uint64_t seq);

// The generator's log of the test schema, as a string.
std::string generated_log(const LogGenOptions& options);

}  // namespace osh::marker::testing

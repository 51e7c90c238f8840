#pragma once
// Types shared by the line parser and the stream (see marker_stream.h).
#include <cstddef>
#include <cstdint>

namespace osh::marker {

enum class LineKind : uint8_t {
  Noise,      // no marker on the line
  Marker,     // a valid marker (delivered to on_marker)
  Malformed,  // looks like a marker but breaks the grammar or the schema
  Corrupt,    // a well-formed marker whose CRC-32C does not match
};

struct StreamOptions {
  size_t max_line_bytes = 64 * 1024;  // longer lines are cut and counted as truncated noise
  size_t max_problems_kept = 1000;    // LineProblem entries kept; the counts keep counting
  bool require_seq = false;           // a marker without " #seq" is malformed
  bool require_crc = false;           // a marker without "*crc" is malformed
};

}  // namespace osh::marker

#pragma once
// The gate's Markdown, for a pull-request comment: the verdict line, then regressions and new
// failures, then improvements; everything else folded into <details>. Bounded in size whatever
// the input (kMaxLeadRows rows per leading table, kMaxDetailRows in the full table).
#include <cstddef>
#include <ostream>

#include "reports/gate/gate.h"

namespace osh::gate {

inline constexpr size_t kMaxLeadRows = 50;
inline constexpr size_t kMaxDetailRows = 200;

void write_markdown(const GateResult& result, std::ostream& out);

}  // namespace osh::gate

#pragma once
// The gate as JUnit XML for CI dashboards: one testsuite per spec, one testcase per compared
// metric (a regression is a failure, an inconclusive comparison is skipped) and one "verdicts"
// testcase per spec that fails on a new failure.
#include <ostream>

#include "reports/gate/gate.h"

namespace osh::gate {

void write_junit(const GateResult& result, std::ostream& out);

}  // namespace osh::gate

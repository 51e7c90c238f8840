#pragma once
// What the perf folder adds to osharness: the perf analyzer (latency histograms per operation,
// throughput, memory).
#include "harness/campaign/plugins.h"

namespace osh::perf {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::perf

#include "perf/plugin.h"

#include "perf/perf_analyzer.h"

namespace osh::perf {

void register_plugin(campaign::Plugins& plugins) {
  plugins.analyzers.push_back(perf_analyzer_info());
}

}  // namespace osh::perf

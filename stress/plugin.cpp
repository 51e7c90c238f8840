#include "stress/plugin.h"

#include "stress/stress_analyzer.h"

namespace osh::stress {

void register_plugin(campaign::Plugins& plugins) {
  plugins.analyzers.push_back(stress_analyzer_info());
}

}  // namespace osh::stress

#include "soak/plugin.h"

#include "soak/soak_analyzer.h"

namespace osh::soak {

void register_plugin(campaign::Plugins& plugins) {
  plugins.analyzers.push_back(soak_analyzer_info());
}

}  // namespace osh::soak

#include "harness/analysis/testing.h"

#include <fstream>
#include <map>
#include <stdexcept>

#include "harness/campaign/criteria.h"
#include "harness/campaign/judge.h"
#include "harness/vm/qemu/qemu_backend.h"

namespace osh::analysis::testing {

campaign::RunResult analyze(campaign::Analyzer& analyzer, const std::string& console) {
  static const marker::Schema schema = marker::Schema::parse(kTestSchema, "test schema");
  return analyze(analyzer, schema, console);
}

const marker::Schema& relaxed_schema(const std::string& path) {
  static std::map<std::string, marker::Schema> loaded;
  auto it = loaded.find(path);
  if (it == loaded.end()) {
    auto json = nlohmann::json::parse(std::ifstream(path));
    json["require_seq"] = false;
    json["require_crc"] = false;
    it = loaded.emplace(path, marker::Schema::parse(json.dump(), path)).first;
  }
  return it->second;
}

campaign::RunResult analyze(campaign::Analyzer& analyzer, const marker::Schema& schema,
                            const std::string& console) {
  marker::MarkerStream stream(schema);
  stream.add_observer(&analyzer);
  stream.feed(console, 1);
  stream.finish(2);
  if (stream.counts().malformed || stream.counts().corrupt)
    throw std::logic_error("the test's console text has bad markers");
  campaign::RunResult r;
  analyzer.finish(r);
  campaign::decide_verdict(r);
  return r;
}

campaign::Plugins plugins_with(void (*register_plugin)(campaign::Plugins&)) {
  campaign::Plugins plugins;
  plugins.backends.push_back(vm::qemu::qemu_backend());
  register_plugin(plugins);
  return plugins;
}

bool criterion_holds(const campaign::RunResult& result, const std::string& text) {
  return campaign::evaluate(campaign::parse_criterion(text, "test"), result.metrics).passed;
}

std::string undeclared_metrics(const campaign::RunResult& result,
                               const campaign::AnalyzerInfo& analyzer) {
  const auto declared = [&](const std::string& name) {
    for (const auto* list : {&campaign::base_metrics(), &analyzer.metrics})
      for (const auto& m : *list)
        if (campaign::metric_matches(m, name)) return true;
    return false;
  };
  std::string out;
  for (const auto& [name, value] : result.metrics)
    if (!declared(name)) out += name + " ";
  return out;
}

}  // namespace osh::analysis::testing

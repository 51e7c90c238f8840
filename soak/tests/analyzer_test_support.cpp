#include "soak/tests/analyzer_test_support.h"

#include <stdexcept>

#include "harness/campaign/criteria.h"
#include "harness/campaign/runner.h"

namespace osh::soak::testing {

campaign::RunResult analyze(campaign::Analyzer& analyzer, const std::string& console) {
  static const marker::Schema schema = marker::Schema::parse(kTestSchema, "test schema");
  return analyze(analyzer, schema, console);
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

bool criterion_holds(const campaign::RunResult& result, const std::string& text) {
  return campaign::evaluate(campaign::parse_criterion(text, "test"), result.metrics).passed;
}

std::string undeclared_metrics(const campaign::RunResult& result) {
  std::string out;
  for (const auto& [name, value] : result.metrics)
    if (!campaign::find_metric(name)) out += name + " ";
  return out;
}

}  // namespace osh::soak::testing

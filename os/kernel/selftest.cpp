#include "os/kernel/selftest.h"

#include "os/kernel/console.h"
#include "os/kernel/process.h"

namespace rayos::kernel {

void TestRunner::run(const SelfTest* tests, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    emit<markers::kTestStart>(tests[i].name);
    TestContext context;
    tests[i].run(context);
    if (size_t left = reap_children(); left != 0)
      context.fail().add("left_").add(uint64_t{left}).add("_processes_running");
    if (context.failed()) {
      ++failed_;
      emit<markers::kTestFail>(tests[i].name, context.reason());
    } else {
      ++passed_;
      emit<markers::kTestPass>(tests[i].name);
    }
  }
}

uint64_t TestRunner::finish() {
  emit<markers::kTestSummary>(passed_, failed_);
  return failed_;
}

}  // namespace rayos::kernel

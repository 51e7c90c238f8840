// hello: a few steps, each timed with the TSC; the smallest complete run.
#include "os/arch/x86_64/cpu.h"
#include "os/core/crc32c.h"
#include "os/core/prng.h"
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr uint32_t kSteps = 3;

uint32_t run(const kernel::ScenarioContext& context) {
  // Each step checksums a buffer of seeded bytes: real work whose duration is the step's value.
  Prng prng(context.seed);
  uint64_t buffer[512];
  uint32_t crc = 0;
  for (uint32_t step = 0; step < kSteps; ++step) {
    uint64_t start = arch::rdtsc();
    for (uint64_t& word : buffer) word = prng.next();
    crc = crc32c(buffer, sizeof(buffer), crc);
    uint64_t cycles = arch::rdtsc() - start;
    kernel::emit<markers::kHelloStep>(uint64_t{step}, cycles);
  }
  asm volatile("" : : "r"(crc));  // the checksum is the work; keep it
  return 0;
}

}  // namespace

const kernel::Scenario kHello = kernel::make_scenario("hello", run);

}  // namespace rayos::workloads

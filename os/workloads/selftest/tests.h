#pragma once
// The in-guest tests, by area; os/workloads/selftest.cpp runs them in this order.
#include <stddef.h>

#include "os/kernel/selftest.h"

namespace rayos::workloads::selftest {

struct TestGroup {
  const kernel::SelfTest* tests;
  size_t count;
};

extern const TestGroup kMemoryTests;
extern const TestGroup kProcessTests;
extern const TestGroup kIpcTests;
extern const TestGroup kWorkflowTests;

}  // namespace rayos::workloads::selftest

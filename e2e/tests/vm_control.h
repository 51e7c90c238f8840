#pragma once
// What the e2e hooks' tests hand to tick(): one VM that is never restarted.
#include "harness/campaign/run_hook.h"

namespace osh::e2e::testing {

class VmControl final : public campaign::RunControl {
 public:
  explicit VmControl(vm::Vm& vm) : vm_(vm) {}
  vm::Vm& vm() override { return vm_; }
  std::vector<uint64_t> restart() override { return {}; }

 private:
  vm::Vm& vm_;
};

}  // namespace osh::e2e::testing

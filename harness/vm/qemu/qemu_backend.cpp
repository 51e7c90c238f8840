#include "harness/vm/qemu/qemu_backend.h"

#include "harness/vm/qemu/qemu_options.h"
#include "harness/vm/qemu/qemu_vm.h"

namespace osh::vm::qemu {

VmBackend qemu_backend() {
  return {"qemu",
          "a qemu-system-x86_64 process per VM, its console and QMP monitor on unix sockets",
          [](JsonReader& guest, std::vector<std::string>& warnings) {
            return std::make_shared<const QemuOptions>(parse_qemu_options(guest, warnings));
          },
          // `options` is what parse above returned (the registry pairs the two).
          [](const VmConfig& config, const BackendOptions& options) -> std::unique_ptr<Vm> {
            return std::make_unique<QemuVm>(config, static_cast<const QemuOptions&>(options));
          }};
}

}  // namespace osh::vm::qemu

#include "harness/vm/libvirt/libvirt_backend.h"

#include "harness/vm/libvirt/libvirt_options.h"
#include "harness/vm/libvirt/libvirt_vm.h"

namespace osh::vm::libvirt {

VmBackend libvirt_backend() {
  return {"libvirt",
          "a transient libvirt domain per VM (guest.libvirt.uri, default qemu:///system), its "
          "console on a unix socket, QMP through libvirt",
          [](JsonReader& guest, std::vector<std::string>& warnings) {
            return std::make_shared<const LibvirtOptions>(parse_libvirt_options(guest, warnings));
          },
          // `options` is what parse above returned (the registry pairs the two).
          [](const VmConfig& config, const BackendOptions& options) -> std::unique_ptr<Vm> {
            return std::make_unique<LibvirtVm>(config, static_cast<const LibvirtOptions&>(options));
          }};
}

}  // namespace osh::vm::libvirt

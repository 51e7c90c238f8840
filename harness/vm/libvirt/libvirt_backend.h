#pragma once
// The libvirt backend as the registry sees it: name "libvirt", options from guest.qemu and
// guest.libvirt.
#include "harness/vm/backend.h"

namespace osh::vm::libvirt {

VmBackend libvirt_backend();

}  // namespace osh::vm::libvirt

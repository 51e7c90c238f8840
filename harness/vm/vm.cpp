#include "harness/vm/vm.h"

namespace osh::vm {

std::string_view to_string(Accel accel) {
  switch (accel) {
    case Accel::Tcg:
      return "tcg";
    case Accel::Kvm:
      return "kvm";
  }
  return "unknown";
}

}  // namespace osh::vm

#include "paths.h"

#include "harness/base/errors.h"

namespace osh {

std::filesystem::path install_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw InfraError(errno_message("cannot read /proc/self/exe", ec.value()));
  return exe.parent_path();
}

}  // namespace osh

#include "paths.h"

#include "harness/base/errors.h"

namespace osh {

std::filesystem::path install_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw InfraError(errno_message("cannot read /proc/self/exe", ec.value()));
  return exe.parent_path();
}

bool path_within(const std::filesystem::path& path, const std::filesystem::path& folder) {
  std::error_code ec;
  const auto resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  if (ec) return false;
  const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(folder), ec);
  if (ec) return false;
  auto p = resolved.begin();
  for (auto f = root.begin(); f != root.end(); ++f, ++p) {
    if (f->empty()) continue;  // the empty last part of a folder named with a trailing '/'
    if (p == resolved.end() || *p != *f) return false;
  }
  return true;
}

}  // namespace osh

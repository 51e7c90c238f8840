// read_bundle, which `osharness repro` uses on a repro.json a user was handed, on arbitrary
// bytes: a bundle, or an osh::InputError naming the file. Any other exception escapes and
// libFuzzer reports it.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/campaign/repro_bundle.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// The bundle lives in a memfd, named by /proc/self/fd: no files left behind.
const std::filesystem::path& bundle_path() {
  static const std::filesystem::path path = [] {
    const int fd = memfd_create("repro.json", MFD_CLOEXEC);
    check(fd >= 0);
    return std::filesystem::path("/proc/self/fd") / std::to_string(fd);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path& path = bundle_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    check(bool(out));
  }
  try {
    (void)osh::campaign::read_bundle(path);
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, path.string().size()) == path.string());
  }
  return 0;
}

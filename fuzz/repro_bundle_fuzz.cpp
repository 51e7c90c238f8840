// read_bundle, which `osharness repro` uses on a repro.json a user was handed, on arbitrary
// bytes: a bundle, or an osh::InputError naming the file. Any other exception escapes and
// libFuzzer reports it.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz/memfd_file.h"
#include "harness/base/errors.h"
#include "harness/campaign/repro_bundle.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The bundle lives in a memfd (fuzz/memfd_file.h).
  static const std::filesystem::path path = osh::fuzz::memfd_path("repro.json");
  osh::fuzz::replace_contents(path, data, size);
  try {
    (void)osh::campaign::read_bundle(path);
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, path.string().size()) == path.string());
  }
  return 0;
}

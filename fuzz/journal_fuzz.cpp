// read_campaign, which `osharness report` and `osharness gate` use on a journal.jsonl, on
// arbitrary bytes: the campaign's records (a torn last line only warned about), or an
// osh::InputError naming the journal. Any other exception escapes and libFuzzer reports it.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/campaign/campaign.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// The journal lives in a memfd, named by /proc/self/fd: no files left behind.
const std::filesystem::path& journal_path() {
  static const std::filesystem::path path = [] {
    const int fd = memfd_create("journal.jsonl", MFD_CLOEXEC);
    check(fd >= 0);
    return std::filesystem::path("/proc/self/fd") / std::to_string(fd);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path& path = journal_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    check(bool(out));
  }
  try {
    const osh::campaign::CampaignOutcome outcome = osh::campaign::read_campaign(path);
    for (size_t i = 1; i < outcome.runs.size(); ++i) {
      check(outcome.runs[i - 1].index <= outcome.runs[i].index);
    }
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, path.string().size()) == path.string());
  }
  return 0;
}

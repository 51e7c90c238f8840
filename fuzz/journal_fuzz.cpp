// read_campaign, which `osharness report` and `osharness gate` use on a journal.jsonl, on
// arbitrary bytes: the campaign's records (a torn last line only warned about), or an
// osh::InputError naming the journal. Any other exception escapes and libFuzzer reports it.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz/memfd_file.h"
#include "harness/base/errors.h"
#include "harness/campaign/campaign.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The journal lives in a memfd (fuzz/memfd_file.h).
  static const std::filesystem::path path = osh::fuzz::memfd_path("journal.jsonl");
  osh::fuzz::replace_contents(path, data, size);
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

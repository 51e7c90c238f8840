// Expectations::load (wpt/expectations.h) on arbitrary bytes as one wptrunner metadata file
// (wpt/meta/url/url-origin.any.js.ini, which users edit by hand): either an osh::InputError that
// names the file, or expectations whose every answer is a non-empty status list.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "wpt/expectations.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// One private folder per process, reused by every input.
const std::filesystem::path& meta_dir() {
  static const std::filesystem::path dir = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wpt-meta-fuzz-XXXXXX").string();
    check(mkdtemp(tmpl.data()) != nullptr);
    std::filesystem::create_directories(std::filesystem::path(tmpl) / "url");
    return std::filesystem::path(tmpl);
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = meta_dir() / "url/url-origin.any.js.ini";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto e = osh::wpt::Expectations::load(
        meta_dir(), {{"product", "rayos"}, {"os", "rayos"}, {"debug", false}});
    check(!e.for_test("/url/url-origin.any.html").empty());
    check(!e.for_subtest("/url/url-origin.any.html", "Loading data\xE2\x80\xA6").empty());
    e.disabled("/url/url-origin.any.html");
  } catch (const osh::InputError& err) {
    check(std::string_view(err.what()).find(file.string()) != std::string_view::npos);
  }
  return 0;
}

#include "guestfuzz/corpus_dir.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/sha256.h"
#include "harness/base/unique_fd.h"

namespace osh::guestfuzz {
namespace {

// Inputs are named by their SHA-256; anything else is not ours (atomic_write's temporary files of
// a run writing beside us, an editor's backup).
bool is_input_name(const std::string& name) {
  return name.size() == 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void make_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    throw InfraError("cannot create the fuzz corpus folder " + folder.string() + ": " +
                     ec.message() + " (check fuzz.corpus_dir in the spec)");
}

}  // namespace

std::string corpus_image(const std::vector<std::string>& inputs) {
  std::string out = "OSHFUZZ1";
  const auto count = static_cast<uint32_t>(inputs.size());
  for (int i = 0; i < 4; ++i) out += static_cast<char>(count >> (8 * i));
  for (const auto& input : inputs) {
    const size_t size = std::min(input.size(), size_t{0xffff});
    out += static_cast<char>(size & 0xff);
    out += static_cast<char>(size >> 8);
    out.append(input, 0, size);
  }
  return out;
}

CorpusDir::CorpusDir(std::filesystem::path root) : root_(std::move(root)) {
  make_folder(root_ / "corpus");
}

std::vector<std::string> CorpusDir::inputs() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(root_ / "corpus"))
    if (entry.is_regular_file() && is_input_name(entry.path().filename().string()))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InfraError("cannot read the fuzz corpus file " + file.string());
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

bool CorpusDir::add(const std::string& input) const {
  const auto path = root_ / "corpus" / sha256_hex(input);
  if (std::filesystem::exists(path)) return false;
  atomic_write(path, input);
  return true;
}

std::filesystem::path CorpusDir::crash_folder(const std::string& bucket_id) const {
  const auto folder = root_ / "crashes" / bucket_id;
  make_folder(folder);
  return folder;
}

CorpusDir::KeptCrash CorpusDir::keep_smallest(
    const std::string& bucket_id, const std::string& input,
    const std::function<void(const std::filesystem::path& folder)>& write_bundle) const {
  const auto folder = crash_folder(bucket_id);
  // flock on the folder itself: released when the descriptor closes, also if osharness dies.
  const UniqueFd lock(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  int result = lock ? 0 : -1;
  while (lock && (result = ::flock(lock.get(), LOCK_EX)) != 0 && errno == EINTR) {
  }
  if (result != 0)
    throw InfraError(
        errno_message("cannot lock the crash bucket folder " + folder.string(), errno));
  const auto path = folder / "input";
  std::error_code ec;
  const auto kept = std::filesystem::file_size(path, ec);
  if (!ec && kept <= input.size()) return {path, static_cast<size_t>(kept), false};
  atomic_write(path, input);
  write_bundle(folder);
  return {path, input.size(), true};
}

}  // namespace osh::guestfuzz

#pragma once
// A fuzz campaign's corpus folder, kept across runs (docs/fuzz-campaigns.md): corpus/ holds one
// file per input that reached new coverage, named by the SHA-256 of its bytes (so parallel runs
// sharing the folder never clash and a known input is not stored twice); crashes/<bucket>/ holds
// each crash bucket's smallest input and its repro bundle. Every new VM boots with the corpus
// as its initrd (os/core/fuzz/corpus.h is the image format).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace osh::guestfuzz {

// The guest's limit (os/core/fuzz/corpus.h, kMaxFuzzInput): longer files are cut by the guest.
inline constexpr size_t kMaxInputBytes = 84;

// The image the guest reads: "OSHFUZZ1", u32 count, then u16 length + bytes per input.
std::string corpus_image(const std::vector<std::string>& inputs);

class CorpusDir {
 public:
  // Creates the folder (and corpus/) if missing. Throws osh::InfraError when it cannot.
  explicit CorpusDir(std::filesystem::path root);

  // The inputs in corpus/ (files named by a SHA-256, others are skipped), in file-name order
  // (stable across runs and hosts). Throws osh::InfraError naming a file that cannot be read.
  std::vector<std::string> inputs() const;
  // Stores `input` unless an equal one is there; true when it was new.
  bool add(const std::string& input) const;
  // Where a crash bucket's files go (created).
  std::filesystem::path crash_folder(const std::string& bucket_id) const;

  // Makes `input` the bucket's input unless its folder keeps one as small, and then calls
  // `write_bundle(folder)` to write the bundle that replays it. The folder is locked meanwhile:
  // runs sharing the corpus folder (parallel jobs, other osharness processes) that find the same
  // bucket leave its smallest input with that input's own bundle. Throws osh::InfraError when the
  // folder cannot be created, locked or written.
  struct KeptCrash {
    std::filesystem::path input;  // the bucket's input file
    size_t bytes = 0;             // its size
    bool ours = false;            // `input` was kept (else an earlier one as small stays)
  };
  KeptCrash keep_smallest(
      const std::string& bucket_id, const std::string& input,
      const std::function<void(const std::filesystem::path& folder)>& write_bundle) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace osh::guestfuzz

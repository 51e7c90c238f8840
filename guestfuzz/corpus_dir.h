#pragma once
// A fuzz campaign's corpus folder, kept across runs (docs/fuzz-campaigns.md): corpus/ holds one
// file per input that reached new coverage, named by the SHA-256 of its bytes (so parallel runs
// sharing the folder never clash and a known input is not stored twice); crashes/<bucket>/ holds
// each crash bucket's smallest input and its repro bundle. Every new VM boots with the corpus
// as its initrd (os/core/fuzz/corpus.h is the image format).
#include <filesystem>
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

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace osh::guestfuzz

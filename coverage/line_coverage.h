#pragma once
// Line coverage of a guest run (docs/fuzz-campaigns.md, "Line coverage" and "Coverage of any
// scenario"), for the fuzz hook's FUZZ:COVERAGE and the coverage hook's COVERAGE:BLOCK: every block
// the compiler instrumented in the kernel ELF — each is a call to the trace-pc callback, found in
// .text whether it ran or not — with its source line from the DWARF line table and its
// function from the symbol table. The guest's FUZZ:COVERAGE counts are added per block; out come
// an lcov tracefile and a summary per source file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace osh::coverage {

struct CoverageSite {
  uint64_t address = 0;  // of the call instruction
  std::string file;      // "" when the line table does not cover it
  int line = 0;
  std::string function;  // mangled, "" when no symbol covers it
  uint64_t count = 0;
};

struct FileCoverage {
  std::string file;
  size_t lines_found = 0, lines_hit = 0;
  size_t functions_found = 0, functions_hit = 0;
};

class LineCoverage {
 public:
  // Throws osh::InputError naming `elf` when it cannot be read or was not built with the fuzz
  // coverage (no trace-pc callback, no .text, no DWARF line table).
  explicit LineCoverage(const std::filesystem::path& elf);

  // `count` runs of the block whose call returns into the 4-byte granule `offset` bytes into
  // .text (os/core/fuzz/site_counts.h). False when no call site returns there.
  bool add(uint64_t offset, uint64_t count);
  // Adds the counts of `other`, read from the same kernel; false (and nothing added) when it
  // was read from another.
  bool add_counts(const LineCoverage& other);

  const std::vector<CoverageSite>& sites() const { return sites_; }
  // The lcov tracefile (TN, SF, FN/FNDA/FNF/FNH, DA/LF/LH, end_of_record per source file):
  // a line's count is the most any block starting on it ran, a function's that of its first
  // block.
  std::string lcov(const std::string& test_name) const;
  // Per source file, sorted by path.
  std::vector<FileCoverage> files() const;
  // For report.json: {tracefile, lines_found, lines_hit, files: [{file, lines_found, lines_hit,
  // functions_found, functions_hit}]}.
  nlohmann::json summary(const std::filesystem::path& tracefile) const;

  struct FileLines {
    std::map<int, uint64_t> lines;  // line -> count
    // mangled name -> (the line defining it, the count of its first block)
    std::map<std::string, std::pair<int, uint64_t>> functions;
  };

 private:
  std::map<std::string, FileLines> by_file() const;

  uint64_t text_start_ = 0;
  std::vector<CoverageSite> sites_;  // by address
  std::unordered_map<uint64_t, size_t> by_granule_;
  // mangled name -> where it is defined (file, line)
  std::unordered_map<std::string, std::pair<std::string, int>> definitions_;
};

}  // namespace osh::coverage

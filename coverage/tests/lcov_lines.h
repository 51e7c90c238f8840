#pragma once
// Test helper: the DA (line, count) records of the source files of an lcov tracefile whose path
// ends with a suffix, summed when several files match.
#include <cstdint>
#include <map>
#include <sstream>
#include <string>

namespace osh::coverage::testing {

inline std::map<int, uint64_t> lcov_lines(const std::string& tracefile, const std::string& suffix) {
  std::map<int, uint64_t> lines;
  std::istringstream in(tracefile);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("SF:", 0) == 0)
      inside = line.size() >= suffix.size() && line.ends_with(suffix);
    else if (inside && line.rfind("DA:", 0) == 0)
      lines[std::stoi(line.substr(3))] += std::stoull(line.substr(line.find(',') + 1));
  }
  return lines;
}

}  // namespace osh::coverage::testing

#pragma once
// The recorded QEMU 7.2 QMP session of tests/data, as (direction, JSON text) lines.
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace osh::vm::qemu::testing {

struct TranscriptLine {
  bool from_qemu;    // "<-" (received) or "->" (sent by the client)
  std::string text;  // one JSON object
};

inline std::vector<TranscriptLine> load_transcript() {
  const std::string path = std::string(OSH_VM_TEST_DATA) + "/qmp_session_qemu-7.2.22.txt";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<TranscriptLine> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("<- ", 0) == 0) lines.push_back({true, line.substr(3)});
    if (line.rfind("-> ", 0) == 0) lines.push_back({false, line.substr(3)});
  }
  return lines;
}

}  // namespace osh::vm::qemu::testing

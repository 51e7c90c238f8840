#pragma once
// Turns guest code addresses into "function+0xoffset" from the guest ELF's symbol table, so
// that a PANIC names the function that faulted.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace osh::campaign {

class Symbolizer {
 public:
  // Reads the function symbols of `elf`. Throws osh::InputError if it is not a readable ELF.
  explicit Symbolizer(const std::filesystem::path& elf);

  // "rayos_fault_null_dereference+0x12" (demangled), or "" when no function covers `address`.
  // A return address is looked up one byte back: a call as a function's last instruction
  // returns to the start of the next function.
  std::string symbolize(uint64_t address, bool is_return_address = false) const;

  struct Function {
    uint64_t start;
    uint64_t size;
    std::string name;     // demangled
    std::string mangled;  // as in the symbol table (lcov's FN records)
  };
  // The function covering `address` (nullopt: none).
  std::optional<Function> function_at(uint64_t address) const;
  // The address of the function whose symbol is `mangled` (nullopt: none).
  std::optional<uint64_t> address_of(const std::string& mangled) const;

 private:
  std::vector<Function> functions_;  // sorted by start
};

}  // namespace osh::campaign

#include "harness/campaign/symbolizer.h"

#include <cxxabi.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

std::string demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(
      abi::__cxa_demangle(name, nullptr, nullptr, &status), &std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(name);
}

}  // namespace

Symbolizer::Symbolizer(const std::filesystem::path& elf) {
  const int fd = ::open(elf.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(errno_message("cannot read guest ELF " + elf.string(), errno));
  elf_version(EV_CURRENT);
  Elf* e = elf_begin(fd, ELF_C_READ, nullptr);
  const auto cleanup = [&] {
    if (e) elf_end(e);
    ::close(fd);
  };
  if (!e || elf_kind(e) != ELF_K_ELF) {
    cleanup();
    throw InputError(elf.string() + ": not an ELF file (" + elf_errmsg(-1) + ")");
  }
  for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data) continue;
    const size_t count = shdr.sh_size / shdr.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
      if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_value == 0) continue;
      const char* name = elf_strptr(e, shdr.sh_link, sym.st_name);
      if (name && *name) functions_.push_back({sym.st_value, sym.st_size, demangle(name), name});
    }
  }
  cleanup();
  std::sort(functions_.begin(), functions_.end(),
            [](const Function& a, const Function& b) { return a.start < b.start; });
}

std::optional<Symbolizer::Function> Symbolizer::function_at(uint64_t address) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), address,
                             [](uint64_t a, const Function& f) { return a < f.start; });
  if (it == functions_.begin()) return std::nullopt;
  --it;
  // Symbols without a size (hand-written assembly) cover up to the next symbol.
  const uint64_t end = it->size ? it->start + it->size
                                : (std::next(it) != functions_.end() ? std::next(it)->start : 0);
  if (address >= end) return std::nullopt;
  return *it;
}

std::optional<uint64_t> Symbolizer::address_of(const std::string& mangled) const {
  for (const auto& f : functions_)
    if (f.mangled == mangled) return f.start;
  return std::nullopt;
}

std::string Symbolizer::symbolize(uint64_t address, bool is_return_address) const {
  const auto function = function_at(is_return_address && address > 0 ? address - 1 : address);
  if (!function) return "";
  char offset[24];
  std::snprintf(offset, sizeof offset, "+0x%llx",
                static_cast<unsigned long long>(address - function->start));
  return function->name + offset;
}

}  // namespace osh::campaign

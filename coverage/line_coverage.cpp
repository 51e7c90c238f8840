#include "coverage/line_coverage.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "harness/base/errors.h"
#include "harness/campaign/symbolizer.h"
#include "os/core/fuzz/site_counts.h"

namespace osh::coverage {
namespace {

constexpr const char* kCallback = "__sanitizer_cov_trace_pc";
constexpr uint8_t kCallRel32 = 0xe8;
constexpr uint64_t kCallBytes = 5;

// Owns the open ELF and its DWARF view.
class ElfFile {
 public:
  explicit ElfFile(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(errno_message("cannot read guest ELF " + path.string(), errno));
    elf_version(EV_CURRENT);
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF) fail("not an ELF file");
    dwarf_ = dwarf_begin_elf(elf_, DWARF_C_READ, nullptr);
    if (!dwarf_) fail("no DWARF debug information (build rayos with -g)");
  }
  ~ElfFile() {
    if (dwarf_) dwarf_end(dwarf_);
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
  }
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(path_.string() + ": " + what + ", so no line coverage");
  }

  // The .text section's address and bytes.
  std::pair<uint64_t, std::string_view> text() const {
    size_t names = 0;
    elf_getshdrstrndx(elf_, &names);
    for (Elf_Scn* scn = elf_nextscn(elf_, nullptr); scn; scn = elf_nextscn(elf_, scn)) {
      GElf_Shdr shdr;
      if (!gelf_getshdr(scn, &shdr)) continue;
      const char* name = elf_strptr(elf_, names, shdr.sh_name);
      if (!name || std::strcmp(name, ".text") != 0) continue;
      Elf_Data* data = elf_getdata(scn, nullptr);
      if (!data || !data->d_buf) break;
      return {shdr.sh_addr, {static_cast<const char*>(data->d_buf), data->d_size}};
    }
    fail("no .text section");
  }

  // The source line of the instruction at `address` (a relative path is taken from the
  // compilation's folder).
  std::pair<std::string, int> line_of(uint64_t address) const {
    Dwarf_Die cu;
    if (!dwarf_addrdie(dwarf_, address, &cu)) return {"", 0};
    Dwarf_Line* line = dwarf_getsrc_die(&cu, address);
    int number = 0;
    const char* file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
    if (!file || dwarf_lineno(line, &number) != 0) return {"", 0};
    return {in_folder_of(cu, file), number};
  }

  // Where the function starting at `address` is defined (its outermost subprogram's
  // declaration), or ("", 0).
  std::pair<std::string, int> definition_of(uint64_t address) const {
    Dwarf_Die cu;
    if (!dwarf_addrdie(dwarf_, address, &cu)) return {"", 0};
    Dwarf_Die* scopes = nullptr;
    const int n = dwarf_getscopes(&cu, address, &scopes);
    std::pair<std::string, int> out{"", 0};
    for (int i = n - 1; i >= 0; --i) {
      if (dwarf_tag(&scopes[i]) != DW_TAG_subprogram) continue;
      const char* file = dwarf_decl_file(&scopes[i]);
      if (file && dwarf_decl_line(&scopes[i], &out.second) == 0) out.first = in_folder_of(cu, file);
      break;
    }
    std::free(scopes);
    return out;
  }

 private:
  static std::string in_folder_of(Dwarf_Die& cu, const char* file) {
    const std::filesystem::path path(file);
    if (path.is_absolute()) return path.lexically_normal().string();
    Dwarf_Attribute attribute;
    const char* folder = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attribute));
    return folder ? (std::filesystem::path(folder) / path).lexically_normal().string() : file;
  }

  std::filesystem::path path_;
  int fd_ = -1;
  Elf* elf_ = nullptr;
  Dwarf* dwarf_ = nullptr;
};

}  // namespace

LineCoverage::LineCoverage(const std::filesystem::path& elf) {
  const campaign::Symbolizer symbols(elf);
  const auto callback = symbols.address_of(kCallback);
  const ElfFile file(elf);
  if (!callback) file.fail(std::string("no ") + kCallback + " (not a fuzz coverage build)");
  const auto [start, text] = file.text();
  text_start_ = start;
  // Every `call rel32` whose target is the callback. A byte pattern that only looks like one
  // lies in no function of an instrumented file in practice (2^-32 per position); it would show
  // as a line never hit.
  for (size_t i = 0; i + kCallBytes <= text.size(); ++i) {
    if (static_cast<uint8_t>(text[i]) != kCallRel32) continue;
    int32_t rel = 0;
    std::memcpy(&rel, text.data() + i + 1, sizeof rel);
    const uint64_t address = start + i;
    if (address + kCallBytes + static_cast<int64_t>(rel) != *callback) continue;
    CoverageSite site;
    site.address = address;
    std::tie(site.file, site.line) = file.line_of(address);
    if (const auto function = symbols.function_at(address)) {
      site.function = function->mangled;
      auto [known, fresh] = definitions_.try_emplace(site.function);
      if (fresh) known->second = file.definition_of(function->start);
    }
    by_granule_[(address + kCallBytes - start) >> rayos::SiteCounts::kGranuleShift] = sites_.size();
    sites_.push_back(std::move(site));
  }
  if (sites_.empty()) file.fail(std::string("no call to ") + kCallback + " in .text");
}

bool LineCoverage::add(uint64_t offset, uint64_t count) {
  const auto it = by_granule_.find(offset >> rayos::SiteCounts::kGranuleShift);
  if (it == by_granule_.end()) return false;
  sites_[it->second].count += count;
  return true;
}

bool LineCoverage::add_counts(const LineCoverage& other) {
  if (other.sites_.size() != sites_.size() || other.text_start_ != text_start_) return false;
  for (size_t i = 0; i < sites_.size(); ++i)
    if (other.sites_[i].address != sites_[i].address) return false;
  for (size_t i = 0; i < sites_.size(); ++i) sites_[i].count += other.sites_[i].count;
  return true;
}

// A function is listed in the file that defines it, with the count of its first block (which
// may be code inlined from another file).
std::map<std::string, LineCoverage::FileLines> LineCoverage::by_file() const {
  std::map<std::string, FileLines> files;
  for (const auto& site : sites_) {  // by address: a function's first block comes first
    if (!site.file.empty()) {
      uint64_t& line = files[site.file].lines[site.line];
      line = std::max(line, site.count);
    }
    const auto definition = definitions_.find(site.function);
    if (definition != definitions_.end() && !definition->second.first.empty())
      files[definition->second.first].functions.try_emplace(site.function,
                                                            definition->second.second, site.count);
  }
  return files;
}

namespace {

FileCoverage summarize(const std::string& path, const LineCoverage::FileLines& f) {
  FileCoverage c{path, f.lines.size(), 0, f.functions.size(), 0};
  for (const auto& [line, count] : f.lines) c.lines_hit += count > 0;
  for (const auto& [name, first] : f.functions) c.functions_hit += first.second > 0;
  return c;
}

}  // namespace

std::string LineCoverage::lcov(const std::string& test_name) const {
  std::string out;
  for (const auto& [path, f] : by_file()) {
    const FileCoverage c = summarize(path, f);
    out += "TN:" + test_name + "\nSF:" + path + "\n";
    for (const auto& [name, first] : f.functions)
      out += "FN:" + std::to_string(first.first) + "," + name + "\n";
    for (const auto& [name, first] : f.functions)
      out += "FNDA:" + std::to_string(first.second) + "," + name + "\n";
    out += "FNF:" + std::to_string(c.functions_found) + "\nFNH:" + std::to_string(c.functions_hit) +
           "\n";
    for (const auto& [line, count] : f.lines)
      out += "DA:" + std::to_string(line) + "," + std::to_string(count) + "\n";
    out += "LF:" + std::to_string(c.lines_found) + "\nLH:" + std::to_string(c.lines_hit) +
           "\nend_of_record\n";
  }
  return out;
}

std::vector<FileCoverage> LineCoverage::files() const {
  std::vector<FileCoverage> out;
  for (const auto& [path, f] : by_file()) out.push_back(summarize(path, f));
  return out;
}

nlohmann::json LineCoverage::summary(const std::filesystem::path& tracefile) const {
  nlohmann::json files = nlohmann::json::array();
  size_t found = 0, hit = 0;
  for (const auto& f : this->files()) {
    files.push_back({{"file", f.file},
                     {"lines_found", f.lines_found},
                     {"lines_hit", f.lines_hit},
                     {"functions_found", f.functions_found},
                     {"functions_hit", f.functions_hit}});
    found += f.lines_found;
    hit += f.lines_hit;
  }
  return {{"tracefile", tracefile.string()},
          {"lines_found", found},
          {"lines_hit", hit},
          {"files", files}};
}

}  // namespace osh::coverage

// libelf's functions, loaded the first time one is called (harness/base/lazy_library.h): only
// symbolizing a crash (symbolizer.cpp) and line coverage (coverage/) read ELF files. Linked,
// libcrypto, libelf, libdw (with the liblzma and libbz2 it brings) and libpng made every
// osharness process 4 ms slower to start (docs/performance.md, "A short start"). Each function
// here has the name and the signature <libelf.h> and <gelf.h> declare, so callers are unchanged.
#include <gelf.h>
#include <libelf.h>

#include "harness/base/lazy_library.h"

namespace {

#define OSH_LIBELF_FUNCTIONS(X) \
  X(elf_begin)                  \
  X(elf_end)                    \
  X(elf_errmsg)                 \
  X(elf_getdata)                \
  X(elf_getshdrstrndx)          \
  X(elf_kind)                   \
  X(elf_nextscn)                \
  X(elf_strptr)                 \
  X(elf_version)                \
  X(gelf_getshdr)               \
  X(gelf_getsym)
OSH_LAZY_LIBRARY(api, "libelf.so.1",
                 "reading a kernel's symbols needs it: scripts/setup installs libelf-dev",
                 OSH_LIBELF_FUNCTIONS)

}  // namespace

// The definitions <libelf.h> and <gelf.h> declare, each forwarding to the loaded function.
extern "C" {
Elf* elf_begin(int fd, Elf_Cmd cmd, Elf* ref) { return api().elf_begin(fd, cmd, ref); }
int elf_end(Elf* elf) { return api().elf_end(elf); }
const char* elf_errmsg(int error) { return api().elf_errmsg(error); }
Elf_Data* elf_getdata(Elf_Scn* scn, Elf_Data* data) { return api().elf_getdata(scn, data); }
int elf_getshdrstrndx(Elf* elf, size_t* dst) { return api().elf_getshdrstrndx(elf, dst); }
Elf_Kind elf_kind(Elf* elf) { return api().elf_kind(elf); }
Elf_Scn* elf_nextscn(Elf* elf, Elf_Scn* scn) { return api().elf_nextscn(elf, scn); }
char* elf_strptr(Elf* elf, size_t index, size_t offset) {
  return api().elf_strptr(elf, index, offset);
}
unsigned int elf_version(unsigned int version) { return api().elf_version(version); }
GElf_Shdr* gelf_getshdr(Elf_Scn* scn, GElf_Shdr* dst) { return api().gelf_getshdr(scn, dst); }
GElf_Sym* gelf_getsym(Elf_Data* data, int index, GElf_Sym* dst) {
  return api().gelf_getsym(data, index, dst);
}
}

// libdw's functions, loaded the first time one is called (harness/base/lazy_library.h): only line
// coverage reads DWARF, and linked it slowed every osharness process's start
// (docs/performance.md, "A short start"; libelf's loader is harness/campaign/libelf_loader.cpp).
// Each function here has the name and the signature <elfutils/libdw.h> declares, so callers are
// unchanged.
#include <elfutils/libdw.h>

#include "harness/base/lazy_library.h"

namespace {

#define OSH_LIBDW_FUNCTIONS(X) \
  X(dwarf_addrdie)             \
  X(dwarf_attr)                \
  X(dwarf_begin_elf)           \
  X(dwarf_decl_file)           \
  X(dwarf_decl_line)           \
  X(dwarf_end)                 \
  X(dwarf_formstring)          \
  X(dwarf_getscopes)           \
  X(dwarf_getsrc_die)          \
  X(dwarf_lineno)              \
  X(dwarf_linesrc)             \
  X(dwarf_tag)
OSH_LAZY_LIBRARY(api, "libdw.so.1",
                 "line coverage reads DWARF with it: scripts/setup installs libdw-dev",
                 OSH_LIBDW_FUNCTIONS)

}  // namespace

// The definitions <elfutils/libdw.h> declares, each forwarding to the loaded function.
extern "C" {
Dwarf_Die* dwarf_addrdie(Dwarf* dbg, Dwarf_Addr addr, Dwarf_Die* result) {
  return api().dwarf_addrdie(dbg, addr, result);
}
Dwarf_Attribute* dwarf_attr(Dwarf_Die* die, unsigned int search_name, Dwarf_Attribute* result) {
  return api().dwarf_attr(die, search_name, result);
}
Dwarf* dwarf_begin_elf(Elf* elf, Dwarf_Cmd cmd, Elf_Scn* scngrp) {
  return api().dwarf_begin_elf(elf, cmd, scngrp);
}
const char* dwarf_decl_file(Dwarf_Die* decl) { return api().dwarf_decl_file(decl); }
int dwarf_decl_line(Dwarf_Die* decl, int* linep) { return api().dwarf_decl_line(decl, linep); }
int dwarf_end(Dwarf* dwarf) { return api().dwarf_end(dwarf); }
const char* dwarf_formstring(Dwarf_Attribute* attrp) { return api().dwarf_formstring(attrp); }
int dwarf_getscopes(Dwarf_Die* cudie, Dwarf_Addr pc, Dwarf_Die** scopes) {
  return api().dwarf_getscopes(cudie, pc, scopes);
}
Dwarf_Line* dwarf_getsrc_die(Dwarf_Die* cudie, Dwarf_Addr addr) {
  return api().dwarf_getsrc_die(cudie, addr);
}
int dwarf_lineno(Dwarf_Line* line, int* linep) { return api().dwarf_lineno(line, linep); }
const char* dwarf_linesrc(Dwarf_Line* line, Dwarf_Word* mtime, Dwarf_Word* length) {
  return api().dwarf_linesrc(line, mtime, length);
}
int dwarf_tag(Dwarf_Die* die) { return api().dwarf_tag(die); }
}

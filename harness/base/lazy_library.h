#pragma once
// Shared libraries that only some commands need, opened with dlopen the first time one of their
// functions is called instead of at every start of osharness: libvirt brought 55 libraries and
// libpcap 10 (D-Bus, systemd, libgcrypt...), 20 ms of CPU to start `osharness parse` that
// never calls them; libcrypto, libdw, libelf and libpng 4 ms more (docs/performance.md, "A short
// start"). A loader (harness/base/libcrypto_loader.cpp, for one) lists the library's functions
// for OSH_LAZY_LIBRARY and defines each under its own name and signature, forwarding to the
// function found here, so callers are unchanged; nothing may also link the library itself.
#include <string>

namespace osh {

// dlopen(soname, RTLD_NOW | RTLD_LOCAL); throws InfraError naming the library, dlerror() and
// `remedy` (what the user can do).
void* open_library(const char* soname, const std::string& remedy);
// dlsym; throws InfraError naming the library and the function.
void* library_function(void* library, const char* soname, const char* name);

// The functions of one library (`Functions`, a struct OSH_LAZY_LIBRARY makes), opened and found
// on the first call; the next calls return the same. Throws as open_library and
// library_function do, and tries again on the next call.
template <typename Functions>
const Functions& lazy_functions(const char* soname, const char* remedy) {
  static const Functions loaded = [&] {
    Functions functions;
    functions.find(open_library(soname, remedy), soname);
    return functions;
  }();
  return loaded;
}

}  // namespace osh

// Defines `accessor()`, which returns the functions the X-macro LIST names, found in `soname`
// on the first call (lazy_functions): one pointer each, typed as the library's header declares
// the function. A loader is this line, its LIST and its forwarding definitions.
#define OSH_LAZY_LIBRARY(accessor, soname, remedy, LIST)                \
  struct accessor##_functions {                                         \
    LIST(OSH_LAZY_POINTER_)                                             \
    void find(void* library, const char* name) { LIST(OSH_LAZY_FIND_) } \
  };                                                                    \
  const accessor##_functions& accessor() {                              \
    return ::osh::lazy_functions<accessor##_functions>(soname, remedy); \
  }
#define OSH_LAZY_POINTER_(function) decltype(&::function) function = nullptr;
#define OSH_LAZY_FIND_(function) \
  function =                     \
      reinterpret_cast<decltype(function)>(::osh::library_function(library, name, #function));

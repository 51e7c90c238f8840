#pragma once
// Shared libraries that only some commands need, opened with dlopen the first time one of their
// functions is called instead of at every start of osharness: libvirt brought 55 libraries and
// libpcap 10 (D-Bus, systemd, libgcrypt...), 20 ms of CPU to start `osharness parse` that
// never calls them (docs/performance.md). A loader (harness/vm/libvirt/libvirt_loader.cpp,
// net/pcap_loader.cpp) defines the library's functions under their own names and signatures,
// each forwarding to the function found here, so callers are unchanged; nothing may also link
// the library itself.
#include <string>

namespace osh {

// dlopen(soname, RTLD_NOW | RTLD_LOCAL); throws InfraError naming the library, dlerror() and
// `remedy` (what the user can do).
void* open_library(const char* soname, const std::string& remedy);
// dlsym; throws InfraError naming the library and the function.
void* library_function(void* library, const char* soname, const char* name);

}  // namespace osh

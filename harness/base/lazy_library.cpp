#include "harness/base/lazy_library.h"

#include <dlfcn.h>

#include "harness/base/errors.h"

namespace osh {

void* open_library(const char* soname, const std::string& remedy) {
  void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    throw InfraError(std::string("cannot load ") + soname + ": " + (why ? why : "unknown error") +
                     " (" + remedy + ")");
  }
  return library;
}

void* library_function(void* library, const char* soname, const char* name) {
  void* function = ::dlsym(library, name);
  if (function == nullptr)
    throw InfraError(std::string(soname) + " has no function " + name +
                     " (an older version than Debian 12's? scripts/setup installs it)");
  return function;
}

}  // namespace osh

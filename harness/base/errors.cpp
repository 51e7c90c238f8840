#include "errors.h"

#include <cstring>

namespace osh {

std::string errno_message(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

}  // namespace osh

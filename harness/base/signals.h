#pragma once
#include <string>

namespace osh {

// "SIGSEGV" for 11; "signal 77" for a number the C library has no name for.
std::string signal_name(int signal);

}  // namespace osh

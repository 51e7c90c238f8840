#pragma once
// The three ways the harness itself can fail, each mapped to its own CLI exit code
// (64 usage, 65 bad spec or input, 69 infrastructure). Messages name the file, field or line,
// what was wrong and what to do; they are shown to the user as they are.
#include <stdexcept>
#include <string>

namespace osh {

// The command line was wrong (unknown option, missing argument).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A spec, schema, bundle or log given by the user is malformed.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The host could not run the test: QEMU missing, image unreadable, disk full, socket failure.
// Never reported as a failure of the OS under test.
struct InfraError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "<what>: <strerror(errno)>" for failed system calls.
std::string errno_message(const std::string& what, int err);

}  // namespace osh

#pragma once
// The composition root: every analyzer, run hook, VM backend and report format osharness is
// built with, in one registry that the CLI hands down to the libraries.
#include "harness/campaign/plugins.h"

namespace osh::plugins {

campaign::Plugins builtin_plugins();

}  // namespace osh::plugins

#pragma once
#include "harness/campaign/version_generated.h"

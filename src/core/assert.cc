#include "core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace greenloop {
void AssertionFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "greenloop: assertion failed: %s at %s:%d\n", condition, file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace greenloop

// src/core/assert.h
//
// Always-on invariant checks. Assertions mark programmer errors: a failed one means the code is
// wrong, not the input, so the process stops at once with the place and the condition. Never use
// them on user input; that is what Status and the ledger's result codes are for.
#ifndef GREENLOOP_CORE_ASSERT_H_
#define GREENLOOP_CORE_ASSERT_H_

namespace greenloop {
[[noreturn]] void AssertionFailed(const char* condition, const char* file, int line);
}  // namespace greenloop

#define GL_ASSERT(condition)                                           \
  do {                                                                 \
    if (!(condition)) {                                                \
      ::greenloop::AssertionFailed(#condition, __FILE__, __LINE__);    \
    }                                                                  \
  } while (false)

#endif  // GREENLOOP_CORE_ASSERT_H_

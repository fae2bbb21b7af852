// src/core/uscc.h
//
// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
// 31-character alphabet (no I, O, Z, S, V), the last one a check character over the first 17.
#ifndef GREENLOOP_CORE_USCC_H_
#define GREENLOOP_CORE_USCC_H_

#include <string>
#include <string_view>

namespace greenloop {

// Empty when valid, otherwise a sentence saying what is wrong.
std::string UsccProblem(std::string_view code);
// The check character for the first 17 characters; '\0' when they are not from the alphabet.
char UsccCheckCharacter(std::string_view first17);

}  // namespace greenloop

#endif  // GREENLOOP_CORE_USCC_H_

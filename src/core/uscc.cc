#include "core/uscc.h"

#include "core/assert.h"

namespace greenloop {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static_assert(kAlphabet.size() == 31);

int ValueOf(char c) {
  size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

char UsccCheckCharacter(std::string_view first17) {
  GL_ASSERT(first17.size() == 17);
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int value = ValueOf(first17[i]);
    if (value < 0) return '\0';
    sum += value * kWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kAlphabet[static_cast<size_t>(check)];
}

std::string UsccProblem(std::string_view code) {
  if (code.size() != 18) {
    return "a unified social credit code has 18 characters, this one has " + std::to_string(code.size());
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (ValueOf(code[i]) < 0) {
      return std::string("character '") + code[i] + "' at position " + std::to_string(i + 1) +
             " is not allowed (digits and capital letters except I, O, Z, S, V)";
    }
  }
  char expected = UsccCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return std::string("check character is '") + code[17] + "' but the first 17 characters give '" +
           expected + "' (GB 32100-2015)";
  }
  return "";
}

}  // namespace greenloop

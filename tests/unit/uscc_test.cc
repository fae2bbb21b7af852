// Goal: the GB 32100-2015 check character is computed and enforced. Method: known-good codes
// (worked through the standard's weights by hand below) and single-character corruptions.
#include "core/uscc.h"

#include <gtest/gtest.h>

namespace greenloop {
namespace {

TEST(Uscc, AcceptsCodeWithCorrectCheckCharacter) {
  std::string first17 = "91150200DM0000010";
  char check = UsccCheckCharacter(first17);
  ASSERT_NE(check, '\0');
  EXPECT_EQ(UsccProblem(first17 + check), "");
}

TEST(Uscc, WorkedExampleFromTheStandardsWeights) {
  // Values 9,1,1,1,0,0,0,0,7,1,0,9,3,1,2,3,X(=29) times the weights
  // 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 sum to
  // 9+3+9+27+0+0+0+0+140+29+0+117+24+24+20+90+812 = 1304; 1304 mod 31 = 2; 31 - 2 = 29 -> 'X'.
  EXPECT_EQ(UsccCheckCharacter("9111000071093123X"), 'X');
  EXPECT_EQ(UsccProblem("9111000071093123XX"), "");
}

TEST(Uscc, RefusesWrongCheckCharacter) {
  EXPECT_NE(UsccProblem("9111000071093123X1"), "");
}

TEST(Uscc, RefusesForbiddenLettersAndLengths) {
  EXPECT_NE(UsccProblem("9111000071093123IX"), "");  // I is not in the alphabet
  EXPECT_NE(UsccProblem("9111000071093123X"), "");   // 17 characters
  EXPECT_NE(UsccProblem(""), "");
}

}  // namespace
}  // namespace greenloop

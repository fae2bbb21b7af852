// tests/fuzz/replay_main.cc
//
// main() for builds without libFuzzer (g++, or clang without -fsanitize=fuzzer): runs
// LLVMFuzzerTestOneInput once on every file given, or on every regular file of every directory
// given (not recursively), in name order, and prints how many ran. ctest runs it over the corpus
// (fuzz_order_entry_corpus), so every input the fuzzer kept is replayed in every test run. A
// broken invariant traps inside the target; an argument that cannot be read, or no input at
// all, exits 1.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, as libFuzzer passes them, so that ASan sees any read past the end.
  std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
  static const std::uint8_t kNothing = 0;  // libFuzzer passes a valid pointer for an empty input too
  LLVMFuzzerTestOneInput(input.empty() ? &kNothing : input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
        if (entry.is_regular_file(ec)) files.push_back(entry.path());
      }
      if (ec) {
        std::fprintf(stderr, "replay: cannot list %s: %s\n", argv[i], ec.message().c_str());
        return 1;
      }
    } else {
      files.push_back(arg);
    }
  }
  std::sort(files.begin(), files.end());
  std::size_t ran = 0;
  for (const std::filesystem::path& file : files) {
    if (!RunFile(file)) return 1;
    ++ran;
  }
  std::printf("replayed %zu input%s\n", ran, ran == 1 ? "" : "s");
  return ran == 0 ? 1 : 0;
}

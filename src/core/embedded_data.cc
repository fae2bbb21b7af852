// Built into greenloop_data (beside the generated EmbeddedData()), not into greenloop_core.
#include "core/embedded.h"

namespace greenloop {

const std::string* FindEmbeddedData(const std::string& path) {
  for (const EmbeddedFile& file : EmbeddedData()) {
    if (file.path == path) return &file.content;
  }
  return nullptr;
}

}  // namespace greenloop

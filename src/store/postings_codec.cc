#include "store/postings_codec.h"

#include <charconv>

#include "core/assert.h"

namespace greenloop {
namespace {

// A strict reader for exactly the format EncodePostings writes (no whitespace, no escapes:
// instrument codes are [A-Z0-9-]). Anything else is refused, which is what tampered text is.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool Eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool Integer(std::int64_t* out) {
    const char* begin = text_.data() + pos_;
    auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), *out);
    if (ec != std::errc() || end == begin) return false;
    pos_ += static_cast<size_t>(end - begin);
    return true;
  }
  bool String(std::string_view* out) {
    if (!Eat('"')) return false;
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_];
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    *out = text_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

void EncodePostings(const std::vector<Posting>& postings, std::string* out) {
  out->push_back('[');
  char number[24];
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    GL_ASSERT(IsValidInstrumentCode(p.instrument));
    if (i > 0) out->push_back(',');
    out->push_back('[');
    auto end = std::to_chars(number, number + sizeof number, p.account_id).ptr;
    out->append(number, end);
    out->append(",\"");
    out->append(p.instrument);
    out->append("\",\"");
    out->append(ToString(p.bucket));
    out->append("\",");
    end = std::to_chars(number, number + sizeof number, p.amount).ptr;
    out->append(number, end);
    out->push_back(']');
  }
  out->push_back(']');
}

bool DecodePostings(std::string_view text, std::vector<Posting>* out) {
  out->clear();
  Reader r(text);
  if (!r.Eat('[')) return false;
  if (r.Eat(']')) return r.AtEnd();
  do {
    Posting p;
    std::string_view instrument, bucket;
    if (!r.Eat('[') || !r.Integer(&p.account_id) || !r.Eat(',') || !r.String(&instrument) || !r.Eat(',') ||
        !r.String(&bucket) || !r.Eat(',') || !r.Integer(&p.amount) || !r.Eat(']')) {
      out->clear();
      return false;
    }
    auto parsed = ParseBucket(bucket);
    if (!parsed || !IsValidInstrumentCode(instrument)) {
      out->clear();
      return false;
    }
    p.instrument = std::string(instrument);
    p.bucket = *parsed;
    out->push_back(std::move(p));
  } while (r.Eat(','));
  if (!r.Eat(']') || !r.AtEnd()) {
    out->clear();
    return false;
  }
  return true;
}

}  // namespace greenloop

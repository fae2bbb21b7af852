// src/store/postings_codec.h
//
// An entry's postings as stored in its row: a JSON array of [account_id, "instrument",
// "available"|"frozen", amount], in posting order. Readable with the databases' JSON functions,
// and one row per entry instead of one per posting.
#ifndef GREENLOOP_STORE_POSTINGS_CODEC_H_
#define GREENLOOP_STORE_POSTINGS_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "registry/model.h"

namespace greenloop {

// Appends the encoding of `postings` to *out.
void EncodePostings(const std::vector<Posting>& postings, std::string* out);
// False when the text is not a valid encoding; *out is then left empty.
bool DecodePostings(std::string_view text, std::vector<Posting>* out);

}  // namespace greenloop

#endif  // GREENLOOP_STORE_POSTINGS_CODEC_H_

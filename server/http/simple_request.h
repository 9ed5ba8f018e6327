#pragma once
// The request most clients send, read in one pass: a complete HTTP/1.x
// request already in the buffer, header and Content-Length body, with plain
// header lines. It is parsed into exactly the message Beast's parser would
// build from the same bytes (tests/unit/server/http/simple_request_test.cc
// compares the two on random requests), at a fraction of the cost: Beast
// looks at each byte of a header several times.
//
// Anything else is not this parser's to judge: a request not yet whole, over
// a limit, chunked, upgraded, with folded or malformed lines, a Connection
// list or a repeated Content-Length. For those ParseSimpleRequest returns
// nullopt and the session hands the same bytes to Beast's parser, which
// accepts or refuses them as it always has.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/http/message.h"

namespace sml::server {

struct SimpleRequest {
  HttpRequest message;
  std::size_t size = 0;  // the bytes it took from the buffer, body included
};

std::optional<SimpleRequest> ParseSimpleRequest(std::string_view buffer, std::size_t header_limit,
                                                std::uint64_t body_limit);

}  // namespace sml::server

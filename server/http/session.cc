#include "server/http/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <ctime>
#include <iterator>
#include <string>
#include <string_view>

#include "server/http/simple_request.h"

namespace sml::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// The first read of a request: enough for the headers and a typical body.
constexpr std::size_t kFirstReadSize = 16 * 1024;
constexpr std::size_t kLingerReadSize = 64 * 1024;
// What a refused request may still send before the connection closes on it:
// a client that writes its whole body before reading sees the answer (an
// 8 MiB body against a 1 MiB limit), a flood does not go on forever.
constexpr std::size_t kMaxLingerBytes = 64 * 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// RFC 9112 section 3.2.2: a server must accept a target in absolute form
// (`POST http://host:4566/ HTTP/1.1`, what a client configured with a proxy
// sends); the rest of the server sees only the origin form (`/`).
void ToOriginForm(HttpRequest& request) {
  const std::string_view target = ToStd(request.target());
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (target.size() < scheme.size() ||
        !beast::iequals(ToBeast(target.substr(0, scheme.size())), ToBeast(scheme))) {
      continue;
    }
    const std::size_t path = target.find_first_of("/?", scheme.size());
    std::string origin = "/";
    if (path != std::string_view::npos) {
      origin = target[path] == '?' ? "/" + std::string(target.substr(path))
                                   : std::string(target.substr(path));
    }
    request.target(origin);
    return;
  }
}

// RFC 9110 section 6.6.1: an origin server with a clock sends Date, and AWS
// does; SDKs correct their clock skew from it, so it is the real time, never
// the emulator clock. Formatted once a second per thread.
std::string_view HttpDate() {
  thread_local std::time_t formatted_second = -1;
  thread_local char text[32];
  const std::time_t now = std::time(nullptr);
  if (now != formatted_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    formatted_second = now;
  }
  return text;
}

// The response as it goes on the wire, in one buffer: what Beast's
// serializer writes for a message with a Content-Length, without its
// per-write machinery; and Date.
std::string Serialize(const HttpResponse& response) {
  const std::string_view reason = ToStd(response.reason());
  std::string wire;
  wire.reserve(128 + response.body().size());
  wire += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  wire += std::to_string(response.result_int());
  wire += ' ';
  wire += reason;
  wire += "\r\n";
  for (const auto& field : response) {
    wire += ToStd(field.name_string());
    wire += ": ";
    wire += ToStd(field.value());
    wire += "\r\n";
  }
  wire += "Date: ";
  wire += HttpDate();
  wire += "\r\n\r\n";
  wire += response.body();
  return wire;
}

}  // namespace

Session::Session(Socket&& socket, const HttpServerOptions& options, RequestHandler& handler,
                 HttpServer& server)
    : stream_(std::move(socket)), options_(options), handler_(handler), server_(server) {}

Session::~Session() { server_.Unregister(this); }

void Session::Start() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::ReadRequest, shared_from_this()));
}

void Session::Drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->draining_ = true;
    if (self->closed_) return;
    if (self->Idle()) return self->Close();
    // A request being received is finished and answered (with Connection:
    // close); a wait for the next one ends now.
    self->no_more_requests_ = true;
    if (self->reading_ && !self->reading_request_) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_receive, ignored);
    }
  });
}

void Session::ReadRequest() {
  if (closed_ || no_more_requests_ || reading_ || answering_) return;
  if (queue_.size() >= options_.pipeline_limit) return;  // OnWrite resumes
  reading_ = true;
  if (buffer_.size() > 0) {  // the next pipelined request has begun
    reading_request_ = true;
    return ParseRequest();
  }
  reading_request_ = false;
  stream_.expires_after(options_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                          beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
}

void Session::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec) return OnReadError(ec);
  reading_request_ = true;
  ParseRequest();
}

void Session::ParseRequest() {
  const auto* data = static_cast<const char*>(buffer_.data().data());
  if (auto simple = ParseSimpleRequest({data, buffer_.size()}, options_.header_limit,
                                       options_.body_limit)) {
    buffer_.consume(simple->size);
    return OnRequest(std::move(simple->message));
  }
  parser_.emplace();
  parser_->header_limit(options_.header_limit);
  parser_->body_limit(options_.body_limit);
  ReadHeader();
}

// A request usually arrives whole in the first read: the parser takes it
// from the buffer at once, and only what is missing is read asynchronously
// (each async step is a trip through the strand and the scheduler).
std::size_t Session::ParseBuffered(beast::error_code& ec) {
  if (buffer_.size() == 0) return 0;
  const std::size_t used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  if (ec == http::error::need_more) ec = {};  // not all there yet
  return used;
}

void Session::ReadHeader() {
  beast::error_code ec;
  parser_->eager(false);  // the header alone: OnHeader looks at it first
  // The parser may take complete lines of an incomplete header: they count.
  const std::size_t taken = ParseBuffered(ec);
  if (ec || parser_->is_header_done()) return OnHeader(ec, taken);
  stream_.expires_after(options_.header_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this(), taken](beast::error_code ec, std::size_t bytes) {
        self->OnHeader(ec, taken + bytes);
      });
}

void Session::OnHeader(beast::error_code ec, std::size_t header_bytes) {
  if (ec) return OnReadError(ec);
  // Beast's own limit lets a block of many short lines grow past it; the
  // limit is the whole header block's.
  if (header_bytes > options_.header_limit) return OnReadError(http::error::header_limit);
  // RFC 9112 6.1: a transfer coding the server does not understand is 501.
  // Only a lone "chunked" is understood (Beast would also take "gzip, chunked").
  auto [coding, end] = parser_->get().equal_range(http::field::transfer_encoding);
  if (coding != end && (std::next(coding) != end || !beast::iequals(coding->value(), "chunked"))) {
    return Refuse(http::status::not_implemented,
                  "Transfer-Encoding other than chunked is not supported.");
  }
  if (parser_->is_done()) return OnRequest(parser_->release());
  // curl and others wait for "100 Continue" before sending a larger body.
  if (beast::iequals(parser_->get()[http::field::expect], "100-continue") && !writing_ &&
      queue_.empty()) {
    writing_ = true;
    stream_.expires_after(options_.write_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->writing_ = false;
                       if (ec) return self->Close();
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  beast::error_code ec;
  parser_->eager(true);
  while (!ec && !parser_->is_done() && ParseBuffered(ec) > 0) {
  }
  if (ec || parser_->is_done()) return OnBody(ec);
  stream_.expires_after(options_.body_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

void Session::OnBody(beast::error_code ec) {
  if (ec) return OnReadError(ec);
  OnRequest(parser_->release());
}

void Session::OnReadError(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::end_of_stream || ec == net::error::eof) {
    // The client is done sending; answer what it asked, then close.
    reading_request_ = false;
    no_more_requests_ = true;
    if (!writing_ && queue_.empty()) CloseAfterWrites();
    return;
  }
  if (ec == http::error::body_limit) {
    return Refuse(
        http::status::payload_too_large,
        "The request body exceeds the limit of " + std::to_string(options_.body_limit) + " bytes.");
  }
  if (ec == http::error::header_limit) {
    return Refuse(http::status::request_header_fields_too_large,
                  "The request headers exceed the limit of " +
                      std::to_string(options_.header_limit) + " bytes.");
  }
  if (ec.category() == beast::http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::partial_message) {
    return Refuse(http::status::bad_request, "The request is not valid HTTP/1.1.");
  }
  // Timeout (the stream already closed the socket), reset, cancellation,
  // or the client leaving in the middle of a request.
  Close();
}

void Session::OnRequest(HttpRequest&& request) {
  reading_ = false;
  reading_request_ = false;
  ToOriginForm(request);
  if (!handler_.MayBlock(request)) return Respond(request, Answer(request));
  // Reading pauses until the answer is queued, which keeps responses in order.
  answering_ = true;
  auto shared = std::make_shared<HttpRequest>(std::move(request));
  net::post(server_.blocking_pool(), [self = shared_from_this(), shared] {
    auto response = std::make_shared<std::optional<HttpResponse>>(self->Answer(*shared));
    net::post(self->stream_.get_executor(), [self, shared, response] {
      self->answering_ = false;
      self->Respond(*shared, std::move(*response));
    });
  });
}

std::optional<HttpResponse> Session::Answer(const HttpRequest& request) {
  try {
    return handler_.HandleRequest(request);
  } catch (...) {
    return std::nullopt;  // the handler's contract is not to throw
  }
}

void Session::Respond(const HttpRequest& request, std::optional<HttpResponse>&& answer) {
  if (closed_) return;
  if (!answer) return Close();
  HttpResponse& response = *answer;
  const bool keep_alive = request.keep_alive() && !draining_ && !server_.ShuttingDown();
  response.version(request.version());
  response.keep_alive(keep_alive);
  response.prepare_payload();
  if (!keep_alive) no_more_requests_ = true;
  Enqueue(std::move(response));
  ReadRequest();
}

void Session::Refuse(http::status status, std::string_view reason) {
  reading_ = false;
  reading_request_ = false;
  no_more_requests_ = true;
  linger_ = true;
  HttpResponse response = handler_.RefuseRequest(status, reason);
  response.version(11);
  response.keep_alive(false);
  response.prepare_payload();
  Enqueue(std::move(response));
}

void Session::Enqueue(HttpResponse&& response) {
  queue_.push_back({Serialize(response), response.need_eof()});
  if (!writing_) WriteNext();
}

void Session::WriteNext() {
  writing_ = true;
  stream_.expires_after(options_.write_timeout);
  const std::string& wire = queue_.front().wire;
  net::async_write(
      stream_, net::buffer(wire.data(), wire.size()),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
}

void Session::OnWrite(beast::error_code ec) {
  writing_ = false;
  if (ec) return Close();
  const bool last = queue_.front().last;
  queue_.pop_front();
  if (last) {
    no_more_requests_ = true;
    queue_.clear();
  }
  if (!queue_.empty()) return WriteNext();
  if (no_more_requests_ && !reading_ && !answering_) return CloseAfterWrites();
  ReadRequest();  // resumes reading paused at the pipeline limit
}

void Session::CloseAfterWrites() {
  if (closed_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  if (!linger_) return Close();
  // Read and drop the rest of a refused request for a while: closing with
  // unread data would reset the connection before the client read our answer.
  stream_.expires_after(options_.linger_timeout);
  Linger();
}

void Session::Linger() {
  reading_ = true;
  stream_.async_read_some(buffer_.prepare(kLingerReadSize),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->reading_ = false;
                            self->buffer_.consume(self->buffer_.size());
                            self->lingered_bytes_ += bytes;
                            if (ec || self->lingered_bytes_ > kMaxLingerBytes) {
                              return self->Close();
                            }
                            self->Linger();
                          });
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace sml::server

#pragma once
// One HTTP/1.1 connection. Everything here runs on the connection's strand;
// shared_from_this keeps the session alive while an operation is pending.
//
// The session only moves bytes: it reads a request (idle, header and body
// timeouts; header and body limits enforced by Beast's parser before
// anything is buffered; a plain request that arrived whole is read in one
// pass instead, server/http/simple_request.h), calls RequestHandler::HandleRequest once (on the
// server's blocking pool when RequestHandler::MayBlock says so, reading
// paused until the answer is back on the strand), and queues the response. It keeps reading while
// responses are written (pipelining) until `pipeline_limit` responses wait, and writes them in
// order. A request it cannot read in full gets RequestHandler::RefuseRequest
// (413, 431, 400, 501), after which the connection reads and discards what
// the client still sends (up to `linger_timeout` and 64 MiB) and closes — so
// the client sees the answer rather than a reset. The header limit is the
// whole header block's; a Transfer-Encoding other than a lone "chunked" is
// refused (501).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <deque>
#include <memory>
#include <optional>

#include "server/http/message.h"
#include "server/http/server.h"

namespace sml::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // The concrete executor, not asio's type-erased default: every completion
  // of every request goes through it.
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Strand>;

  Session(Socket&& socket, const HttpServerOptions& options, RequestHandler& handler,
          HttpServer& server);
  ~Session();

  void Start();
  // Thread-safe: finish what was read, answer it, then close.
  void Drain();

 private:
  void ReadRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  // A request whole in the buffer and of the usual shape is parsed at once
  // (server/http/simple_request.h); anything else goes to Beast's parser.
  void ParseRequest();
  // Feeds what the buffer holds to the parser; returns the bytes it took.
  // `ec` is a parse error (not "need more").
  std::size_t ParseBuffered(boost::beast::error_code& ec);
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec, std::size_t header_bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void OnReadError(boost::beast::error_code ec);
  void OnRequest(HttpRequest&& request);
  // Runs the handler (on the strand, or on the server's blocking pool).
  // nullopt if it threw (against its contract): the connection closes.
  std::optional<HttpResponse> Answer(const HttpRequest& request);
  // Queues the answer to `request` and reads on.
  void Respond(const HttpRequest& request, std::optional<HttpResponse>&& answer);
  void Refuse(boost::beast::http::status status, std::string_view reason);
  void Enqueue(HttpResponse&& response);
  void WriteNext();
  void OnWrite(boost::beast::error_code ec);
  void CloseAfterWrites();
  void Linger();
  void Close();
  bool Idle() const { return !reading_request_ && !answering_ && !writing_ && queue_.empty(); }

  boost::beast::basic_stream<boost::asio::ip::tcp, Strand> stream_;
  boost::beast::flat_buffer buffer_;  // reused; may hold the next pipelined request
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  struct Outgoing {
    std::string wire;  // the whole response
    bool last;         // the connection closes after it
  };
  std::deque<Outgoing> queue_;  // front() is being written
  const HttpServerOptions& options_;
  RequestHandler& handler_;
  HttpServer& server_;

  bool reading_ = false;           // a read is pending
  bool answering_ = false;         // a request is on the blocking pool
  bool reading_request_ = false;   // bytes of a request have arrived
  bool writing_ = false;           // a write is pending
  bool no_more_requests_ = false;  // answer what is queued, then close
  bool linger_ = false;            // drain the socket before closing
  bool draining_ = false;          // the server is shutting down
  bool closed_ = false;
  std::size_t lingered_bytes_ = 0;
};

}  // namespace sml::server

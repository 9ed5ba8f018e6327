#pragma once
// The HTTP/1.1 listener, after Boost.Beast's advanced server example: one
// io_context run on `threads` threads (the caller of Run() included, all
// joined before Run() returns; none detached), an acceptor, and a Session
// per connection on its own strand. Keep-alive and pipelining; limits and
// timeouts are enforced by the sessions (server/http/session.h).
//
// Shutdown (Shutdown(), or SIGINT/SIGTERM/SIGHUP with handle_signals): stop
// accepting, let every connection finish the requests it has read and
// write their responses (then close), and stop once none is left or after
// `shutdown_grace`. A second signal stops at once.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/http/message.h"

namespace sml::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;  // 0: any free port; see local_endpoint()
  int threads = 0;            // 0: std::thread::hardware_concurrency()
  // Threads for requests that may block (RequestHandler::MayBlock); their
  // number bounds how many writes can queue into one group commit.
  int blocking_threads = 16;

  std::uint32_t header_limit = 16 * 1024;            // request line + headers; larger: 431
  std::uint64_t body_limit = 1024 * 1024;            // larger: 413, before buffering it
  std::size_t pipeline_limit = 16;                   // responses queued before reading pauses
  std::chrono::milliseconds idle_timeout{30'000};    // waiting for a request to start
  std::chrono::milliseconds header_timeout{10'000};  // from its first byte to its last header
  std::chrono::milliseconds body_timeout{30'000};    // to receive the body
  std::chrono::milliseconds write_timeout{30'000};   // to send one response
  std::chrono::milliseconds linger_timeout{2'000};   // reading the rest of a refused request
  std::chrono::milliseconds shutdown_grace{5'000};
  bool handle_signals = false;  // SIGINT/SIGTERM/SIGHUP start Shutdown()
};

class Session;

class HttpServer {
 public:
  // Resolves, binds and listens. Throws std::runtime_error with a one-line
  // reason (address in use, bad host). `handler` must outlive the server.
  HttpServer(HttpServerOptions options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }
  // The io_context Run() serves, for timers that live as long as the server.
  boost::asio::io_context& io_context() { return io_; }
  // Where sessions run requests that may block. Thread-safe; its threads
  // start with the first such request, not with the server (start time).
  boost::asio::thread_pool& blocking_pool();

  // Serves until shut down; returns after every thread has joined. Once.
  void Run();
  // Thread-safe; starts the graceful shutdown described above.
  void Shutdown();

  // For sessions: they register while alive so a shutdown can reach them.
  void Register(const std::shared_ptr<Session>& session);
  void Unregister(Session* session);
  // True once shutdown began: responses from then on say Connection: close.
  bool ShuttingDown() const { return shutting_down_.load(std::memory_order_relaxed); }

 private:
  void Accept();
  void AcceptLater(const boost::system::error_code& why);  // on strand_
  void BeginDrain();  // on strand_
  void WaitForSignal();

  const HttpServerOptions options_;
  RequestHandler& handler_;

  // Declared before io_ so it outlives the sessions the io_context destroys.
  std::mutex sessions_mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // GUARDED_BY(sessions_mutex_)
  bool draining_ = false;                                          // GUARDED_BY(sessions_mutex_)

  boost::asio::io_context io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;  // acceptor, signals, timer
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
  boost::asio::steady_timer accept_retry_timer_;
  bool accept_paused_ = false;  // on strand_: out of descriptors, retrying on the timer
  boost::asio::ip::tcp::endpoint endpoint_;
  int signals_seen_ = 0;  // on strand_
  std::atomic<bool> shutting_down_{false};
  // After io_: its tasks post their answers to sessions' strands, so it is
  // joined (Run, destructor) while io_ still exists.
  std::once_flag blocking_pool_started_;
  std::optional<boost::asio::thread_pool> blocking_pool_;
};

}  // namespace sml::server

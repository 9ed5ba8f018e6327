#include "server/http/server.h"

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/http/session.h"
#include "server/log.h"

namespace sml::server {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

// Out of descriptors or kernel memory, accept fails at once until something
// is freed: retried at once, it would spin a core and log a line each time.
constexpr std::chrono::milliseconds kAcceptRetry{100};

bool IsOutOfResources(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

const char* SignalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
  }
  return "signal";
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, RequestHandler& handler)
    : options_(std::move(options)),
      handler_(handler),
      strand_(net::make_strand(io_)),
      acceptor_(strand_),
      // SIGHUP: the terminal of a server run in the foreground closed; a stop
      // like the others, so the pending access dates are written.
      signals_(strand_, SIGINT, SIGTERM, SIGHUP),
      grace_timer_(strand_),
      accept_retry_timer_(strand_) {
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve " + options_.host + ": " + ec.message());
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  endpoint_ = acceptor_.local_endpoint();
}

HttpServer::~HttpServer() {
  // Sessions the io_context still holds are destroyed with it; they must not
  // try to stop it from inside its destructor.
  std::lock_guard lock(sessions_mutex_);
  draining_ = false;
}

void HttpServer::Run() {
  if (options_.handle_signals) net::post(strand_, [this] { WaitForSignal(); });
  net::post(strand_, [this] { Accept(); });
  unsigned count = options_.threads > 0 ? static_cast<unsigned>(options_.threads)
                                        : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  workers.reserve(count - 1);
  for (unsigned i = 1; i < count; ++i) workers.emplace_back([this] { io_.run(); });
  io_.run();
  for (std::thread& worker : workers) worker.join();
  // The I/O threads that could start the pool are joined: it is there or
  // it never will be.
  if (blocking_pool_) blocking_pool_->join();
}

net::thread_pool& HttpServer::blocking_pool() {
  std::call_once(blocking_pool_started_, [this] {
    blocking_pool_.emplace(static_cast<std::size_t>(std::max(1, options_.blocking_threads)));
  });
  return *blocking_pool_;
}

void HttpServer::Shutdown() {
  shutting_down_ = true;
  net::post(strand_, [this] { BeginDrain(); });
}

void HttpServer::Accept() {
  acceptor_.async_accept(
      net::make_strand(io_),
      net::bind_executor(strand_, [this](boost::system::error_code ec, Session::Socket socket) {
        if (!acceptor_.is_open()) return;
        if (ec && IsOutOfResources(ec)) return AcceptLater(ec);
        if (ec) {
          Log("warn", "accept failed", {{"error", ec.message()}});
        } else {
          if (accept_paused_) {
            accept_paused_ = false;
            Log("info", "accepting connections again");
          }
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          auto session = std::make_shared<Session>(std::move(socket), options_, handler_, *this);
          Register(session);
          session->Start();
        }
        Accept();
      }));
}

void HttpServer::AcceptLater(const boost::system::error_code& why) {
  if (!accept_paused_) {
    accept_paused_ = true;
    Log("warn", "accept failed; retrying every 100 ms until it succeeds",
        {{"error", why.message()}});
  }
  accept_retry_timer_.expires_after(kAcceptRetry);
  accept_retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && acceptor_.is_open()) Accept();
  });
}

void HttpServer::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.emplace(session.get(), session);
}

void HttpServer::Unregister(Session* session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
  if (draining_ && sessions_.empty()) io_.stop();
}

void HttpServer::BeginDrain() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex_);
    if (draining_) return;
    draining_ = true;
    shutting_down_ = true;
    for (auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    if (sessions_.empty()) io_.stop();
  }
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  for (auto& session : live) session->Drain();
  live.clear();  // the sessions' own operations keep them alive
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    Log("warn", "shutdown grace period over; closing remaining connections");
    io_.stop();
  });
}

void HttpServer::WaitForSignal() {
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (++signals_seen_ == 1) {
      Log("info", "shutting down", {{"signal", SignalName(signal)}});
      BeginDrain();
      WaitForSignal();
    } else {
      Log("warn", "second signal; stopping now");
      io_.stop();
    }
  });
}

}  // namespace sml::server

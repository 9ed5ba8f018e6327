#include "server/agent/agent_endpoint.h"

#include <chrono>
#include <optional>

#include "api/text.h"
#include "server/log.h"
#include "server/request_id.h"
#include "server/request_record.h"
#include "server/responses.h"

namespace sml::server {
namespace {

namespace http = boost::beast::http;

// The agent answers its own refusals as plain text.
HttpResponse AgentRefusal(http::status status, std::string_view text, CallSummary& summary) {
  summary.error_type = "AgentRefusal";
  return BodyResponse(status, "text/plain; charset=utf-8", std::string(text));
}

struct AgentQuery {
  nlohmann::json input = nlohmann::json::object();  // GetSecretValue's
  std::string error;                                // the agent's 400 text, if any
};

// `path_id`: the secret id of a path-style request (nullopt: query style,
// where secretId is a parameter).
AgentQuery ParseQuery(std::string_view query, std::optional<std::string_view> path_id) {
  AgentQuery parsed;
  if (path_id) {
    if (path_id->empty()) {
      parsed.error = "missing secret ID";
      return parsed;
    }
    parsed.input["SecretId"] = std::string(*path_id);
  }
  for (std::string_view pair : api::Split(query, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = api::PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    std::string value = eq == std::string_view::npos
                            ? ""
                            : api::PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    if (key == "secretId" && !path_id) {
      parsed.input["SecretId"] = value;
    } else if (key == "versionId") {
      parsed.input["VersionId"] = value;
    } else if (key == "versionStage") {
      parsed.input["VersionStage"] = value;
    } else if (key == "refreshNow") {  // there is no cache to refresh
      const std::string lower = api::ToLower(value);
      if (lower != "true" && lower != "1" && lower != "false" && lower != "0") {
        parsed.error = "invalid refreshNow value";
        return parsed;
      }
    } else {
      parsed.error = "unknown parameter: " + key;
      return parsed;
    }
  }
  if (!parsed.input.contains("SecretId") || parsed.input["SecretId"] == "") {
    parsed.error = "missing parameter secretId";
  }
  return parsed;
}

// The agent's own body shapes (aws-secretsmanager-agent: the caching
// library's GetSecretValueOutputDef and its err_response): a value's
// CreatedDate as a string of seconds ("1699900000.046"), an AWS error as
// {"__type":"<code>","message":"<text>"}. Statuses stay the API's.
HttpResponse InTheAgentsShape(HttpResponse response) {
  nlohmann::json body = nlohmann::json::parse(response.body(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return response;
  if (response.result() == http::status::ok) {
    auto created = body.find("CreatedDate");
    if (created == body.end() || !created->is_number()) return response;
    *created = created->dump();
  } else {
    body = {{"__type", body.value("__type", "InternalFailure")},
            {"message", body.value("Message", "")}};
  }
  response.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

bool HasToken(const HttpRequest& request) {
  for (std::string_view header : AgentEndpoint::kTokenHeaders) {
    auto token = request.find(ToBeast(header));
    if (token != request.end() && !token->value().empty()) return true;
  }
  return false;
}

}  // namespace

std::optional<HttpResponse> AgentEndpoint::Refusal(const HttpRequest& request,
                                                   std::string_view path,
                                                   CallSummary& summary) const {
  if (path != "/ping" && path != "/start_serving") {
    if (request.find("X-Forwarded-For") != request.end()) {
      return AgentRefusal(http::status::bad_request, "Forwarded", summary);
    }
    if (!HasToken(request) || api_.VerifiesSignatures()) {
      return AgentRefusal(http::status::forbidden, "Bad Token", summary);
    }
  }
  if (request.method() != http::verb::get) {
    return AgentRefusal(http::status::method_not_allowed, "Not allowed", summary);
  }
  return std::nullopt;
}

HttpResponse AgentEndpoint::Handle(const HttpRequest& request, std::string_view path,
                                   std::string_view query, const std::string& request_id,
                                   CallSummary& summary) {
  if (auto refusal = Refusal(request, path, summary)) return std::move(*refusal);
  return Answer(path, query, request_id, summary);
}

HttpResponse AgentEndpoint::Answer(std::string_view path, std::string_view query,
                                   const std::string& request_id, CallSummary& summary) {
  std::optional<std::string_view> path_id;
  if (path != kPath) path_id = path.substr(kPathPrefix.size());
  AgentQuery parsed = ParseQuery(query, path_id);
  if (!parsed.error.empty()) return AgentRefusal(http::status::bad_request, parsed.error, summary);
  return InTheAgentsShape(
      api_.HandleAsDefaultCaller("GetSecretValue", parsed.input, request_id, summary));
}

HttpResponse AgentListener::HandleRequest(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string request_id = NewRequestId();
  std::string_view target = ToStd(request.target());
  std::string_view path = target.substr(0, target.find('?'));
  std::string_view query =
      path.size() < target.size() ? target.substr(path.size() + 1) : std::string_view();

  CallSummary summary;
  HttpResponse response;
  if (guard_.Refusal(request)) {
    response = AgentRefusal(http::status::forbidden, "Forbidden", summary);
  } else if (auto refusal = endpoint_.Refusal(request, path, summary)) {
    response = std::move(*refusal);
  } else if (AgentEndpoint::Serves(path)) {
    response = endpoint_.Answer(path, query, request_id, summary);
  } else if (path == "/ping") {
    response = BodyResponse(http::status::ok, "text/plain; charset=utf-8", "healthy");
  } else {
    response = AgentRefusal(http::status::not_found, "Not found", summary);
  }
  RecordAnsweredRequest(response, request, path, summary, request_id, start);
  return response;
}

HttpResponse AgentListener::RefuseRequest(http::status status, std::string_view reason) {
  CallSummary summary;
  HttpResponse response = AgentRefusal(status, reason, summary);
  response.set("x-amzn-RequestId", NewRequestId());
  return response;
}

HttpServerOptions AgentServer::Options(std::uint16_t port) {
  HttpServerOptions options;
  options.host = "127.0.0.1";  // the agent listens on loopback only
  options.port = port;
  options.threads = 2;
  return options;
}

AgentServer::AgentServer(ApiProtocol& api, std::uint16_t port, BrowserGuard guard)
    : listener_(api, std::move(guard)), server_(Options(port), listener_), thread_([this] {
        try {
          server_.Run();
        } catch (const std::exception& e) {
          Log("error", "agent listener stopped", {{"error", e.what()}});
        }
      }) {}

AgentServer::~AgentServer() {
  server_.Shutdown();
  thread_.join();
}

}  // namespace sml::server

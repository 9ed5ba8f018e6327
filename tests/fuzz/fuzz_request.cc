// A whole API call through the protocol layer (JSON body, member validation,
// the operation itself) over an in-memory store. Input: byte 0 picks the
// operation, byte 1 the caller, the rest is the body. Any answer is fine;
// a crash, a sanitizer report or a 500 is not.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/clock.h"
#include "api/random.h"
#include "api/rotation/rotation_starter.h"
#include "server/protocol.h"
#include "storage/crypto/aes_gcm_cipher.h"
#include "storage/store.h"

namespace {

using namespace sml;

constexpr std::array<std::string_view, 23> kOperations = {"BatchGetSecretValue",
                                                          "CancelRotateSecret",
                                                          "CreateSecret",
                                                          "DeleteResourcePolicy",
                                                          "DeleteSecret",
                                                          "DescribeSecret",
                                                          "GetRandomPassword",
                                                          "GetResourcePolicy",
                                                          "GetSecretValue",
                                                          "ListSecretVersionIds",
                                                          "ListSecrets",
                                                          "PutResourcePolicy",
                                                          "PutSecretValue",
                                                          "RemoveRegionsFromReplication",
                                                          "ReplicateSecretToRegions",
                                                          "RestoreSecret",
                                                          "RotateSecret",
                                                          "StopReplicationToReplica",
                                                          "TagResource",
                                                          "UntagResource",
                                                          "UpdateSecret",
                                                          "UpdateSecretVersionStage",
                                                          "ValidateResourcePolicy"};

constexpr std::array<std::string_view, 3> kCallers = {
    "",
    "AWS4-HMAC-SHA256 Credential=123456789012/20261129/eu-west-1/secretsmanager/aws4_request, "
    "SignedHeaders=host, Signature=0",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/secretsmanager/aws4_request, "
    "SignedHeaders=host, Signature=0"};

// Every handler exists and every run is dropped: RotateSecret goes all the way.
class AcceptingStarter final : public api::RotationStarter {
 public:
  bool HasHandler(std::string_view) override { return true; }
  void Start(api::RotationRun) override {}
};

struct World {
  std::array<std::uint8_t, 32> key{};
  storage::AesGcmCipher cipher{key};
  std::unique_ptr<storage::Store> store =
      storage::Store::Open({.database_file = std::nullopt, .cipher = &cipher});
  api::ManualClock clock{1'795'000'000'000};
  api::SeededRandom random{1};
  api::SeededRandom schedule_random{2};
  AcceptingStarter starter;
  api::Services services{*store, clock, random, schedule_random, nullptr, &starter};
  server::ApiProtocol protocol{services, server::ApiDefaults{}};
  int calls = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  if (size < 2) return 0;
  // Bounded state: what earlier inputs created is dropped now and then.
  if (++world.calls % 512 == 0) {
    world.store->Write([](storage::Repository& repo) { repo.Reset(); });
  }
  server::HttpRequest request{boost::beast::http::verb::post, "/", 11};
  request.set("X-Amz-Target",
              "secretsmanager." + std::string(kOperations[data[0] % kOperations.size()]));
  std::string_view caller = kCallers[data[1] % kCallers.size()];
  if (!caller.empty()) {
    request.set(boost::beast::http::field::authorization, server::ToBeast(caller));
  }
  request.body().assign(reinterpret_cast<const char*>(data) + 2, size - 2);
  server::CallSummary summary;
  auto response = world.protocol.Handle(request, "fuzz-request", summary);
  // A 500 means an exception escaped the operation's own error handling.
  if (response.result_int() >= 500) std::abort();
  return 0;
}

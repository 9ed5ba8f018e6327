#pragma once
// What every operation gets: who is calling (RequestContext) and the
// injected dependencies (Services). Operations are plain functions
//   Output Op(const RequestContext&, const nlohmann::json& input, Services&)
// listed in one table (api/dispatch.cc).
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "api/clock.h"
#include "api/output.h"
#include "api/random.h"
#include "storage/store.h"

namespace sml::api {

struct RequestContext {
  std::string account_id;  // the caller's account (from the access key id)
  std::string region;      // from the SigV4 credential scope
  std::string request_id;

  // Cross-account authorization (api/model/access.h). Members added after
  // the first three so existing aggregate initializers keep working.
  //
  // The calling principal; empty means the account's root user
  // ("arn:aws:iam::<account_id>:root"), the only principal the emulator has.
  std::string caller_arn;
  // The IAM action this request needs, "secretsmanager:<Operation>". Set by
  // the server from the X-Amz-Target; model::RequireSecret checks it against
  // the secret's resource policy. Empty: no check.
  std::string action;
  // A secret of another account is reachable only by its full ARN and only
  // when its resource policy allows `action`. The server sets it for every
  // request; the default (off) serves unit tests of other rules.
  bool enforce_resource_policies = false;
  // Condition keys the request itself supplies (secretsmanager:VersionStage,
  // secretsmanager:VersionId), offered to the resource policy.
  std::map<std::string, std::vector<std::string>> request_conditions;
};

// Hooks the server gives the api layer for work that outlives a request.
class RotationStarter;  // api/rotation (issue 3)
class ChangeListener {  // told after a secret's transaction committed
 public:
  virtual ~ChangeListener() = default;
  // The scheduler re-arms its timer; replication re-syncs replicas.
  virtual void SecretChanged(std::int64_t secret_id) = 0;
};

struct Services {
  storage::Store& store;
  const Clock& clock;
  RandomSource& random;           // cryptographic: ids, suffixes, passwords
  RandomSource& schedule_random;  // rotation window choice; seeded by --seed
  ChangeListener* change_listener = nullptr;
  RotationStarter* rotation_starter = nullptr;
};

using OperationHandler = Output (*)(const RequestContext&, const nlohmann::json& input, Services&);

// The handler for "secretsmanager.<Name>"'s Name, or nullptr.
OperationHandler FindOperation(std::string_view name);
// Whether the operation `name` may write (false for the reads and for an
// unknown name).
bool OperationMayWrite(std::string_view name);
// Every operation's name, sorted (the table FindOperation searches).
std::span<const std::string_view> OperationNames();

}  // namespace sml::api

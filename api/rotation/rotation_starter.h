#pragma once
// The seam between the RotateSecret operation (api) and the process that
// runs rotation steps on its own threads (server/rotation). The operation
// records the configuration and the AWSPENDING placeholder in its
// transaction; after the commit it hands the run over here and returns.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/service.h"

namespace sml::api {

enum class RotationTrigger { kManual, kScheduled };

struct RotationRun {
  std::int64_t secret_id = 0;
  std::string secret_arn;
  std::string account_id;
  std::string region;
  std::string token;       // the pending version's id: ClientRequestToken of every step
  std::string lambda_arn;  // the registered handler to call
  RotationTrigger trigger = RotationTrigger::kManual;
  bool test_only = false;  // RotateImmediately=false: testSecret only, then drop the placeholder
};

class RotationStarter {
 public:
  virtual ~RotationStarter() = default;
  // Whether a handler is registered under this Lambda ARN or its function name.
  virtual bool HasHandler(std::string_view lambda_arn) = 0;
  // Runs the steps asynchronously; never blocks the calling thread.
  virtual void Start(RotationRun run) = 0;
};

}  // namespace sml::api

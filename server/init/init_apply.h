#pragma once
// Applies an --init plan (init_file.h) through the same operations the API
// runs, so every rule and AWS error holds: the plan's rotation handlers are
// registered, then each secret, in order, is
//   CreateSecret, then PutResourcePolicy (ResourcePolicy), then RotateSecret
//   with RotateImmediately=false (RotationLambdaARN / RotationRules)
// in its account and region. The rotation is configured and scheduled but no
// handler runs at start: the testSecret run RotateImmediately=false asks for
// is skipped and its placeholder dropped, as after a passing test.
//
// Idempotent: a secret whose name exists in its account and region (a
// restart on the same data directory) is left as it is, and the log says so.
// An operation's ApiError becomes InitFileError naming the entry.
//
// Runs on the calling thread, before the server answers.
#include <string>

#include "api/service.h"
#include "server/init/init_file.h"
#include "server/rotation/rotation_service.h"

namespace sml::server::init {

struct InitDefaults {
  std::string account_id;
  std::string region;
};

// What happened to each secret, for the log and the tests.
struct InitOutcome {
  int created = 0;
  int kept = 0;  // already there
};

InitOutcome ApplyInitPlan(const InitPlan& plan, api::Services& services,
                          rotation::RotationService& rotations, const InitDefaults& defaults);

}  // namespace sml::server::init

// GetSecretValue: model::ReadSecretValue on a live secret, in a read (the
// first read of a day records LastAccessedDate without a write transaction).
#include "api/model/access.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/secret_value.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(GetSecretValue) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto version_id = in.String("VersionId", model::kVersionIdRule);
  auto version_stage = in.String("VersionStage", model::kVersionStageRule);
  in.Finish();
  // A resource policy may condition access on the version the request names
  // (a copy of the context only then: this is the hottest path).
  std::optional<RequestContext> with_conditions;
  if (version_stage || version_id) {
    with_conditions.emplace(context);
    auto& conditions = with_conditions->request_conditions;
    if (version_stage) conditions["secretsmanager:VersionStage"] = {*version_stage};
    if (version_id) conditions["secretsmanager:VersionId"] = {*version_id};
  }
  const RequestContext& request = with_conditions ? *with_conditions : context;

  return services.store.Read([&](storage::Repository& repo) {
    auto secret = model::RequireLiveSecret(repo, request, *secret_id);
    model::RequireValueAccessibleFrom(request, secret);
    JsonWriter out;
    model::ReadSecretValue(repo, services.clock, secret, version_id, version_stage, out);
    return out;
  });
}

}  // namespace sml::api::operations

// BatchGetSecretValue (BEHAVIOR.md §6): up to 20 secrets' current values,
// named by SecretIdList or chosen by Filters (paged), never both. A secret
// that cannot be read goes to Errors with its error code and message; the
// call itself succeeds.
#include "api/error.h"
#include "api/input.h"
#include "api/model/access.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_page.h"
#include "api/model/secret_value.h"
#include "api/operations/operations.h"
#include "storage/value_cipher.h"

namespace sml::api::operations {
namespace {

ApiError InvalidParameter(std::string message) {
  return {ErrorCode::kInvalidParameter, std::move(message)};
}

class BatchResult {
 public:
  BatchResult() {
    values_.BeginArray();
    errors_.BeginArray();
  }

  // Reads `secret`'s AWSCURRENT value into SecretValues, or its failure
  // (reported under `secret_id`) into Errors.
  void Read(storage::Repository& repo, const Clock& clock, const std::string& secret_id,
            const std::function<storage::SecretRecord()>& find) {
    try {
      storage::SecretRecord secret = find();
      if (secret.deleted_date) throw MarkedForDeletion();
      JsonWriter value;
      model::ReadSecretValue(repo, clock, secret, std::nullopt, std::nullopt, value);
      values_.Raw(value.text());
    } catch (const ApiError& error) {
      AddError(secret_id, error.code(), error.what());
    } catch (const storage::DecryptionError&) {
      const ApiError error = DecryptionFailure();
      AddError(secret_id, error.code(), error.what());
    }
  }

  JsonWriter Output(const std::optional<std::string>& next_token) && {
    values_.EndArray();
    errors_.EndArray();
    JsonWriter out;  // keys in sorted order (api/json_writer.h)
    out.BeginObject();
    out.Key("Errors");
    out.Raw(errors_.text());
    if (next_token) out.Member("NextToken", *next_token);
    out.Key("SecretValues");
    out.Raw(values_.text());
    out.EndObject();
    return out;
  }

 private:
  void AddError(const std::string& secret_id, ErrorCode code, std::string_view message) {
    errors_.BeginObject();
    errors_.Member("ErrorCode", ErrorTypeName(code));
    errors_.Member("Message", message);
    errors_.Member("SecretId", secret_id);
    errors_.EndObject();
  }

  JsonWriter values_;
  JsonWriter errors_;
};

}  // namespace

SML_OPERATION(BatchGetSecretValue) {
  Input in(input);
  auto secret_ids = in.StringList("SecretIdList", {.min_items = 1, .max_items = 20},
                                  {.min_length = 1, .max_length = 2048});
  auto filters = model::ReadFilters(in);
  auto max_results = in.Integer("MaxResults", {.min = 1, .max = 20});
  auto next_token = in.String("NextToken", {.min_length = 1, .max_length = 4096});
  in.Finish();

  // No AWS recording has these texts; they are the ones moto's suite asserts
  // (for MaxResults; NextToken, paging alike, gets the same sentence).
  if (secret_ids.has_value() == filters.has_value()) {
    throw InvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  }
  if (secret_ids && (max_results || next_token)) {
    throw InvalidParameter("'Filters' not specified. 'Filters' must also be specified when '" +
                           std::string(max_results ? "MaxResults" : "NextToken") +
                           "' is provided.");
  }
  std::vector<model::SecretFilter> complete_filters;
  if (filters) complete_filters = model::CompleteFilters(std::move(*filters));
  // AWS counts the values of all filters together: ten names and one tag key
  // were refused so (block/ftl#1937, a real BatchGetSecretValue).
  constexpr std::size_t kMaxFilterValuesInAll = 10;
  std::size_t filter_values = 0;
  for (const auto& filter : complete_filters) filter_values += filter.values.size();
  if (filter_values > kMaxFilterValuesInAll) {
    throw InvalidParameter(
        "The filter list has too many filters. You can include up to 10 filters.");
  }

  // A write transaction: reading a value updates LastAccessedDate.
  return services.store.Write([&](storage::Repository& repo) {
    BatchResult result;
    if (secret_ids) {
      // Each secret needs GetSecretValue permission (AWS's rule); a denial
      // lands in Errors like any other per-secret failure.
      RequestContext per_secret = context;
      if (!per_secret.action.empty()) per_secret.action = "secretsmanager:GetSecretValue";
      for (const auto& secret_id : *secret_ids) {
        result.Read(repo, services.clock, secret_id, [&] {
          auto secret = model::RequireSecret(repo, per_secret, secret_id);
          model::RequireValueAccessibleFrom(per_secret, secret);
          return secret;
        });
      }
      return std::move(result).Output(std::nullopt);
    }
    model::SecretListing listing;
    listing.operation = "BatchGetSecretValue";
    listing.query.account_id = context.account_id;
    listing.query.region = context.region;
    listing.filters = std::move(complete_filters);
    listing.max_results = static_cast<std::size_t>(max_results.value_or(20));
    listing.next_token = next_token;
    model::SecretPage page = model::ReadSecretPage(repo, listing);
    for (auto& secret : page.secrets) {
      result.Read(repo, services.clock, secret.arn, [&] { return secret; });
    }
    return std::move(result).Output(page.next_token);
  });
}

}  // namespace sml::api::operations

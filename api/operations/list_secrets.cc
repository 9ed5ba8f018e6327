// ListSecrets (BEHAVIOR.md §6): one page of the caller's secrets in the
// requested order, filtered, with an opaque NextToken.
#include <array>
#include <exception>

#include "api/input.h"
#include "api/model/secret_page.h"
#include "api/model/secret_view.h"
#include "api/operations/operations.h"

namespace sml::api::operations {
namespace {

struct SortName {
  std::string_view name;
  storage::SecretSortKey key;
};
constexpr std::array kSortNames = {
    SortName{"created-date", storage::SecretSortKey::kCreatedDate},
    SortName{"last-accessed-date", storage::SecretSortKey::kLastAccessedDate},
    SortName{"last-changed-date", storage::SecretSortKey::kLastChangedDate},
    SortName{"name", storage::SecretSortKey::kName},
};

}  // namespace

SML_OPERATION(ListSecrets) {
  Input in(input);
  auto include_planned_deletion = in.Bool("IncludePlannedDeletion");
  auto max_results = in.Integer("MaxResults", {.min = 1, .max = 100});
  auto next_token = in.String("NextToken", {.min_length = 1, .max_length = 4096});
  auto filters = model::ReadFilters(in);
  auto sort_order = in.String("SortOrder", {.one_of = {"asc", "desc"}});
  std::vector<std::string_view> sort_names;
  for (const auto& entry : kSortNames) sort_names.push_back(entry.name);
  auto sort_by = in.String("SortBy", {.one_of = sort_names});
  in.Finish();

  model::SecretListing listing;
  listing.operation = "ListSecrets";
  listing.query.account_id = context.account_id;
  listing.query.region = context.region;
  listing.query.include_planned_deletion = include_planned_deletion.value_or(false);
  listing.query.descending = sort_order == "desc";
  for (const auto& entry : kSortNames) {
    if (sort_by == entry.name) listing.query.sort_key = entry.key;
  }
  if (filters) listing.filters = model::CompleteFilters(std::move(*filters));
  listing.max_results = static_cast<std::size_t>(max_results.value_or(100));
  listing.next_token = std::move(next_token);
  if (listing.query.sort_key == storage::SecretSortKey::kLastAccessedDate) {
    // That order comes from the dates written; reads wait in memory up to
    // a second (storage/access_dates.h), so they are written first and the
    // listing shows every read made before it. Should the write fail (disk
    // full), they stay pending and the listing shows the dates written.
    try {
      services.store.FlushAccessDates();
    } catch (const std::exception&) {
    }
  }

  return services.store.Read([&](storage::Repository& repo) {
    model::SecretPage page = model::ReadSecretPage(repo, listing);
    JsonWriter out;  // keys in sorted order (api/json_writer.h)
    out.BeginObject();
    if (page.next_token) out.Member("NextToken", *page.next_token);
    out.Key("SecretList");
    out.BeginArray();
    for (const auto& secret : page.secrets) {
      model::WriteSecretListEntryView(out, secret, repo.LabelledVersions(secret.id));
    }
    out.EndArray();
    out.EndObject();
    return out;
  });
}

}  // namespace sml::api::operations

#include "storage/cached_read_repository.h"

#include <algorithm>

namespace sml::storage {

SqliteRepository& CachedReadRepository::Sql() {
  if (in_transaction_) return *sql_;
  const std::uint64_t before = cache_.generation();
  // Without entries taken from the cache yet, the snapshot may be taken
  // lazily (at the first SELECT): whatever it shows, a commit that began
  // after `before` makes Offer() and later lookups refuse to mix with it.
  sql_ = &begin_(/*fix=*/cache_generation_.has_value());
  in_transaction_ = true;
  if (cache_generation_) {
    // Entries already taken show the state at their generation; the
    // snapshot shows it too only if no commit began since (even: none was
    // in flight then).
    const std::uint64_t after = cache_.generation();
    if (*cache_generation_ % 2 != 0 || after != *cache_generation_) throw RereadWithoutCache{};
  }
  if (before % 2 == 0) offer_generation_ = before;
  return *sql_;
}

const CachedSecret* CachedReadRepository::Known(std::int64_t secret_id) const {
  for (const CachedSecretPtr& known : known_) {
    if (known->id() == secret_id) return known.get();
  }
  return nullptr;
}

void CachedReadRepository::Remember(CachedSecretPtr secret) {
  for (CachedSecretPtr& known : known_) {
    if (known->id() == secret->id()) {
      known = std::move(secret);
      return;
    }
  }
  known_.push_back(std::move(secret));
}

template <typename Load>
std::optional<SecretRecord> CachedReadRepository::Resolve(const SecretCache::Lookup& lookup,
                                                          Load&& load) {
  // A cache entry is usable while this read has no snapshot yet, or when the
  // snapshot is of the very generation the entry belongs to.
  const bool usable = lookup.secret && (in_transaction_ ? offer_generation_ == lookup.generation
                                                        : (!cache_generation_ ||
                                                           *cache_generation_ == lookup.generation));
  if (lookup.secret && !in_transaction_ && cache_generation_ && !usable) {
    throw RereadWithoutCache{};  // two entries from different generations
  }
  std::optional<SecretRecord> row;
  if (usable) {
    if (!in_transaction_) cache_generation_ = lookup.generation;
    Remember(lookup.secret);
    row = lookup.secret->Secret();
  } else {
    SqliteRepository& sql = Sql();
    row = load();
    if (!row) return std::nullopt;
    if (const CachedSecret* known = Known(row->id)) {
      row = known->Secret();
    } else {
      CachedSecretPtr entry = sql.LoadCachedSecret(*row);
      Remember(entry);
      if (offer_generation_ && entry->values_open()) cache_.Offer(entry, *offer_generation_);
    }
  }
  access_dates_.Overlay(*row);
  return row;
}

SecretCounts CachedReadRepository::CountSecretsByRegion() {
  // The memo serves this read at the generation it already sees: its
  // snapshot's, the entries' it took, or (neither yet) the current one if
  // no commit is under way.
  std::optional<std::uint64_t> seen = in_transaction_ ? offer_generation_ : cache_generation_;
  if (!in_transaction_ && !seen) {
    if (const std::uint64_t now = cache_.generation(); now % 2 == 0) seen = now;
  }
  if (seen) {
    if (std::optional<SecretCounts> counts = counts_.Find(*seen)) {
      if (!in_transaction_) cache_generation_ = seen;
      return std::move(*counts);
    }
  }
  SecretCounts counts = Sql().CountSecretsByRegion();
  // Read in full with no commit begun since the snapshot's generation: the
  // counts are that generation's.
  if (offer_generation_ && cache_.generation() == *offer_generation_) {
    counts_.Keep(counts, *offer_generation_);
  }
  return counts;
}

std::optional<SecretRecord> CachedReadRepository::FindSecretByName(std::string_view account_id,
                                                                   std::string_view region,
                                                                   std::string_view name) {
  return Resolve(cache_.FindByName(account_id, region, name),
                 [&] { return Sql().FindSecretByName(account_id, region, name); });
}

std::optional<SecretRecord> CachedReadRepository::FindSecretByArn(std::string_view arn) {
  return Resolve(cache_.FindByArn(arn), [&] { return Sql().FindSecretByArn(arn); });
}

std::optional<SecretRecord> CachedReadRepository::FindSecretById(std::int64_t id) {
  if (const CachedSecret* known = Known(id)) {
    SecretRecord record = known->Secret();
    access_dates_.Overlay(record);
    return record;
  }
  return Resolve(cache_.FindById(id), [&] { return Sql().FindSecretById(id); });
}

std::vector<VersionRecord> CachedReadRepository::LabelledVersions(std::int64_t secret_id) {
  const CachedSecret* secret = Known(secret_id);
  if (!secret) return Sql().LabelledVersions(secret_id);
  return secret->LabelIndex();
}

std::optional<VersionRecord> CachedReadRepository::Answer(const CachedSecret& secret,
                                                          std::optional<VersionRecord> version,
                                                          bool with_value) {
  if (!version) return std::nullopt;
  if (with_value && version->has_value && !secret.values_open()) {
    // The value did not decrypt: let SQL raise the same error.
    return Sql().FindVersion(secret.id(), version->version_id, true);
  }
  access_dates_.Overlay(secret.id(), *version);
  return version;
}

std::optional<VersionRecord> CachedReadRepository::FindVersion(std::int64_t secret_id,
                                                               std::string_view version_id,
                                                               bool with_value) {
  if (const CachedSecret* secret = Known(secret_id)) {
    if (auto version = secret->FindVersion(version_id, with_value)) {
      return Answer(*secret, std::move(version), with_value);
    }
  }
  // Not labelled (or not cached): only the table knows it.
  return Sql().FindVersion(secret_id, version_id, with_value);
}

std::optional<VersionRecord> CachedReadRepository::FindVersionByLabel(std::int64_t secret_id,
                                                                      std::string_view label,
                                                                      bool with_value) {
  const CachedSecret* secret = Known(secret_id);
  if (!secret) return Sql().FindVersionByLabel(secret_id, label, with_value);
  // Every labelled version is in the entry.
  return Answer(*secret, secret->FindVersionByLabel(label, with_value), with_value);
}

}  // namespace sml::storage

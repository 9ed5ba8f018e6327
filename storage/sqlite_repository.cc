#include "storage/sqlite_repository.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>
#include <utility>

#include "storage/repository_sql.h"
#include "storage/secret_rows.h"

namespace sml::storage {
namespace {

// How many secrets ScanSecrets reads per query: a visitor that stops early
// costs at most one chunk, and the visitor may use the repository itself
// between chunks (no statement is open while it runs).
constexpr int kScanChunk = 128;

// The authenticated context of a value's ciphertext: moving ciphertext to
// another secret, version or kind makes it fail to decrypt. Length-prefixed,
// so no two field lists encode alike.
std::string ValueContext(std::string_view arn, std::int64_t secret_id, std::string_view version_id,
                         ValueKind kind) {
  // One allocation, no temporaries: every read that misses the cache makes one.
  char id_digits[24];
  const std::string_view id(id_digits,
                            std::to_chars(id_digits, id_digits + sizeof id_digits, secret_id).ptr);
  const std::string_view kind_name = kind == ValueKind::kString ? "SecretString" : "SecretBinary";
  constexpr std::string_view kPrefix = "sml-value-v1";
  std::string context;
  context.reserve(kPrefix.size() + 4 * 22 + arn.size() + id.size() + version_id.size() +
                  kind_name.size());
  context.append(kPrefix);
  auto append = [&context](std::string_view field) {
    char digits[24];
    char* end = std::to_chars(digits, digits + sizeof digits, field.size()).ptr;
    context.append(";").append(digits, end).append(":").append(field);
  };
  append(arn);
  append(id);
  append(version_id);
  append(kind_name);
  return context;
}

std::int64_t ParseMillis(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument("ScanSecrets: cursor sort value is not a number");
  }
  return value;
}

// Appends `text` as a JSON string: quotes, backslashes and control
// characters escaped; other bytes (UTF-8) as they are.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

// The version in `versions` with this id, appended if missing: labels come
// in no particular order, and a secret has a handful of them.
VersionRecord& HolderOf(std::vector<VersionRecord>& versions, std::string version_id) {
  auto holder = std::find_if(versions.begin(), versions.end(),
                             [&](const VersionRecord& v) { return v.version_id == version_id; });
  if (holder != versions.end()) return *holder;
  VersionRecord& added = versions.emplace_back();
  added.version_id = std::move(version_id);
  return added;
}

// By version id, each one's labels sorted: cheaper here than a sorter in SQLite.
void SortLabelled(std::vector<VersionRecord>& versions) {
  std::sort(versions.begin(), versions.end(), [](const VersionRecord& a, const VersionRecord& b) {
    return a.version_id < b.version_id;
  });
  for (VersionRecord& version : versions) std::sort(version.labels.begin(), version.labels.end());
}

// Reads columns 0..5 of a version row (not its labels or value).
VersionRecord ReadVersionColumns(const sqlite::Statement& row) {
  VersionRecord version;
  version.version_id = row.ColumnText(1);
  version.created_date = row.ColumnInt64(2);
  version.last_accessed_date = row.ColumnOptionalInt64(3);
  version.kms_key_id = row.ColumnText(4);
  version.has_value = row.ColumnInt64(5) != static_cast<std::int64_t>(ValueKind::kNone);
  return version;
}

}  // namespace

ScanCursor CursorAfter(const SecretRecord& secret, SecretSortKey sort_key) {
  switch (sort_key) {
    case SecretSortKey::kCreatedDate:
      return {std::to_string(secret.created_date), secret.id};
    case SecretSortKey::kLastAccessedDate:
      return {std::to_string(secret.last_accessed_date.value_or(0)), secret.id};
    case SecretSortKey::kLastChangedDate:
      return {std::to_string(secret.last_changed_date), secret.id};
    case SecretSortKey::kName:
      return {secret.name, secret.id};
  }
  throw std::invalid_argument("CursorAfter: unknown sort key");
}

// --- secrets -----------------------------------------------------------------

std::optional<SecretRecord> SqliteRepository::FindOneSecret(sqlite::StatementUse& query) {
  if (!query->Step()) return std::nullopt;
  return Overlaid(ReadSecretRow(*query));
}

std::optional<SecretRecord> SqliteRepository::FindSecretByName(std::string_view account_id,
                                                               std::string_view region,
                                                               std::string_view name) {
  auto query = connection_.Use(sql::kFindSecretByName);
  query->BindText(1, account_id);
  query->BindText(2, region);
  query->BindText(3, name);
  return FindOneSecret(query);
}

std::optional<SecretRecord> SqliteRepository::FindSecretByArn(std::string_view arn) {
  auto query = connection_.Use(sql::kFindSecretByArn);
  query->BindText(1, arn);
  return FindOneSecret(query);
}

std::optional<SecretRecord> SqliteRepository::FindSecretById(std::int64_t id) {
  auto query = connection_.Use(sql::kFindSecretById);
  query->BindInt64(1, id);
  return FindOneSecret(query);
}

void SqliteRepository::InsertSecret(SecretRecord& secret) {
  const std::string data_key = cipher_.NewWrappedDataKey();
  const std::optional<std::string> tags_json = EncodeTags(secret.tags);
  auto query = connection_.Use(sql::kInsertSecret);
  BindSecretColumns(*query, secret, tags_json);
  query->BindBlob(sql::kBoundSecretColumns + 1, data_key);
  query->Run();
  secret.id = connection_.LastInsertRowId();
  if (secret.last_accessed_date) {
    auto access = connection_.Use(sql::kSetSecretAccess);
    access->BindInt64(1, secret.id);
    access->BindInt64(2, *secret.last_accessed_date);
    access->Run();
  }
  Touch(secret.id);
  RememberKey(secret.id, {secret.arn, data_key});
}

void SqliteRepository::UpdateSecret(const SecretRecord& secret) {
  const std::optional<std::string> tags_json = EncodeTags(secret.tags);
  auto query = connection_.Use(sql::kUpdateSecret);
  BindSecretColumns(*query, secret, tags_json);
  query->BindInt64(sql::kBoundSecretColumns + 1, secret.id);
  query->Run();
  Touch(secret.id);
  keys_.erase(secret.id);  // in case the ARN changed
}

void SqliteRepository::SetLastChangedDate(std::int64_t secret_id, EpochMillis when) {
  auto query = connection_.Use(sql::kSetLastChangedDate);
  query->BindInt64(1, secret_id);
  query->BindInt64(2, when);
  query->Run();
  Touch(secret_id);
}

void SqliteRepository::PurgeSecret(std::int64_t secret_id) {
  // Versions and labels go with it (ON DELETE CASCADE).
  auto query = connection_.Use(sql::kDeleteSecret);
  query->BindInt64(1, secret_id);
  query->Run();
  Touch(secret_id);
  keys_.erase(secret_id);
}

void SqliteRepository::ScanSecrets(const ScanQuery& query,
                                   const std::function<bool(const SecretRecord&)>& visit) {
  const auto sort_index = static_cast<std::size_t>(query.sort_key);
  if (sort_index >= std::size(sql::kScanSecrets)) {
    throw std::invalid_argument("ScanSecrets: unknown sort key");
  }
  const sql::ScanStatements& statements = sql::kScanSecrets[sort_index][query.descending ? 1 : 0];
  const bool by_name = query.sort_key == SecretSortKey::kName;

  std::optional<ScanCursor> after = query.after;
  std::vector<SecretRecord> chunk;
  chunk.reserve(kScanChunk);
  for (;;) {
    chunk.clear();
    {
      auto scan = connection_.Use(after ? statements.after : statements.first);
      scan->BindText(1, query.account_id);
      scan->BindText(2, query.region);
      if (after) {
        if (by_name) {
          scan->BindText(3, after->sort_value);
        } else {
          scan->BindInt64(3, ParseMillis(after->sort_value));
        }
        scan->BindInt64(4, after->id);
      }
      scan->BindInt64(5, query.include_planned_deletion ? 1 : 0);
      scan->BindInt64(6, kScanChunk);
      while (scan->Step()) chunk.push_back(ReadSecretRow(*scan));
    }
    if (chunk.size() == static_cast<std::size_t>(kScanChunk)) {
      after = CursorAfter(chunk.back(), query.sort_key);
    }
    // Sorted by last access, a listing shows the dates its order (and its
    // cursors) come from: those written (ListSecrets writes pending ones
    // first).
    const bool overlay = query.sort_key != SecretSortKey::kLastAccessedDate;
    for (SecretRecord& secret : chunk) {
      if (overlay && access_dates_) access_dates_->Overlay(secret);
      if (!visit(secret)) return;
    }
    if (chunk.size() < static_cast<std::size_t>(kScanChunk)) return;
  }
}

SecretCounts SqliteRepository::CountSecretsByRegion() {
  SecretCounts counts;
  auto query = connection_.Use(sql::kSecretCounts);
  while (query->Step()) {
    RegionSecretCount& region = counts.regions.emplace_back();
    region.account_id = query->ColumnText(0);
    region.region = query->ColumnText(1);
    region.secrets = query->ColumnInt64(2);
    counts.total += region.secrets;
  }
  return counts;
}

// --- versions and labels -------------------------------------------------------

std::vector<VersionRecord> SqliteRepository::LabelledVersions(std::int64_t secret_id) {
  // Labels alone: a listing asks this of every secret on its page, and
  // counting versions would scan each one's versions too.
  std::vector<VersionRecord> labelled;
  auto query = connection_.Use(sql::kLabelsOfSecret);
  query->BindInt64(1, secret_id);
  while (query->Step()) {
    HolderOf(labelled, query->ColumnText(0)).labels.push_back(query->ColumnText(1));
  }
  SortLabelled(labelled);
  return labelled;
}

LabelCensus SqliteRepository::CensusOfVersions(std::int64_t secret_id) {
  LabelCensus census;
  auto query = connection_.Use(sql::kLabelsAndVersionCount);
  query->BindInt64(1, secret_id);
  while (query->Step()) {
    if (query->IsNull(0)) {
      census.version_count = query->ColumnInt64(1);
      continue;
    }
    HolderOf(census.labelled, query->ColumnText(0)).labels.push_back(query->ColumnText(1));
  }
  SortLabelled(census.labelled);
  return census;
}

std::vector<VersionRecord> SqliteRepository::Versions(std::int64_t secret_id) {
  std::vector<VersionRecord> versions;
  auto query = connection_.Use(sql::kVersions);
  query->BindInt64(1, secret_id);
  std::int64_t current_seq = -1;
  while (query->Step()) {
    const std::int64_t seq = query->ColumnInt64(0);
    if (versions.empty() || seq != current_seq) {
      versions.push_back(ReadVersionColumns(*query));
      if (access_dates_) access_dates_->Overlay(secret_id, versions.back());
      current_seq = seq;
    }
    if (!query->IsNull(6)) versions.back().labels.push_back(query->ColumnText(6));
  }
  return versions;
}

std::optional<VersionRecord> SqliteRepository::ReadOneVersion(sqlite::StatementUse& query,
                                                              std::int64_t secret_id,
                                                              bool with_value) {
  if (!query->Step()) return std::nullopt;
  VersionRecord version = ReadVersionColumns(*query);
  if (access_dates_) access_dates_->Overlay(secret_id, version);
  const auto kind = static_cast<ValueKind>(query->ColumnInt64(5));
  std::string ciphertext, data_key, arn;
  if (with_value && kind != ValueKind::kNone) {
    ciphertext = query->ColumnBlob(7);
    data_key = query->ColumnBlob(8);
    arn = query->ColumnText(9);
  }
  do {
    if (!query->IsNull(6)) version.labels.push_back(query->ColumnText(6));
  } while (query->Step());

  if (with_value && kind != ValueKind::kNone) {
    std::string plaintext = cipher_.Decrypt(data_key, ciphertext,
                                            ValueContext(arn, secret_id, version.version_id, kind));
    if (kind == ValueKind::kString) {
      version.secret_string = std::move(plaintext);
    } else {
      version.secret_binary = std::move(plaintext);
    }
  }
  return version;
}

std::optional<VersionRecord> SqliteRepository::FindVersion(std::int64_t secret_id,
                                                           std::string_view version_id,
                                                           bool with_value) {
  auto query = connection_.Use(with_value ? sql::kFindVersionWithValue : sql::kFindVersion);
  query->BindInt64(1, secret_id);
  query->BindText(2, version_id);
  return ReadOneVersion(query, secret_id, with_value);
}

std::optional<VersionRecord> SqliteRepository::FindVersionByLabel(std::int64_t secret_id,
                                                                  std::string_view label,
                                                                  bool with_value) {
  auto query =
      connection_.Use(with_value ? sql::kFindVersionByLabelWithValue : sql::kFindVersionByLabel);
  query->BindInt64(1, secret_id);
  query->BindText(2, label);
  return ReadOneVersion(query, secret_id, with_value);
}

void SqliteRepository::WriteVersionValue(const char* sql, std::int64_t secret_id,
                                         const VersionRecord& version, bool with_created) {
  Touch(secret_id);
  if (version.secret_string && version.secret_binary) {
    throw std::invalid_argument("a version holds SecretString or SecretBinary, not both");
  }
  ValueKind kind = ValueKind::kNone;
  const std::string* plaintext = nullptr;
  if (version.secret_string) {
    kind = ValueKind::kString;
    plaintext = &*version.secret_string;
  } else if (version.secret_binary) {
    kind = ValueKind::kBinary;
    plaintext = &*version.secret_binary;
  }

  std::optional<std::string> ciphertext;
  if (plaintext) {
    const SecretKey& key = KeyOf(secret_id);
    ciphertext = cipher_.Encrypt(key.wrapped_key, *plaintext,
                                 ValueContext(key.arn, secret_id, version.version_id, kind));
  }

  auto query = connection_.Use(sql);
  query->BindInt64(1, secret_id);
  query->BindText(2, version.version_id);
  if (with_created) query->BindInt64(3, version.created_date);
  query->BindText(5, version.kms_key_id);
  query->BindInt64(6, static_cast<std::int64_t>(kind));
  if (ciphertext) {
    query->BindBlob(7, *ciphertext);
  } else {
    query->BindNull(7);
  }
  query->Run();
}

const SqliteRepository::SecretKey& SqliteRepository::KeyOf(std::int64_t secret_id) {
  if (auto it = keys_.find(secret_id); it != keys_.end()) return it->second;
  SecretKey key;
  {
    auto query = connection_.Use(sql::kSecretKey);
    query->BindInt64(1, secret_id);
    if (!query->Step()) throw std::runtime_error("no secret with id " + std::to_string(secret_id));
    key.arn = query->ColumnText(0);
    key.wrapped_key = query->ColumnBlob(1);
  }
  RememberKey(secret_id, std::move(key));
  return keys_.at(secret_id);
}

void SqliteRepository::RememberKey(std::int64_t secret_id, SecretKey key) {
  if (keys_.size() >= kMaxKeys) keys_.clear();
  keys_.insert_or_assign(secret_id, std::move(key));
}

void SqliteRepository::InsertVersion(std::int64_t secret_id, const VersionRecord& version) {
  WriteVersionValue(sql::kInsertVersion, secret_id, version, /*with_created=*/true);
  if (version.last_accessed_date) {
    SetVersionLastAccessed(secret_id, version.version_id, *version.last_accessed_date);
  }
}

bool SqliteRepository::InsertVersionIfAbsent(std::int64_t secret_id, const VersionRecord& version) {
  WriteVersionValue(sql::kInsertVersionIfAbsent, secret_id, version, /*with_created=*/true);
  if (connection_.Changes() != 1) return false;
  if (version.last_accessed_date) {
    SetVersionLastAccessed(secret_id, version.version_id, *version.last_accessed_date);
  }
  return true;
}

void SqliteRepository::UpdateVersionValue(std::int64_t secret_id, const VersionRecord& version) {
  WriteVersionValue(sql::kUpdateVersionValue, secret_id, version, /*with_created=*/false);
  if (connection_.Changes() == 0) {
    throw std::runtime_error("UpdateVersionValue: secret " + std::to_string(secret_id) +
                             " has no version " + version.version_id);
  }
}

void SqliteRepository::SetVersionLastAccessed(std::int64_t secret_id, std::string_view version_id,
                                              EpochMillis when) {
  Touch(secret_id);
  auto query = connection_.Use(sql::kSetVersionLastAccessed);
  query->BindInt64(1, secret_id);
  query->BindText(2, version_id);
  query->BindInt64(3, when);
  query->Run();
}

void SqliteRepository::RecordAccess(std::int64_t secret_id, std::string_view version_id,
                                    EpochMillis day) {
  if (defer_access_ && access_dates_) return access_dates_->Record(secret_id, version_id, day);
  touched_.accessed.push_back({secret_id, std::string(version_id), day});
  {
    auto query = connection_.Use(sql::kRecordSecretAccess);
    query->BindInt64(1, secret_id);
    query->BindInt64(2, day);
    query->Run();
  }
  auto query = connection_.Use(sql::kRecordVersionAccess);
  query->BindInt64(1, secret_id);
  query->BindText(2, version_id);
  query->BindInt64(3, day);
  query->Run();
}

void SqliteRepository::DeleteVersion(std::int64_t secret_id, std::string_view version_id) {
  // Its labels go with it (ON DELETE CASCADE).
  Touch(secret_id);
  auto query = connection_.Use(sql::kDeleteVersion);
  query->BindInt64(1, secret_id);
  query->BindText(2, version_id);
  query->Run();
}

void SqliteRepository::DeleteOldestUnlabelledVersions(std::int64_t secret_id, std::int64_t count) {
  if (count <= 0) return;
  Touch(secret_id);
  const bool one = count == 1;  // what a put prunes
  auto query = connection_.Use(one ? sql::kDeleteOldestUnlabelledVersion
                                   : sql::kDeleteOldestUnlabelledVersions);
  query->BindInt64(1, secret_id);
  if (!one) query->BindInt64(2, count);
  query->Run();
}

void SqliteRepository::ReplaceLabels(std::int64_t secret_id,
                                     const std::vector<VersionRecord>& versions) {
  UpdateLabels(secret_id, LabelledVersions(secret_id), versions);
}

void SqliteRepository::UpdateLabels(std::int64_t secret_id,
                                    const std::vector<VersionRecord>& stored,
                                    const std::vector<VersionRecord>& versions) {
  // (label, version id), before and after: a handful of labels, so flat
  // lists, and the statements' JSON written directly (a DOM and a map cost a
  // sixth of a PutSecretValue).
  using Holders = std::vector<std::pair<std::string_view, std::string_view>>;
  auto holder = [](const Holders& holders, std::string_view label) {
    return std::find_if(holders.begin(), holders.end(),
                        [&](const auto& held) { return held.first == label; });
  };
  Holders before, after;
  for (const VersionRecord& version : stored) {
    for (const std::string& label : version.labels) before.emplace_back(label, version.version_id);
  }
  for (const VersionRecord& version : versions) {
    for (const std::string& label : version.labels) {
      auto held = holder(after, label);
      if (held == after.end()) {
        after.emplace_back(label, version.version_id);
      } else if (held->second != version.version_id) {
        throw std::runtime_error("staging label " + label + " on two versions of secret " +
                                 std::to_string(secret_id));
      }
    }
  }
  std::string attach, remove;  // {"label":"version id",...} and ["label",...]
  for (const auto& [label, version_id] : after) {
    auto was = holder(before, label);
    if (was != before.end() && was->second == version_id) continue;
    attach += attach.empty() ? '{' : ',';
    AppendJsonString(attach, label);
    attach += ':';
    AppendJsonString(attach, version_id);
  }
  for (const auto& [label, version_id] : before) {
    if (holder(after, label) != after.end()) continue;
    remove += remove.empty() ? '[' : ',';
    AppendJsonString(remove, label);
  }
  if (attach.empty() && remove.empty()) return;
  Touch(secret_id);
  if (!remove.empty()) {
    remove += ']';
    auto query = connection_.Use(sql::kRemoveLabels);
    query->BindInt64(1, secret_id);
    query->BindText(2, remove);
    query->Run();
  }
  if (!attach.empty()) {
    attach += '}';
    auto query = connection_.Use(sql::kAttachLabels);
    query->BindInt64(1, secret_id);
    query->BindText(2, attach);
    query->Run();
  }
}

// --- the read cache ----------------------------------------------------------

CachedSecretPtr SqliteRepository::LoadCachedSecret(const SecretRecord& row) {
  const std::int64_t id = row.id;
  std::vector<VersionRecord> labelled;
  std::string wrapped;
  struct Ciphertext {
    std::string version_id;
    ValueKind kind;
    std::string bytes;
  };
  std::vector<Ciphertext> ciphertexts;  // one per labelled version
  {
    auto query = connection_.Use(sql::kLabelledVersionsWithValue);
    query->BindInt64(1, id);
    while (query->Step()) {
      if (wrapped.empty()) wrapped = query->ColumnBlob(7);
      const std::size_t known = labelled.size();
      VersionRecord& version = HolderOf(labelled, query->ColumnText(0));
      if (labelled.size() > known) {  // the version's first row
        version.created_date = query->ColumnInt64(1);
        version.last_accessed_date = query->ColumnOptionalInt64(2);
        version.kms_key_id = query->ColumnText(3);
        const auto kind = static_cast<ValueKind>(query->ColumnInt64(4));
        version.has_value = kind != ValueKind::kNone;
        ciphertexts.push_back(
            {version.version_id, kind, version.has_value ? query->ColumnBlob(5) : std::string()});
      }
      version.labels.push_back(query->ColumnText(6));
    }
  }
  // Both by version id (unique), so ciphertexts[i] stays labelled[i]'s.
  SortLabelled(labelled);
  std::sort(ciphertexts.begin(), ciphertexts.end(),
            [](const Ciphertext& a, const Ciphertext& b) { return a.version_id < b.version_id; });
  // No labelled version: nothing worth keeping (not offered to the cache).
  if (wrapped.empty()) return CachedSecret::Make(row, labelled, false);
  std::string key;
  bool values_open = false;
  try {
    key = cipher_.OpenDataKey(wrapped);
    for (std::size_t i = 0; i < labelled.size(); ++i) {
      VersionRecord& version = labelled[i];
      const Ciphertext& ciphertext = ciphertexts[i];
      if (!version.has_value) continue;
      std::string plaintext = cipher_.DecryptWithKey(
          key, ciphertext.bytes, ValueContext(row.arn, id, version.version_id, ciphertext.kind));
      (ciphertext.kind == ValueKind::kString ? version.secret_string : version.secret_binary) =
          std::move(plaintext);
    }
    values_open = true;
  } catch (const DecryptionError&) {
    // Values of this secret cannot be read; its metadata still can.
  }
  OPENSSL_cleanse(key.data(), key.size());
  CachedSecretPtr entry = CachedSecret::Make(row, labelled, values_open);
  // The entry has its own copy: leave none here.
  for (VersionRecord& version : labelled) {
    for (auto* value : {&version.secret_string, &version.secret_binary}) {
      if (*value) OPENSSL_cleanse((*value)->data(), (*value)->size());
    }
  }
  return entry;
}

TouchedSecrets SqliteRepository::TakeTouched() { return std::exchange(touched_, {}); }

void SqliteRepository::TouchInsteadOfAccessMoves() {
  for (const SecretCache::AccessMove& move : touched_.accessed) Touch(move.secret_id);
  touched_.accessed.clear();
}

// --- scheduler ------------------------------------------------------------------

std::optional<EpochMillis> SqliteRepository::EarliestDueEvent() {
  std::optional<EpochMillis> rotation, deletion;
  {
    auto query = connection_.Use(sql::kEarliestRotation);
    query->Step();
    rotation = query->ColumnOptionalInt64(0);
  }
  {
    auto query = connection_.Use(sql::kEarliestDeletion);
    query->Step();
    deletion = query->ColumnOptionalInt64(0);
  }
  if (rotation && deletion) return std::min(*rotation, *deletion);
  return rotation ? rotation : deletion;
}

std::vector<SecretRecord> SqliteRepository::DueSecrets(const char* sql, EpochMillis now,
                                                       int limit) {
  std::vector<SecretRecord> due;
  auto query = connection_.Use(sql);
  query->BindInt64(1, now);
  query->BindInt64(2, limit);
  while (query->Step()) due.push_back(Overlaid(ReadSecretRow(*query)));
  return due;
}

std::vector<SecretRecord> SqliteRepository::DueRotations(EpochMillis now, int limit) {
  return DueSecrets(sql::kDueRotations, now, limit);
}

std::vector<SecretRecord> SqliteRepository::DueDeletions(EpochMillis now, int limit) {
  return DueSecrets(sql::kDueDeletions, now, limit);
}

// --- admin ------------------------------------------------------------------------

void SqliteRepository::Reset() {
  touched_.everything = true;
  keys_.clear();
  connection_.Execute(sql::kDeferForeignKeys);  // until COMMIT; any table order works
  std::vector<std::string> tables;
  {
    auto query = connection_.Use(sql::kUserTables);
    while (query->Step()) tables.push_back(query->ColumnText(0));
  }
  for (const std::string& table : tables) {
    // Table names come from our own schema, not from input; quoted anyway.
    std::string quoted;
    for (char c : table) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
    connection_.Execute(("DELETE FROM \"" + quoted + "\"").c_str());
  }
  // Every table is empty, so nothing is left to check; later writes of the
  // same transaction (a group commit) get their checks at once again.
  connection_.Execute(sql::kUndeferForeignKeys);
}

}  // namespace sml::storage

// The read cache's packed entry: any secret row and labelled versions packed
// by CachedSecret::Make unpack to exactly what was packed (row, ARN, versions
// by id and by label, the label index), values only when they opened. The
// compact forms (lowercase UUIDs, AWS's labels and default key id, zigzag
// varints) are drawn often, with near misses.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/cached_secret.h"

using sml::storage::CachedSecret;
using sml::storage::CachedSecretPtr;
using sml::storage::EpochMillis;
using sml::storage::SecretRecord;
using sml::storage::Tag;
using sml::storage::VersionRecord;

namespace {

constexpr const char* kWords[] = {"AWSCURRENT", "AWSPREVIOUS", "AWSPENDING",
                                  "DefaultEncryptionKey"};

std::string Text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(300); }

// A text, or a word the packing treats specially, or one changed by a byte.
std::string Word(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return Text(in);
    case 1:
      return kWords[in.ConsumeIntegralInRange(0, 3)];
    default: {
      std::string word = kWords[in.ConsumeIntegralInRange(0, 3)];
      const auto at = in.ConsumeIntegralInRange<std::size_t>(0, word.size());
      const char c = in.ConsumeIntegral<char>();
      if (at == word.size() || in.ConsumeBool()) {
        word.insert(at, 1, c);
      } else {
        word[at] = c;
      }
      return word;
    }
  }
}

// A text, or a lowercase UUID, or one with a character changed.
std::string VersionId(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange(0, 2) == 0) return Text(in);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    const auto byte = in.ConsumeIntegral<std::uint8_t>();
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0xf]);
  }
  if (in.ConsumeBool())
    id[in.ConsumeIntegralInRange<std::size_t>(0, 35)] = in.ConsumeIntegral<char>();
  return id;
}

EpochMillis Date(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:
      return INT64_MIN + in.ConsumeIntegralInRange<EpochMillis>(0, 1);
    case 1:
      return INT64_MAX;
    default:
      return in.ConsumeIntegral<EpochMillis>();
  }
}

// INT64_MIN is the access slots' "never": an access date is any other.
std::optional<EpochMillis> AccessDate(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  return std::max(Date(in), INT64_MIN + 1);
}

template <typename T, typename Make>
std::optional<T> Maybe(FuzzedDataProvider& in, Make&& make) {
  if (!in.ConsumeBool()) return std::nullopt;
  return make(in);
}

SecretRecord Secret(FuzzedDataProvider& in) {
  SecretRecord s;
  s.id = in.ConsumeIntegral<std::int64_t>();
  // Account ids and regions never hold NUL (the name key's separator).
  s.account_id = in.ConsumeBool() ? "123456789012" : in.ConsumeRandomLengthString(20);
  s.region = in.ConsumeBool() ? "us-east-1" : in.ConsumeRandomLengthString(20);
  std::erase(s.account_id, '\0');
  std::erase(s.region, '\0');
  s.name = Text(in);
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:  // the usual shape, partition and suffix kept
      s.arn = "arn:" + (in.ConsumeBool() ? std::string("aws") : Text(in)) +
              ":secretsmanager:" + s.region + ":" + s.account_id + ":secret:" + s.name + "-" +
              in.ConsumeBytesAsString(6);
      break;
    case 1:  // nearly: another name, region or suffix length
      s.arn = "arn:aws:secretsmanager:" + s.region + ":" + s.account_id + ":secret:" + Text(in);
      break;
    default:
      s.arn = Text(in);
  }
  auto text = [](FuzzedDataProvider& p) { return Text(p); };
  auto date = [](FuzzedDataProvider& p) { return Date(p); };
  s.description = Maybe<std::string>(in, text);
  s.kms_key_id = Maybe<std::string>(in, text);
  s.type = Maybe<std::string>(in, text);
  s.owning_service = Maybe<std::string>(in, text);
  s.created_date = Date(in);
  s.last_changed_date = Date(in);
  s.last_accessed_date = AccessDate(in);
  s.deleted_date = Maybe<EpochMillis>(in, date);
  s.deletion_date = Maybe<EpochMillis>(in, date);
  if (in.ConsumeBool()) {
    s.tags.emplace(in.ConsumeIntegralInRange(0, 4));
    for (Tag& tag : *s.tags) tag = {Text(in), Text(in)};
  }
  s.rotation_enabled = Maybe<bool>(in, [](FuzzedDataProvider& p) { return p.ConsumeBool(); });
  s.rotation_lambda_arn = Maybe<std::string>(in, text);
  s.rotation_rules_json = Maybe<std::string>(in, text);
  s.last_rotated_date = Maybe<EpochMillis>(in, date);
  s.next_rotation_date = Maybe<EpochMillis>(in, date);
  s.rotation_window_end = Maybe<EpochMillis>(in, date);
  s.external_rotation_metadata_json = Maybe<std::string>(in, text);
  s.external_rotation_role_arn = Maybe<std::string>(in, text);
  s.resource_policy = Maybe<std::string>(in, text);
  s.primary_region = Maybe<std::string>(in, text);
  s.replication_status_json = Maybe<std::string>(in, text);
  return s;
}

// Labelled versions as the repository reads them: ids unique, sorted; a
// value (string or binary) only when has_value.
std::vector<VersionRecord> Versions(FuzzedDataProvider& in) {
  std::vector<VersionRecord> versions(in.ConsumeIntegralInRange(0, 6));
  std::set<std::string> ids;
  for (VersionRecord& v : versions) {
    do {
      v.version_id = VersionId(in);
    } while (!ids.insert(v.version_id).second && in.remaining_bytes() > 0);
    v.created_date = Date(in);
    v.last_accessed_date = AccessDate(in);
    v.has_value = in.ConsumeBool();
    if (v.has_value) (in.ConsumeBool() ? v.secret_string : v.secret_binary) = Text(in);
    v.kms_key_id = Word(in);
    v.labels.resize(in.ConsumeIntegralInRange(0, 4));
    for (std::string& label : v.labels) label = Word(in);
    std::sort(v.labels.begin(), v.labels.end());
  }
  std::erase_if(versions, [&, seen = std::set<std::string>()](const VersionRecord& v) mutable {
    return !seen.insert(v.version_id).second;  // an id the input ran out before replacing
  });
  std::sort(versions.begin(), versions.end(), [](const VersionRecord& a, const VersionRecord& b) {
    return a.version_id < b.version_id;
  });
  return versions;
}

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const SecretRecord secret = Secret(in);
  const std::vector<VersionRecord> versions = Versions(in);
  const bool values_open = in.ConsumeBool();
  CachedSecretPtr entry;
  try {
    entry = CachedSecret::Make(secret, versions, values_open);
  } catch (const std::length_error&) {
    return 0;  // a name or ARN over 64 KiB is not cached
  }
  Check(entry->id() == secret.id && entry->values_open() == values_open);
  Check(entry->Secret() == secret);
  Check(entry->arn() == secret.arn && entry->HasArn(secret.arn));
  Check(entry->name_key() == CachedSecret::NameKey(secret.account_id, secret.region, secret.name));

  const std::vector<VersionRecord> index = entry->LabelIndex();
  Check(index.size() == versions.size());
  for (std::size_t i = 0; i < versions.size(); ++i) {
    Check(index[i].version_id == versions[i].version_id && index[i].labels == versions[i].labels);
  }
  for (const VersionRecord& version : versions) {
    VersionRecord without_value = version;
    without_value.secret_string.reset();
    without_value.secret_binary.reset();
    Check(entry->FindVersion(version.version_id, true) == (values_open ? version : without_value));
    Check(entry->FindVersion(version.version_id, false) == without_value);
    for (const std::string& label : version.labels) {
      const auto first =
          std::find_if(versions.begin(), versions.end(), [&](const VersionRecord& v) {
            return std::find(v.labels.begin(), v.labels.end(), label) != v.labels.end();
          });
      const auto found = entry->FindVersionByLabel(label, false);
      Check(found && found->version_id == first->version_id);
    }
  }

  // Access dates move forward only, the secret's and that version's.
  if (!versions.empty()) {
    const VersionRecord& version =
        versions[in.ConsumeIntegralInRange<std::size_t>(0, versions.size() - 1)];
    const EpochMillis day = std::max(in.ConsumeIntegral<EpochMillis>(), INT64_MIN + 1);
    entry->RecordAccess(version.version_id, day);
    auto later = [day](std::optional<EpochMillis> was) { return std::max(was.value_or(day), day); };
    Check(entry->Secret().last_accessed_date == later(secret.last_accessed_date));
    Check(entry->FindVersion(version.version_id, false)->last_accessed_date ==
          later(version.last_accessed_date));
  }
  return 0;
}

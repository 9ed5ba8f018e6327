#include "storage/cached_secret.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <iterator>
#include <optional>
#include <stdexcept>

namespace sml::storage {

namespace {

// The packed form: integers as varints (zigzag), strings as a varint length
// and the bytes, an optional as its value alone (when present) and a bit in
// the presence mask written before its record's fields (BeginMask, EndMask).
// Two string fields that nearly every entry holds are smaller still: a
// version id that is a lowercase UUID (what SDKs send and this server
// makes) as its 16 bytes, and a label or key id that is one of kCommonWords
// as one byte. PackedFields and VersionFields list the fields once, for
// packing and unpacking alike. The cache's byte bound is what decides how
// many secrets a large set keeps cached, so every byte here counts.

// Strings in nearly every entry: the staging labels and the default key id.
constexpr std::string_view kCommonWords[] = {"AWSCURRENT", "AWSPREVIOUS", "AWSPENDING",
                                             "DefaultEncryptionKey"};

// A version id of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lowercase hex).
constexpr std::size_t kUuidText = 36;  // packed as 16 bytes
constexpr bool IsUuidDash(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int LowerHexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool IsLowercaseUuid(std::string_view text) {
  if (text.size() != kUuidText) return false;
  for (std::size_t i = 0; i < kUuidText; ++i) {
    if (IsUuidDash(i) ? text[i] != '-' : LowerHexDigit(text[i]) < 0) return false;
  }
  return true;
}

// The byte before an Id or a Word: the text follows, or (Id) its 16 bytes
// follow, or (Word) it is kCommonWords[code - 1].
enum PackedText : char { kPlainText = 0, kUuidText16 = 1 };

class Packer {
 public:
  explicit Packer(std::string& out) : out_(out) {}
  void operator()(std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    Length(static_cast<std::size_t>((bits << 1) ^ (value < 0 ? ~std::uint64_t{0} : 0)));
  }
  void operator()(bool value) { out_.push_back(value ? 1 : 0); }
  void Id(std::string_view text) {
    if (!IsLowercaseUuid(text)) {
      out_.push_back(kPlainText);
      return (*this)(text);
    }
    out_.push_back(kUuidText16);
    for (std::size_t i = 0; i < kUuidText; i += 2) {
      if (IsUuidDash(i)) ++i;
      out_.push_back(static_cast<char>(LowerHexDigit(text[i]) << 4 | LowerHexDigit(text[i + 1])));
    }
  }
  void Word(std::string_view text) {
    const auto* common = std::find(std::begin(kCommonWords), std::end(kCommonWords), text);
    if (common == std::end(kCommonWords)) {
      out_.push_back(kPlainText);
      return (*this)(text);
    }
    out_.push_back(static_cast<char>(common - std::begin(kCommonWords) + 1));
  }
  void Words(const std::vector<std::string>& list) {
    Length(list.size());
    for (const std::string& text : list) Word(text);
  }
  void operator()(std::string_view text) {
    Length(text.size());
    out_.append(text);
  }
  template <typename T>
  void operator()(const std::optional<T>& value) {
    if (mask_at_ == kNoMask || bit_ == 32) throw std::logic_error("optional outside a mask");
    if (value) {
      mask_ |= std::uint32_t{1} << bit_;
      (*this)(*value);
    }
    ++bit_;
  }
  void BeginMask() {
    mask_at_ = out_.size();
    out_.append(sizeof mask_, '\0');
    mask_ = 0;
    bit_ = 0;
  }
  void EndMask() {
    std::memcpy(out_.data() + mask_at_, &mask_, sizeof mask_);
    mask_at_ = kNoMask;
  }
  void operator()(const std::vector<Tag>& tags) {
    Length(tags.size());
    for (const Tag& tag : tags) {
      (*this)(std::string_view(tag.key));
      (*this)(std::string_view(tag.value));
    }
  }
  void Length(std::size_t size) {
    while (size >= 0x80) {
      out_.push_back(static_cast<char>((size & 0x7f) | 0x80));
      size >>= 7;
    }
    out_.push_back(static_cast<char>(size));
  }

 private:
  static constexpr std::size_t kNoMask = SIZE_MAX;
  std::string& out_;
  std::size_t mask_at_ = kNoMask;
  std::uint32_t mask_ = 0;
  unsigned bit_ = 0;
};

class Unpacker {
 public:
  Unpacker(std::string_view packed, std::size_t at) : packed_(packed), at_(at) {}
  void operator()(std::int64_t& value) {
    const auto bits = static_cast<std::uint64_t>(Length());
    value = static_cast<std::int64_t>((bits >> 1) ^ (~(bits & 1) + 1));
  }
  void operator()(bool& value) { value = packed_[at_++] != 0; }
  void Id(std::string& text) {
    if (Byte() == kPlainText) return (*this)(text);
    static constexpr char kHex[] = "0123456789abcdef";
    text.resize(kUuidText);
    for (std::size_t i = 0; i < kUuidText; i += 2) {
      if (IsUuidDash(i)) text[i++] = '-';
      const auto byte = static_cast<unsigned char>(Byte());
      text[i] = kHex[byte >> 4];
      text[i + 1] = kHex[byte & 0xf];
    }
  }
  void Word(std::string& text) {
    const auto code = static_cast<unsigned char>(Byte());
    if (code == kPlainText) return (*this)(text);
    text = kCommonWords[code - 1];
  }
  void Words(std::vector<std::string>& list) {
    list.resize(Length());
    for (std::string& text : list) Word(text);
  }
  void operator()(std::string& text) { text = View(); }
  template <typename T>
  void operator()(std::optional<T>& value) {
    if (!masked_ || bit_ == 32) throw std::logic_error("optional outside a mask");
    if ((mask_ >> bit_++ & 1) == 0) return value.reset();
    (*this)(value.emplace());
  }
  void BeginMask() {
    std::memcpy(&mask_, packed_.data() + at_, sizeof mask_);
    at_ += sizeof mask_;
    bit_ = 0;
    masked_ = true;
  }
  void operator()(std::vector<Tag>& tags) {
    tags.resize(Length());
    for (Tag& tag : tags) {
      (*this)(tag.key);
      (*this)(tag.value);
    }
  }
  std::size_t Length() {
    std::size_t size = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(packed_[at_++]);
      size |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return size;
    }
  }
  std::string_view View() {
    const std::size_t size = Length();
    const std::string_view text = packed_.substr(at_, size);
    at_ += size;
    return text;
  }
  char Byte() { return packed_[at_++]; }

 private:
  std::string_view packed_;
  std::size_t at_;
  std::uint32_t mask_ = 0;
  unsigned bit_ = 0;
  bool masked_ = false;
};

// Every column of the row but id, account_id, region, name and arn (packed
// first, as the cache's keys).
template <typename F, typename Record>
void PackedFields(F& f, Record& s) {
  f(s.description);
  f(s.kms_key_id);
  f(s.type);
  f(s.owning_service);
  f(s.created_date);
  f(s.last_changed_date);
  f(s.deleted_date);
  f(s.deletion_date);
  f(s.tags);
  f(s.rotation_enabled);
  f(s.rotation_lambda_arn);
  f(s.rotation_rules_json);
  f(s.last_rotated_date);
  f(s.next_rotation_date);
  f(s.rotation_window_end);
  f(s.external_rotation_metadata_json);
  f(s.external_rotation_role_arn);
  f(s.resource_policy);
  f(s.primary_region);
  f(s.replication_status_json);
}

// A version but its value (packed after it: kind byte, then the bytes) and
// its last access (in the access slots).
template <typename F, typename Version>
void VersionFields(F& f, Version& v) {
  f.Id(v.version_id);
  f(v.created_date);
  f.Word(v.kms_key_id);
  f(v.has_value);
  f.Words(v.labels);
}

enum PackedValue : char { kNoValue = 0, kStringValue = 1, kBinaryValue = 2 };

// An access slot that holds no date.
constexpr EpochMillis kNeverAccessed = INT64_MIN;

constexpr std::size_t kArnSuffix = 6;  // the random "-XXXXXX" after the name

}  // namespace

std::optional<SecretArn> ParseSecretArn(std::string_view arn) {
  std::string_view parts[6];
  for (std::string_view& part : parts) {
    const std::size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || parts[1].empty() || parts[2] != "secretsmanager" ||
      parts[5] != "secret" || arn.size() <= kArnSuffix + 1 ||
      arn[arn.size() - kArnSuffix - 1] != '-') {
    return std::nullopt;
  }
  return SecretArn{parts[1], parts[3], parts[4], arn.substr(0, arn.size() - kArnSuffix - 1),
                   arn.substr(arn.size() - kArnSuffix)};
}

std::string CachedSecret::NameKey(std::string_view account_id, std::string_view region,
                                  std::string_view name) {
  std::string key;
  key.reserve(account_id.size() + region.size() + name.size() + 2);
  key.append(account_id).append(1, '\0').append(region).append(1, '\0').append(name);
  return key;
}

namespace {

// malloc's header and its 16-byte granularity.
constexpr std::size_t MallocBytes(std::size_t request) { return (request + 8 + 15) / 16 * 16; }

}  // namespace

// The packed bytes follow the object: it keeps them 8-aligned (access slots).
static_assert(sizeof(CachedSecret) == 32 && alignof(CachedSecret) <= 16);

void intrusive_ptr_release(const CachedSecret* entry) noexcept {
  if (entry->references_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  entry->~CachedSecret();
  // Unsized: clang before 19 declares the sized form only with
  // -fsized-deallocation, and malloc does not need the size.
  ::operator delete(const_cast<CachedSecret*>(entry));
}

CachedSecretPtr CachedSecret::Make(const SecretRecord& secret,
                                   const std::vector<VersionRecord>& labelled, bool values_open) {
  std::string packed;
  Layout layout;
  layout.id = secret.id;
  layout.values_open = values_open;
  Packer pack(packed);
  auto size_since = [&packed](std::size_t begin) {
    return static_cast<std::uint32_t>(packed.size() - begin);
  };
  packed.append(secret.account_id).append(1, '\0').append(secret.region).append(1, '\0');
  packed.append(secret.name);
  if (packed.size() > UINT16_MAX) throw std::length_error("name too long to cache");
  layout.name_key_size = static_cast<std::uint16_t>(size_since(0));
  // An ARN of the usual shape repeats the key: only its partition and
  // suffix are kept.
  const std::optional<SecretArn> arn = ParseSecretArn(secret.arn);
  if (arn && arn->region == secret.region && arn->account_id == secret.account_id &&
      arn->name == secret.name && arn->partition.size() <= UINT8_MAX) {
    packed.append(arn->partition);
    layout.arn_partition_size = static_cast<std::uint8_t>(arn->partition.size());
    const std::size_t at = packed.size();
    packed.append(arn->suffix);
    layout.arn_size = static_cast<std::uint16_t>(size_since(at));
  } else {
    const std::size_t at = packed.size();
    packed.append(secret.arn);
    if (packed.size() - at > UINT16_MAX) throw std::length_error("ARN too long to cache");
    layout.arn_size = static_cast<std::uint16_t>(size_since(at));
  }
  pack.BeginMask();
  PackedFields(pack, secret);
  pack.EndMask();
  layout.versions_offset = static_cast<std::uint32_t>(packed.size());
  pack.Length(labelled.size());
  for (const VersionRecord& version : labelled) {
    VersionFields(pack, version);
    const std::optional<std::string>* value = nullptr;
    char kind = kNoValue;
    if (values_open && version.secret_string) {
      kind = kStringValue;
      value = &version.secret_string;
    } else if (values_open && version.secret_binary) {
      kind = kBinaryValue;
      value = &version.secret_binary;
    }
    packed.push_back(kind);
    if (value) pack(std::string_view(**value));
  }
  // The access slots, 8-aligned for atomic_ref: the secret's, then each
  // version's.
  packed.resize((packed.size() + 7) / 8 * 8);
  layout.access_offset = static_cast<std::uint32_t>(packed.size());
  packed.resize(packed.size() + 8 * (1 + labelled.size()));
  if (packed.size() > UINT32_MAX) throw std::length_error("secret too large to cache");
  CachedSecretPtr entry;
  try {
    void* block = ::operator new(sizeof(CachedSecret) + packed.size());
    entry.reset(new (block) CachedSecret(Private(), layout, packed));  // the constructor copies
  } catch (...) {
    OPENSSL_cleanse(packed.data(), packed.size());
    throw;
  }
  OPENSSL_cleanse(packed.data(), packed.size());  // the entry has its own copy
  entry->Slot(0).store(secret.last_accessed_date.value_or(kNeverAccessed));
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    entry->Slot(1 + i).store(labelled[i].last_accessed_date.value_or(kNeverAccessed));
  }
  return entry;
}

CachedSecret::CachedSecret(Private, const Layout& layout, std::string_view packed) noexcept
    : layout_(layout), size_(static_cast<std::uint32_t>(packed.size())) {
  std::memcpy(const_cast<char*>(data()), packed.data(), packed.size());
}

std::size_t CachedSecret::block_bytes() const { return MallocBytes(sizeof(CachedSecret) + size_); }

std::atomic_ref<std::int64_t> CachedSecret::Slot(std::size_t index) const {
  auto* slots = reinterpret_cast<std::int64_t*>(const_cast<char*>(data()) + layout_.access_offset);
  return std::atomic_ref<std::int64_t>(slots[index]);
}

std::optional<EpochMillis> CachedSecret::Accessed(std::size_t slot) const {
  const EpochMillis day = Slot(slot).load(std::memory_order_relaxed);
  if (day == kNeverAccessed) return std::nullopt;
  return day;
}

void CachedSecret::RecordAccess(std::string_view version_id, EpochMillis day) const {
  auto move_forward = [day](std::atomic_ref<std::int64_t> slot) {
    std::int64_t seen = slot.load(std::memory_order_relaxed);
    while (seen < day && !slot.compare_exchange_weak(seen, day, std::memory_order_relaxed)) {
    }
  };
  move_forward(Slot(0));
  Unpacker unpack(packed(), layout_.versions_offset);
  const std::size_t count = unpack.Length();
  for (std::size_t i = 0; i < count; ++i) {
    VersionRecord version;
    VersionFields(unpack, version);
    if (unpack.Byte() != kNoValue) unpack.View();
    if (version.version_id == version_id) move_forward(Slot(1 + i));
  }
}

CachedSecret::~CachedSecret() {
  // Leave no copy of a value behind.
  OPENSSL_cleanse(const_cast<char*>(data()), size_);
}

SecretRecord CachedSecret::Secret() const {
  SecretRecord secret;
  secret.id = layout_.id;
  const std::string_view key = name_key();
  const std::size_t region_at = key.find('\0') + 1;
  const std::size_t name_at = key.find('\0', region_at) + 1;
  secret.account_id = key.substr(0, region_at - 1);
  secret.region = key.substr(region_at, name_at - 1 - region_at);
  secret.name = key.substr(name_at);
  secret.arn = arn();
  const std::string_view arn = ArnPart();
  Unpacker unpack(packed(), arn.data() + arn.size() - data());
  unpack.BeginMask();
  PackedFields(unpack, secret);
  secret.last_accessed_date = Accessed(0);
  return secret;
}

std::string CachedSecret::arn() const {
  if (layout_.arn_partition_size == 0) return std::string(ArnPart());
  const std::string_view key = name_key();
  const std::size_t region_at = key.find('\0') + 1;
  const std::size_t name_at = key.find('\0', region_at) + 1;
  const std::string_view partition = ArnPartition(), suffix = ArnPart();
  const std::string_view region = key.substr(region_at, name_at - 1 - region_at);
  const std::string_view account_id = key.substr(0, region_at - 1);
  const std::string_view name = key.substr(name_at);
  std::string arn;
  arn.reserve(4 + partition.size() + 16 + region.size() + 1 + account_id.size() + 8 + name.size() +
              1 + suffix.size());  // one allocation, not one per append
  arn.append("arn:").append(partition).append(":secretsmanager:").append(region).append(":");
  arn.append(account_id).append(":secret:").append(name).append("-").append(suffix);
  return arn;
}

bool CachedSecret::HasArn(std::string_view arn) const {
  if (layout_.arn_partition_size == 0) return arn == ArnPart();
  const std::optional<SecretArn> parts = ParseSecretArn(arn);
  return parts && parts->partition == ArnPartition() && parts->suffix == ArnPart() &&
         name_key() == CachedSecret::NameKey(parts->account_id, parts->region, parts->name);
}

std::vector<VersionRecord> CachedSecret::LabelIndex() const {
  Unpacker unpack(packed(), layout_.versions_offset);
  std::vector<VersionRecord> versions(unpack.Length());
  for (VersionRecord& version : versions) {
    VersionRecord full;
    VersionFields(unpack, full);
    if (unpack.Byte() != kNoValue) unpack.View();  // the value
    version.version_id = std::move(full.version_id);
    version.labels = std::move(full.labels);
  }
  return versions;
}

template <typename Match>
std::optional<VersionRecord> CachedSecret::FindVersionWhere(Match&& match, bool with_value) const {
  Unpacker unpack(packed(), layout_.versions_offset);
  const std::size_t count = unpack.Length();
  for (std::size_t i = 0; i < count; ++i) {
    VersionRecord version;
    VersionFields(unpack, version);
    const char kind = unpack.Byte();
    const std::string_view value = kind != kNoValue ? unpack.View() : std::string_view();
    if (!match(version)) continue;
    version.last_accessed_date = Accessed(1 + i);
    if (with_value && kind != kNoValue) {
      (kind == kStringValue ? version.secret_string : version.secret_binary) = std::string(value);
    }
    return version;
  }
  return std::nullopt;
}

std::optional<VersionRecord> CachedSecret::FindVersion(std::string_view version_id,
                                                       bool with_value) const {
  return FindVersionWhere([&](const VersionRecord& v) { return v.version_id == version_id; },
                          with_value);
}

std::optional<VersionRecord> CachedSecret::FindVersionByLabel(std::string_view label,
                                                              bool with_value) const {
  return FindVersionWhere(
      [&](const VersionRecord& v) {
        return std::find(v.labels.begin(), v.labels.end(), label) != v.labels.end();
      },
      with_value);
}

}  // namespace sml::storage

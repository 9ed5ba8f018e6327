#include "storage/sqlite/wal_vfs.h"

#include <atomic>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace sml::storage::sqlite {
namespace {

constexpr char kVfsName[] = "sml-wal-buffering";
// A WAL frame header: page number, then "database size after commit"
// (big-endian), non-zero only in a transaction's last frame.
constexpr int kFrameHeaderSize = 24;
// A transaction larger than this (a cache spill, a migration) goes out in
// pieces of at most this size: the default VFS writes at most 128 KiB per
// call (and reports a longer write as a full disk).
constexpr std::size_t kMaxGathered = 64u << 10;

sqlite3_vfs* g_base = nullptr;  // the default VFS, set once before use
sqlite3_vfs g_vfs{};
std::atomic<std::uint64_t> g_wal_writes{0};

// What SQLite holds for a WAL file; the default VFS's own file follows it
// in the same allocation (szOsFile covers both).
struct WalFile {
  sqlite3_file base;  // first: SQLite's view of this object
  sqlite3_file* real;
  std::vector<char> gathered;
  sqlite3_int64 gathered_at = 0;
  bool flush_next = false;  // the write after a commit frame's header
};
constexpr std::size_t kRealOffset = (sizeof(WalFile) + 15) & ~std::size_t{15};

WalFile& Wal(sqlite3_file* file) { return *reinterpret_cast<WalFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Wal(file).real; }

int Flush(WalFile& wal) {
  if (wal.gathered.empty()) return SQLITE_OK;
  g_wal_writes.fetch_add(1, std::memory_order_relaxed);
  const int rc = wal.real->pMethods->xWrite(wal.real, wal.gathered.data(),
                                            static_cast<int>(wal.gathered.size()), wal.gathered_at);
  wal.gathered.clear();  // written, or the transaction fails with rc
  return rc;
}

bool IsCommitFrameHeader(const void* data, int amount) {
  if (amount != kFrameHeaderSize) return false;
  const auto* bytes = static_cast<const unsigned char*>(data);
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& wal = Wal(file);
  const auto end = wal.gathered_at + static_cast<sqlite3_int64>(wal.gathered.size());
  if (!wal.gathered.empty() &&
      (offset != end || wal.gathered.size() + static_cast<std::size_t>(amount) > kMaxGathered)) {
    if (const int rc = Flush(wal); rc != SQLITE_OK) return rc;
  }
  if (wal.gathered.empty()) {
    wal.gathered_at = offset;
    wal.gathered.reserve(kMaxGathered);  // once: only the writer's log gets here
  }
  const auto* bytes = static_cast<const char*>(data);
  wal.gathered.insert(wal.gathered.end(), bytes, bytes + amount);
  // The commit frame's header goes out with everything before it, and its
  // page right after: the transaction is in the file before SQLite marks it
  // committed in the wal-index. (A header rewritten in place has no page
  // after it: that is why the header does not wait for the page.)
  const bool commit_header = IsCommitFrameHeader(data, amount);
  if (commit_header || wal.flush_next) {
    wal.flush_next = commit_header;
    return Flush(wal);
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* file) {
  WalFile& wal = Wal(file);
  const int flushed = Flush(wal);
  sqlite3_file* real = wal.real;
  const int closed = real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
  wal.~WalFile();
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xRead(Real(file), data, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}

int Lock(sqlite3_file* file, int level) { return Real(file)->pMethods->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int SectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}

// Version 1: a WAL file is never memory-mapped nor used for shared memory
// (both belong to the database file).
const sqlite3_io_methods kWalMethods = {
    1,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_base->xOpen(g_base, name, file, flags, out_flags);
  auto* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  real->pMethods = nullptr;
  const int rc = g_base->xOpen(g_base, name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (real->pMethods) real->pMethods->xClose(real);
    file->pMethods = nullptr;  // SQLite then never calls Close
    return rc;
  }
  WalFile* wal = new (file) WalFile{};
  wal->real = real;
  wal->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

// The rest is the default VFS's.
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_base->xDelete(g_base, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_base->xAccess(g_base, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return g_base->xFullPathname(g_base, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_base->xDlOpen(g_base, name); }
void DlError(sqlite3_vfs*, int size, char* out) { g_base->xDlError(g_base, size, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_base->xDlSym(g_base, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { g_base->xDlClose(g_base, handle); }
int Randomness(sqlite3_vfs*, int size, char* out) { return g_base->xRandomness(g_base, size, out); }
int Sleep(sqlite3_vfs*, int micros) { return g_base->xSleep(g_base, micros); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return g_base->xGetLastError(g_base, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_base->xCurrentTimeInt64(g_base, out);
}

}  // namespace

const char* WalBufferingVfs() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (base == nullptr || base->iVersion < 2) {
      throw std::runtime_error("sqlite: no default VFS of version 2 or later");
    }
    g_base = base;
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(kRealOffset) + base->szOsFile;
    g_vfs.mxPathname = base->mxPathname;
    g_vfs.zName = kVfsName;
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = DlOpen;
    g_vfs.xDlError = DlError;
    g_vfs.xDlSym = DlSym;
    g_vfs.xDlClose = DlClose;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) != SQLITE_OK) {
      throw std::runtime_error("sqlite: cannot register the WAL-buffering VFS");
    }
  });
  return kVfsName;
}

std::uint64_t WalFileWrites() { return g_wal_writes.load(std::memory_order_relaxed); }

}  // namespace sml::storage::sqlite

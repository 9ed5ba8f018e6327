#pragma once
// A VFS over SQLite's default one that writes a transaction's WAL frames in
// one system call instead of two per page.
//
// SQLite appends each WAL frame as two writes (a 24-byte header, then the
// page), so a commit of 8 pages costs 16 pwrite calls. This VFS gathers a
// log file's contiguous writes in memory and hands them on at the commit
// frame: a frame header whose "database size after commit" is non-zero
// flushes what is gathered with it, and the write after it (the commit
// frame's page) goes straight out too. So when COMMIT returns, every frame of
// the transaction is in the file, as without this VFS: an acknowledged write
// survives kill -9 of the process. The wal-index (which tells readers that
// the frames exist) is updated only after those writes, so no reader sees a
// frame before it is in the file. Anything else on the log (a read, a write
// elsewhere, sync, truncate, size, close, file control) first writes out
// what is gathered; a failed write is reported to SQLite by the write that
// triggered it (and the transaction fails). Frames that a rolled-back
// transaction left gathered go out before the next write, past the log's
// committed end, where SQLite itself would have written them. Other files
// are the default VFS's own, untouched.
#include <sqlite3.h>

#include <cstdint>

namespace sml::storage::sqlite {

// Registers the VFS (once; thread-safe) and returns its name, for
// sqlite3_open_v2. Throws std::runtime_error if SQLite refuses it.
const char* WalBufferingVfs();

// How many writes of WAL files this VFS has handed on to the default VFS,
// all connections together (for tests).
std::uint64_t WalFileWrites();

}  // namespace sml::storage::sqlite

// Replaced by the SQLite implementation (storage helper).
#include "storage/store.h"

#include <stdexcept>

namespace sml::storage {
std::unique_ptr<Store> Store::Open(const StoreOptions&) {
  throw std::runtime_error("storage not built yet");
}
}  // namespace sml::storage

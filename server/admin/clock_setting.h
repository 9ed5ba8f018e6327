#pragma once
// The emulator clock's offset from the wall clock, kept in the Store so time
// travel survives a restart (NextRotationDate values were computed in it).
#include <string_view>

#include "api/clock.h"
#include "storage/store.h"

namespace sml::server::admin {

inline constexpr std::string_view kClockOffsetSetting = "clock_offset_millis";

// Moves `clock` forward by the stored offset, if any, and logs the offset
// the server starts with.
void RestoreClockOffset(api::EmulatorClock& clock, storage::Store& store);

// Stores `clock`'s current offset (after every move and reset).
void SaveClockOffset(const api::EmulatorClock& clock, storage::Store& store);

}  // namespace sml::server::admin

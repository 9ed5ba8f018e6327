// --init FILE: any bytes a user hands the server parse to a plan or are
// refused with InitFileError (which start-up turns into exit status 2).
#include <cstdint>
#include <string_view>

#include "server/init/init_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto plan = sml::server::init::ParseInitFile(text);
    for (const auto& secret : plan.secrets) {
      // What start-up hands CreateSecret must serialise, whatever the input.
      (void)secret.create_input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  } catch (const sml::server::init::InitFileError&) {
  }
  return 0;
}

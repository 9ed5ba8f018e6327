#pragma once
// The model's limits for the members the secret lifecycle operations share,
// so each operation reads them the same way (api/input.h does the checking).
#include "api/input.h"

namespace sml::api::model {

inline const StringRule kSecretIdRule{.required = true, .min_length = 1, .max_length = 2048};
inline const StringRule kClientRequestTokenRule{.min_length = 32, .max_length = 64};
inline const StringRule kVersionIdRule{.min_length = 32, .max_length = 64};
inline const StringRule kVersionStageRule{.min_length = 1, .max_length = 256};
inline const ListRule kVersionStagesRule{.min_items = 1, .max_items = 20};
inline const StringRule kDescriptionRule{.max_length = 2048};
inline const StringRule kKmsKeyIdRule{.max_length = 2048};
inline const StringRule kTypeRule{.max_length = 256};
inline const StringRule kSecretStringRule{.min_length = 1, .max_length = 65536, .sensitive = true};
inline const StringRule kSecretBinaryRule{.min_length = 1, .max_length = 65536, .sensitive = true};

}  // namespace sml::api::model

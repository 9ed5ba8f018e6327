// Resource policies as PutResourcePolicy and ValidateResourcePolicy receive
// them: parse, validate, and evaluate what parses.
#include <cstdint>
#include <string_view>

#include "api/policy/policy_document.h"

using namespace sml::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view document(reinterpret_cast<const char*>(data), size);
  Validate(document);
  auto parsed = ParsePolicy(document);
  if (parsed.document.has_value() != parsed.problems.empty()) __builtin_trap();
  if (parsed.document) {
    IsPublic(*parsed.document);
    Allows(*parsed.document, "123456789012", "arn:aws:iam::123456789012:root",
           "secretsmanager:GetSecretValue",
           "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
           {{"secretsmanager:VersionStage", {"AWSCURRENT"}}});
  }
  return 0;
}

// Placeholder entry point; the server issue replaces it.
#include <cstdio>
int main() { std::puts("secretsmanager-local " SML_VERSION); }

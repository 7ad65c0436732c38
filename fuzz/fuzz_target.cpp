// One libFuzzer target; CR_FUZZ_TARGET names it (fuzz/CMakeLists.txt builds one per target).
#include "fuzz/fuzzentry.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    cr::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const auto target = cr::fuzz::targetFromName(QStringLiteral(CR_FUZZ_TARGET));
    if (!target)
        std::abort();
    cr::fuzz::runInput(
        *target, QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}

#include "analysis/random.h"

namespace cr::analysis {

std::uint64_t splitMix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed)
{
    for (auto &s : m_state)
        s = splitMix64(seed);
}

double Rng::uniform()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

Rng Rng::stream(std::uint64_t seed, std::uint64_t streamIndex)
{
    std::uint64_t s = seed ^ (streamIndex * 0xD1B54A32D192ED03ULL);
    return Rng(splitMix64(s));
}

} // namespace cr::analysis

#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace cr::analysis {

/// Small, fast, portable PRNG (xoshiro256** seeded through SplitMix64).
/// Unlike std:: distributions its output is identical on every platform and
/// standard library, so a seed reproduces assignments and bootstrap samples.
/// Not thread-safe: use one instance per thread (see split()).
class Rng {
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }
    /// Uniform integer in [0, bound) without modulo bias; bound > 0 (Lemire's
    /// nearly-divisionless method). Inline: the bootstraps draw it billions of times.
    std::uint64_t below(std::uint64_t bound)
    {
        __extension__ typedef unsigned __int128 uint128;
        uint128 m = static_cast<uint128>(next()) * bound;
        auto low = static_cast<std::uint64_t>(m);
        if (low < bound) {
            const std::uint64_t threshold = (0 - bound) % bound;
            while (low < threshold) {
                m = static_cast<uint128>(next()) * bound;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }
    /// Uniform double in [0, 1).
    double uniform();
    /// An independent generator derived from this seed and a stream number,
    /// e.g. one per bootstrap replicate, so results do not depend on thread count.
    static Rng stream(std::uint64_t seed, std::uint64_t streamIndex);

    template<typename T> void shuffle(std::vector<T> &values)
    {
        for (std::size_t i = values.size(); i > 1; --i)
            std::swap(values[i - 1], values[below(i)]);
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k)
    {
        return (x << k) | (x >> (64 - k));
    }

    std::uint64_t m_state[4];
};

/// SplitMix64 step, exposed for hashing seeds together.
std::uint64_t splitMix64(std::uint64_t &state);

} // namespace cr::analysis

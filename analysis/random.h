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

    std::uint64_t next();
    /// Uniform integer in [0, bound) without modulo bias; bound > 0.
    std::uint64_t below(std::uint64_t bound);
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
    std::uint64_t m_state[4];
};

/// SplitMix64 step, exposed for hashing seeds together.
std::uint64_t splitMix64(std::uint64_t &state);

} // namespace cr::analysis

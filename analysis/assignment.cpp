#include "analysis/assignment.h"

#include "analysis/random.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace cr::analysis {

std::vector<std::vector<int>> planBalancedAssignment(int itemCount, int raterCount, int perItem,
    std::uint64_t seed, const std::vector<std::vector<int>> &existing)
{
    if (itemCount < 0 || raterCount < 1 || perItem < 1 || perItem > raterCount)
        throw std::invalid_argument("planBalancedAssignment: need 1 <= perItem <= raterCount");

    std::vector<long long> load(static_cast<std::size_t>(raterCount), 0);
    for (const auto &raters : existing)
        for (int r : raters)
            if (r >= 0 && r < raterCount)
                ++load[static_cast<std::size_t>(r)];

    Rng rng(seed);
    std::vector<int> order(static_cast<std::size_t>(itemCount));
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order);

    std::vector<std::vector<int>> plan(static_cast<std::size_t>(itemCount));
    std::vector<int> raters(static_cast<std::size_t>(raterCount));
    std::vector<std::uint64_t> tieBreak(static_cast<std::size_t>(raterCount));
    std::vector<char> has(static_cast<std::size_t>(raterCount));
    for (int item : order) {
        const auto idx = static_cast<std::size_t>(item);
        std::fill(has.begin(), has.end(), 0);
        int have = 0;
        if (idx < existing.size()) {
            for (int r : existing[idx]) {
                if (r >= 0 && r < raterCount && !has[static_cast<std::size_t>(r)]) {
                    has[static_cast<std::size_t>(r)] = 1;
                    ++have;
                }
            }
        }
        int need = perItem - have;
        if (need <= 0)
            continue;
        std::iota(raters.begin(), raters.end(), 0);
        for (auto &t : tieBreak)
            t = rng.next();
        std::sort(raters.begin(), raters.end(), [&](int a, int b) {
            const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
            if (load[ua] != load[ub])
                return load[ua] < load[ub];
            return tieBreak[ua] < tieBreak[ub];
        });
        auto &chosen = plan[idx];
        for (int r : raters) {
            if (need == 0)
                break;
            const auto ur = static_cast<std::size_t>(r);
            if (has[ur])
                continue;
            chosen.push_back(r);
            ++load[ur];
            --need;
        }
        std::sort(chosen.begin(), chosen.end());
    }
    return plan;
}

} // namespace cr::analysis

#pragma once

#include "analysis/ratings.h"

#include <sstream>
#include <string>
#include <vector>

namespace cr::analysis::testing {

/// Parses "1 2 . 3; 4 5 6 ." — rows separated by ';', '.' = missing.
inline RatingTable parseTable(const std::string &text)
{
    std::vector<std::vector<double>> rows;
    std::stringstream all(text);
    std::string line;
    while (std::getline(all, line, ';')) {
        std::stringstream ss(line);
        std::string tok;
        std::vector<double> row;
        while (ss >> tok)
            row.push_back(tok == "." ? kMissing : std::stod(tok));
        if (!row.empty())
            rows.push_back(row);
    }
    return RatingTable::fromRows(rows);
}

/// Parses a square or rectangular count matrix "a b c; d e f" into a flat vector.
inline std::vector<double> parseFlat(const std::string &text)
{
    std::vector<double> out;
    std::stringstream all(text);
    std::string tok;
    while (all >> tok) {
        if (tok == ";")
            continue;
        if (!tok.empty() && tok.back() == ';')
            tok.pop_back();
        if (!tok.empty())
            out.push_back(std::stod(tok));
    }
    return out;
}

/// Expands "40x0 60x1" into {0,...,0,1,...,1}.
inline std::vector<int> expandRuns(const std::string &text)
{
    std::vector<int> out;
    std::stringstream ss(text);
    std::string tok;
    while (ss >> tok) {
        const auto x = tok.find('x');
        const int count = std::stoi(tok.substr(0, x));
        const int code = std::stoi(tok.substr(x + 1));
        out.insert(out.end(), std::size_t(count), code);
    }
    return out;
}

} // namespace cr::analysis::testing

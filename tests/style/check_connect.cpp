// Test-only tool: fails on a context-less functor connect, QObject::connect(sender, signal,
// functor) with no receiver or context object. Such a connection outlives the object
// whose state the functor touches. Qt 6.7 rejects them under QT_NO_CONTEXTLESS_CONNECT;
// Qt 6.4, which we build with, has no such switch, so this check stands in for it.
//
// Usage: cr_check_connect FILE...   prints FILE:LINE for each one; exit 1 if any.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

/// The text with comments, string and character literals blanked (lines kept).
std::string codeOnly(const std::string &text)
{
    std::string out = text;
    enum class State { Code, Line, Block, String, Char, Raw } state = State::Code;
    std::string rawEnd;
    for (size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        const char n = i + 1 < out.size() ? out[i + 1] : '\0';
        auto blank = [&](size_t at) {
            if (out[at] != '\n')
                out[at] = ' ';
        };
        switch (state) {
        case State::Code:
            if (c == '/' && n == '/') {
                state = State::Line;
                blank(i);
            } else if (c == '/' && n == '*') {
                state = State::Block;
                blank(i);
            } else if (c == 'R' && n == '"'
                && (i == 0 || !std::isalnum(static_cast<unsigned char>(out[i - 1])))) {
                const size_t open = out.find('(', i + 2);
                if (open == std::string::npos)
                    return out;
                rawEnd = ")" + out.substr(i + 2, open - i - 2) + "\"";
                state = State::Raw;
            } else if (c == '"') {
                state = State::String;
            } else if (c == '\''
                && !(i > 0 && std::isxdigit(static_cast<unsigned char>(out[i - 1])))) {
                state = State::Char; // (a digit separator such as 1'000 is not a literal)
            }
            break;
        case State::Line:
            if (c == '\n')
                state = State::Code;
            blank(i);
            break;
        case State::Block:
            if (c == '*' && n == '/') {
                blank(i);
                blank(++i);
                state = State::Code;
            } else {
                blank(i);
            }
            break;
        case State::String:
        case State::Char:
            if (c == '\\') {
                blank(i);
                if (i + 1 < out.size())
                    blank(++i);
            } else if ((state == State::String && c == '"')
                || (state == State::Char && c == '\'')) {
                state = State::Code;
            } else {
                blank(i);
            }
            break;
        case State::Raw:
            if (out.compare(i, rawEnd.size(), rawEnd) == 0) {
                i += rawEnd.size() - 1;
                state = State::Code;
            } else {
                blank(i);
            }
            break;
        }
    }
    return out;
}

bool isIdent(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// The top-level arguments of the call whose '(' is at `open`; empty when unbalanced.
std::vector<std::string> arguments(const std::string &code, size_t open)
{
    std::vector<std::string> args(1);
    int depth = 0;
    for (size_t i = open + 1; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                return c == ')' ? args : std::vector<std::string> {};
            --depth;
        } else if (c == ',' && depth == 0) {
            args.emplace_back();
            continue;
        } else if (c == ';' && depth == 0) {
            return {};
        }
        args.back() += c;
    }
    return {};
}

std::string trimmed(const std::string &s)
{
    const size_t b = s.find_first_not_of(" \t\r\n");
    const size_t e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

int check(const std::string &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "%s: cannot read\n", file.c_str());
        return 2;
    }
    const std::string code = codeOnly(std::string(std::istreambuf_iterator<char>(in), {}));
    int found = 0;
    const std::string word = "connect";
    for (size_t at = code.find(word); at != std::string::npos; at = code.find(word, at + 1)) {
        if (at > 0 && isIdent(code[at - 1]))
            continue; // disconnect, myconnect
        size_t open = at + word.size();
        while (open < code.size() && std::isspace(static_cast<unsigned char>(code[open])))
            ++open;
        if (open >= code.size() || code[open] != '(')
            continue;
        const std::vector<std::string> args = arguments(code, open);
        if (args.size() != 3)
            continue;
        const std::string third = trimmed(args[2]);
        // connect(sender, SIGNAL(x), SLOT(y)) is a member call with `this` as receiver.
        if (third.rfind("SLOT", 0) == 0 || third.rfind("SIGNAL", 0) == 0)
            continue;
        const size_t line =
            1 + static_cast<size_t>(std::count(code.begin(), code.begin() + long(at), '\n'));
        std::printf("%s:%zu: connect without a context object: give the receiver (or `this`) "
                    "as the third argument\n",
            file.c_str(), line);
        ++found;
    }
    return found ? 1 : 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: cr_check_connect FILE...\n");
        return 2;
    }
    int worst = 0;
    for (int i = 1; i < argc; ++i)
        worst = std::max(worst, check(argv[i]));
    return worst;
}

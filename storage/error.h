#pragma once

#include <QString>

namespace cr::storage {

/// What went wrong, mapped by the command line to its exit status
/// (InvalidInput → 2, Storage → 3).
enum class ErrorKind { None, InvalidInput, Storage };

/// Errors are values (STYLE.md): storage never shows dialogs or prints.
struct Error {
    ErrorKind kind = ErrorKind::None;
    QString message;

    bool isError() const { return kind != ErrorKind::None; }
    static Error invalid(const QString &msg) { return { ErrorKind::InvalidInput, msg }; }
    static Error storage(const QString &msg) { return { ErrorKind::Storage, msg }; }
};

} // namespace cr::storage

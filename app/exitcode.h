#pragma once

#include "storage/error.h"

namespace cr::app {

/// Exit statuses of the command line (DESIGN.md).
enum ExitCode {
    ExitOk = 0,
    ExitUsage = 1,
    ExitInvalidInput = 2,
    ExitStorage = 3,
    ExitBrokenAuditLog = 4, ///< `verify`: the audit log does not check out
};

/// The one mapping from a failed operation's error to the exit status: invalid input is 2,
/// storage and I/O errors are 3, and so is a failure that gave no kind.
constexpr int exitCodeFor(storage::ErrorKind kind)
{
    switch (kind) {
    case storage::ErrorKind::InvalidInput:
        return ExitInvalidInput;
    case storage::ErrorKind::Storage:
    case storage::ErrorKind::None:
        break;
    }
    return ExitStorage;
}

inline int exitCodeFor(const storage::Error &error)
{
    return exitCodeFor(error.kind);
}

} // namespace cr::app

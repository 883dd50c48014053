#pragma once

// Temporary paths a signal handler may remove. A job registers its temporaries (the delivery's work folder and
// temporary zip, a report's temporary file) while they exist; a second Ctrl-C or SIGTERM, which exits at once
// without running the job's own cleanup, removes them from the handler with async-signal-safe calls only
// (unlink, unlinkat, rmdir, getdents64), so no partial output outlives the process.

#include <QString>

namespace stemship::io {

// Registers path (a file, or a folder whose contents are removed with it) for the life of this object.
class CleanupRegistration {
public:
    CleanupRegistration(const QString &path, bool isFolder);
    ~CleanupRegistration();
    CleanupRegistration(const CleanupRegistration &) = delete;
    CleanupRegistration &operator=(const CleanupRegistration &) = delete;

private:
    int m_slot = -1;
};

// Async-signal-safe: removes every registered path. Called from the CLI's signal handler before _exit.
void removeRegisteredPathsFromSignalHandler() noexcept;

}  // namespace stemship::io

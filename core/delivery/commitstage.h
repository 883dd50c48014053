#pragma once

// Stage 7 of a delivery, commit: the verified zip, written under a temporary name beside OUT, replaces OUT
// (fsync, rename, directory fsync); until then an earlier delivery stays intact. The work folder and a zip that
// never got there are removed however the job ends.

#include "util/error.h"

#include <QString>

namespace stemship::delivery {

// The job's temporaries beside OUT, removed on destruction unless committed.
class DeliveryTemps {
public:
    explicit DeliveryTemps(const QString &outputPath);
    ~DeliveryTemps();
    DeliveryTemps(const DeliveryTemps &) = delete;
    DeliveryTemps &operator=(const DeliveryTemps &) = delete;

    const QString &workDir() const { return m_workDir; }
    const QString &zipPath() const { return m_zip; }
    // Renames the zip over OUT, durably.
    Status commit(const QString &outputPath);

private:
    QString m_workDir, m_zip;
    bool m_committed = false;
};

}  // namespace stemship::delivery

#pragma once

// `stemship verify`: re-reads a delivery zip in place (never extracting) and checks it against its manifest.

#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace stemship::delivery {

struct VerifiedFile {
    QString file;        // entry name
    QByteArray sha256;   // computed, hex
    QString umid;        // the bext basic UMID as hex; empty if none
    bool ok = false;
};

struct VerifyReport {
    QString zipPath;
    bool ok = false;          // the verdict: no problems
    QList<Error> problems;    // file = "DELIVERY.zip!entry" (or the zip itself), what = the problem
    QList<VerifiedFile> files;
};

// Hostile entries, manifest parse and consistency (every listed file exists and vice versa), SHA-256 and CRC
// of every file, WAV format, rate and depth per manifest, equal lengths.
// checksums = false skips SHA-256 (CRC-32 is still checked) and the re-measured loudness fields: the packager's
// own re-read, where the hashes were computed from the very bytes the CRCs cover and the fields from the very
// measurements being checked. With checksums, every WAV's bext v2 loudness fields are re-measured and every
// UMID must be unique. progress says "N/M files" as the files are checked.
VerifyReport verifyDelivery(const QString &zipPath, const CancelToken *cancel = nullptr, bool checksums = true,
                            const ProgressFn &progress = {});

}  // namespace stemship::delivery

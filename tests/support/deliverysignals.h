#pragma once

// Test helpers for delivery: hand-built zip archives (including hostile ones) and session stems with clicks.

#include "testsignals.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace stemship::test {

// One entry of a hand-built zip; the overrides let tests lie about sizes or attributes.
struct RawZipEntry {
    RawZipEntry() = default;
    RawZipEntry(QString entryName, QByteArray entryData, int entryMethod = 0)
        : name(std::move(entryName)), data(std::move(entryData)), method(entryMethod) {}
    QString name;
    QByteArray data;
    int method = 0;  // 0 stored, 8 deflated (zlib level 9)
    bool symlink = false;
    std::optional<std::uint32_t> unixMode;  // st_mode in the external attributes (a device: 020644); overrides symlink
    bool encrypted = false;
    std::optional<std::uint64_t> declaredSize;            // uncompressed size written in the headers
    std::optional<std::uint32_t> declaredCrc;
};

// Builds a zip in memory; zip64 writes zip64 extra fields and the zip64 end records.
QByteArray buildZip(const QList<RawZipEntry> &entries, bool zip64 = false);
bool writeFile(const QString &path, const QByteArray &data);
QByteArray readFile(const QString &path);
QByteArray sha256File(const QString &path);

// A stem whose content is one click (a single full-amplitude-ish sample) at clickFrame and silence elsewhere,
// optionally over a quiet bed so it is not silent.
Signal clickAt(int sampleRateHz, int channels, double seconds, std::int64_t clickFrame, float amplitude = 0.5f);
// Frame of the largest |sample| in channel 0.
std::int64_t peakFrame(const Signal &signal);

}  // namespace stemship::test

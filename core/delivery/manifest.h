#pragma once

// manifest.json of a delivery (CLI-CONTRACT `package`): written by the packager, read back by the verifier.

#include "delivery/deliveryspec.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::delivery {

QByteArray manifestJson(const DeliveryResult &result, const DeliverySpec &spec);

// The parts of a manifest the verifier checks.
struct ManifestFile {
    QString file;
    QByteArray sha256;  // hex, lower case
    std::optional<std::int64_t> frames;
    bool isReference = false;
    bool isAudio = true;  // false for session_files (checked by SHA-256 and CRC only)
};

struct Manifest {
    int sampleRateHz = 0;
    int bitDepth = 0;
    std::int64_t lengthFrames = 0;
    QList<ManifestFile> files;
};

// Parses and checks the shape; problems (one line each) explain what is missing or malformed.
std::optional<Manifest> parseManifest(const QByteArray &json, QStringList *problems);

}  // namespace stemship::delivery

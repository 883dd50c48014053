#pragma once

// What a received delivery holds, for the session writers: from its manifest (title, version, tempo map,
// pre-roll, stems, reference), or, for a zip that is not a Stemship delivery, from its WAVs and a given tempo.

#include "session/sessionplan.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::session {

// Title, version, the tempo map (tempo_map, else tempo_bpm and time_signature), preroll_bars, stems[].file and
// source, reference.file, from manifest.json's bytes. Frames, rate and channels are read from the files later.
Result<DeliveryDescription> readManifest(const QByteArray &json, const QString &source);

// Every WAV among names, in natural order, at the given tempo and meter; titled after the zip.
DeliveryDescription describeLooseFiles(const QStringList &names, const QString &zipPath, const TempoMap &map);

// Fills frames, rate and channels of every stem (and the reference) from the WAV headers in dir. Errors name the
// file that cannot be read as audio.
Status probeFiles(DeliveryDescription *delivery, const QString &dir);

}  // namespace stemship::session

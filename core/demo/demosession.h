#pragma once

// The built-in demo session: a short band arrangement exported the way DAWs really export it, with the
// small problems a mix engineer meets (a 44.1 kHz stem, a 16-bit dual-mono guitar, a late-starting FX).

#include "util/error.h"
#include "util/timesignature.h"

#include <QString>
#include <QStringList>

namespace stemship::demo {

struct DemoSession {
    QString folder;
    QStringList files;
    double tempoBpm = 120.0;
    TimeSignature timeSignature;
    double barOneSeconds = 2.0;  // one bar of count-in; the vocal's pickup starts before bar one
    QString title = QStringLiteral("Stemship Demo");
    QString templateName = QStringLiteral("stemship-demo");
};

// Writes the demo stems into `folder` (created if needed); each file is written under a temporary name
// and renamed into place.
Result<DemoSession> writeDemoSession(const QString &folder);

}  // namespace stemship::demo

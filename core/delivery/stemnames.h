#pragma once

// Delivered file names and stem order: template tracks in template order through its delivery pattern,
// other stems after them as "NN <source name>.wav"; portable and unique (case-insensitively).

#include "io/stemsource.h"
#include "templates/sessiontemplate.h"

#include <QList>
#include <QString>

#include <optional>

namespace stemship::delivery {

struct NamedStem {
    int sourceIndex = 0;           // into the sources given
    QString file;                  // "01 Kick In.wav"
    std::optional<int> trackIndex; // matched template track
};

// In delivery order.
QList<NamedStem> nameStems(const QList<io::StemSource> &sources,
                           const std::optional<templates::SessionTemplate> &tmpl, const QString &version);

QString referenceFileName(const QString &source);

}  // namespace stemship::delivery

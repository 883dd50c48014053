#pragma once

// Delivered file names and stem order: template tracks in template order through its delivery pattern,
// other stems after them in natural order as "NN <source name>.wav"; portable and unique (case-insensitively).

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

// Natural order (CLI-CONTRACT, wave 2): digit runs compared as numbers, the rest case-insensitively; 0 when
// equal that way. naturalLess breaks such ties by the case-sensitive name.
int naturalCompare(QStringView a, QStringView b);
bool naturalLess(const QString &a, const QString &b);

}  // namespace stemship::delivery

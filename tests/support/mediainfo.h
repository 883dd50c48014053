#pragma once

// MediaInfo (Debian's mediainfo, which scripts/setup.sh installs), an independent reader of WAV/BWF headers, bext
// and tags: one track of its JSON output.

#include <QJsonObject>
#include <QString>

namespace stemship::test {

// The first track of `type` ("General", "Audio") that `mediainfo --Output=JSON` reports for path; empty when
// mediainfo is missing, fails or reports no such track (so a test's comparisons with it fail).
QJsonObject mediaInfoTrack(const QString &path, const QString &type);

}  // namespace stemship::test

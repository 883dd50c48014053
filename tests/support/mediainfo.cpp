#include "mediainfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

namespace stemship::test {

QJsonObject mediaInfoTrack(const QString &path, const QString &type)
{
    QProcess mediainfo;
    mediainfo.start(QStringLiteral("mediainfo"), {QStringLiteral("--Output=JSON"), path});
    if (!mediainfo.waitForFinished(30000) || mediainfo.exitStatus() != QProcess::NormalExit)
        return {};
    const QJsonArray tracks = QJsonDocument::fromJson(mediainfo.readAllStandardOutput())
                                  .object()[QStringLiteral("media")][QStringLiteral("track")].toArray();
    for (const QJsonValue &t : tracks)
        if (t[QStringLiteral("@type")].toString() == type)
            return t.toObject();
    return {};
}

}  // namespace stemship::test

#include "datadir.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace stemship {
namespace {
bool holdsData(const QString &dir)
{
    return QFileInfo(dir + QStringLiteral("/templates")).isDir() || QFileInfo(dir + QStringLiteral("/resources")).isDir();
}
}  // namespace

QString stemshipDataDir()
{
    const QString fromEnv = qEnvironmentVariable("STEMSHIP_DATA_DIR");
    if (!fromEnv.isEmpty())
        return QDir::cleanPath(fromEnv);
    if (QCoreApplication::instance()) {
        const QString installed =
            QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/stemship"));
        if (holdsData(installed))
            return installed;
    }
#ifdef STEMSHIP_SOURCE_DATA_DIR
    return QDir::cleanPath(QStringLiteral(STEMSHIP_SOURCE_DATA_DIR));
#else
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/stemship"));
#endif
}

QString stemshipTemplatesDir() { return stemshipDataDir() + QStringLiteral("/templates"); }

}  // namespace stemship

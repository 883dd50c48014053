#include "exportfile.h"

#include <QSaveFile>

namespace stemship::templates {

Status writeFileAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return Error{path, QStringLiteral("cannot write: ") + out.errorString(), QStringLiteral("unwritable")};
    if (out.write(data) != data.size() || !out.commit())
        return Error{path, QStringLiteral("cannot write: ") + out.errorString(), QStringLiteral("unwritable")};
    return {};
}

}  // namespace stemship::templates

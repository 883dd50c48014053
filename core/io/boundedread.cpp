#include "io/boundedread.h"

#include <QFile>
#include <QFileInfo>

namespace stemship::io {

Result<QByteArray> readBoundedFile(const QString &path, qint64 maxBytes, const QString &tooLarge)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{path, QStringLiteral("no such file"), ErrorCode::NotFound};
    if (!info.isFile())
        return Error{path, QStringLiteral("not a regular file"), ErrorCode::Unreadable};
    if (info.size() > maxBytes)
        return Error{path, tooLarge, ErrorCode::Unreadable};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, QStringLiteral("cannot read: ") + file.errorString(), ErrorCode::Unreadable};
    // One byte past the limit, so a file that grows meanwhile is still refused.
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes)
        return Error{path, tooLarge, ErrorCode::Unreadable};
    if (file.error() != QFileDevice::NoError)
        return Error{path, QStringLiteral("cannot read: ") + file.errorString(), ErrorCode::Unreadable};
    return bytes;
}

}  // namespace stemship::io

#include "filetree.h"

#include "deliverysignals.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace stemship::test {

QStringList listTree(const QString &root)
{
    QStringList all;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        all.append(it.next());
    all.sort();
    return all;
}

QHash<QString, QByteArray> hashTree(const QString &root)
{
    QHash<QString, QByteArray> h;
    for (const QString &f : listTree(root))
        if (QFileInfo(f).isFile())
            h.insert(f, sha256File(f));
    return h;
}

QString writeFileIn(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(f.fileName()));
    return f.fileName();
}

}  // namespace stemship::test

#include "filetree.h"

#include "deliverysignals.h"

#include <QDirIterator>
#include <QFileInfo>

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

}  // namespace stemship::test

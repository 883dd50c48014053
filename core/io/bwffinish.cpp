// The last touches to a written Broadcast Wave file (declared in bwfchunks.h).

#include "io/bwfchunks.h"

#include <QFile>
#include <QtEndian>

namespace stemship::io {
namespace {

constexpr qint64 kHeaderSearchBytes = 1 << 16;  // libsndfile writes bext within the first few KiB

}  // namespace

QByteArray stemshipLineLast(const QByteArray &codingHistory)
{
    // libsndfile pads the history with NULs to an even size: they stay at the end.
    qsizetype text = codingHistory.size();
    while (text > 0 && codingHistory.at(text - 1) == '\0')
        --text;
    QByteArray others, ours;
    qsizetype start = 0;
    while (start < text) {
        qsizetype end = codingHistory.indexOf('\n', start);
        end = end < 0 || end >= text ? text : end + 1;
        const QByteArray line = codingHistory.mid(start, end - start);
        (line.contains("T=Stemship") ? ours : others) += line;
        start = end;
    }
    return others + ours + codingHistory.mid(text);
}

std::optional<QString> finishBroadcastWave(const QString &path, const std::optional<IxmlFields> &ixml)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return QStringLiteral("cannot reopen to finish the metadata: ") + file.errorString();
    const QByteArray head = file.read(kHeaderSearchBytes);
    if (head.size() < 12 || !head.startsWith("RIFF") || head.mid(8, 4) != "WAVE")
        return std::nullopt;  // RF64: libsndfile's own chunks stay as written
    for (qsizetype at = 12; at + 8 <= head.size();) {
        const quint32 size = qFromLittleEndian<quint32>(head.constData() + at + 4);
        if (head.mid(at, 4) == "data")
            break;
        if (head.mid(at, 4) == "bext" && size > quint32(kBextFixedBytes) && at + 8 + qsizetype(size) <= head.size()) {
            const qsizetype historyAt = at + 8 + kBextFixedBytes;
            const QByteArray history = head.mid(historyAt, qsizetype(size) - kBextFixedBytes);
            const QByteArray reordered = stemshipLineLast(history);
            if (reordered != history && (!file.seek(historyAt) || file.write(reordered) != reordered.size()))
                return QStringLiteral("cannot rewrite the coding history: ") + file.errorString();
        }
        at += 8 + qsizetype(size) + qsizetype(size & 1);
    }
    if (!ixml)
        return std::nullopt;
    const QByteArray chunk = buildIxmlChunk(*ixml);
    const qint64 end = file.size();
    if (end + chunk.size() - 8 > qint64(0xffffffffu))
        return std::nullopt;  // a RIFF at its 4 GiB limit: the bext chunk still identifies the file
    if (end % 2 != 0 || !file.seek(end) || file.write(chunk) != chunk.size())
        return QStringLiteral("cannot append the iXML chunk: ") + file.errorString();
    const auto riffSize = qToLittleEndian<quint32>(quint32(end + chunk.size() - 8));
    if (!file.seek(4) || file.write(reinterpret_cast<const char *>(&riffSize), 4) != 4)
        return QStringLiteral("cannot update the RIFF size: ") + file.errorString();
    if (!file.flush())
        return QStringLiteral("cannot finish the metadata: ") + file.errorString();
    return std::nullopt;
}

}  // namespace stemship::io

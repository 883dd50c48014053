#include "models/metadatamodel.h"

#include "io/bwfchunks.h"
#include "metering/channellayout.h"

#include <QFont>

namespace stemship::gui {

namespace {

QString text(const QByteArray &latin1)
{
    const QString value = QString::fromLatin1(latin1).trimmed();
    return value.isEmpty() ? QStringLiteral("(empty)") : value;
}

// EBU Tech 3285 v2 stores each loudness value x100 in an int16; 0x7FFF means "not set".
QString loudness(const std::optional<double> &value, const char *unit)
{
    return value ? QStringLiteral("%1 %2").arg(*value, 0, 'f', 2).arg(QLatin1String(unit)) : QStringLiteral("not set");
}

QString timeReference(std::uint64_t samples, int sampleRateHz)
{
    const QString seconds = sampleRateHz > 0 ? QStringLiteral(" (%1 s)").arg(double(samples) / sampleRateHz, 0, 'f', 3) : QString();
    return QStringLiteral("%1 samples").arg(samples) + seconds;
}

void appendFormat(QList<MetadataRow> *rows, const io::AudioInfo &info)
{
    const QString f = QStringLiteral("Format");
    const metering::ChannelLayout layout = metering::layoutOf(info.channels, info.channelMask);
    rows->append({f, QStringLiteral("Container"), info.format});
    rows->append({f, QStringLiteral("Sample format"), info.sampleFormat + (info.bitDepth ? QStringLiteral(" (%1-bit)").arg(*info.bitDepth) : QString())});
    rows->append({f, QStringLiteral("Sample rate"), QStringLiteral("%1 Hz").arg(info.sampleRateHz)});
    rows->append({f, QStringLiteral("Channels"), QString::number(info.channels)});
    rows->append({f, QStringLiteral("Layout"), QString::fromLatin1(metering::layoutName(layout))});
    rows->append({f, QStringLiteral("Channel mask"), info.channelMask ? QStringLiteral("0x") + QString::number(info.channelMask, 16).toUpper()
                                                                      : QStringLiteral("none (not WAVE_FORMAT_EXTENSIBLE)")});
    rows->append({f, QStringLiteral("Length"), QStringLiteral("%1 frames (%2 s)").arg(info.frames).arg(info.durationSeconds(), 0, 'f', 3)});
}

void appendBext(QList<MetadataRow> *rows, const io::AudioInfo &info)
{
    const QString b = QStringLiteral("bext");
    if (!info.bext) {
        rows->append({b, QStringLiteral("bext chunk"), QStringLiteral("none")});
        return;
    }
    const io::BextFields &bext = *info.bext;
    rows->append({b, QStringLiteral("Version"), QString::number(bext.version)});
    rows->append({b, QStringLiteral("Description"), text(bext.description)});
    rows->append({b, QStringLiteral("Originator"), text(bext.originator)});
    rows->append({b, QStringLiteral("Originator reference"), text(bext.originatorReference)});
    rows->append({b, QStringLiteral("Origination"), text(bext.originationDate + ' ' + bext.originationTime)});
    rows->append({b, QStringLiteral("Time reference"), timeReference(bext.timeReferenceSamples, info.sampleRateHz)});
    rows->append({b, QStringLiteral("Loudness value"), loudness(bext.loudness.loudnessValueLufs, "LUFS")});
    rows->append({b, QStringLiteral("Loudness range"), loudness(bext.loudness.loudnessRangeLu, "LU")});
    rows->append({b, QStringLiteral("Max true peak"), loudness(bext.loudness.maxTruePeakLevelDbtp, "dBTP")});
    rows->append({b, QStringLiteral("Max momentary"), loudness(bext.loudness.maxMomentaryLoudnessLufs, "LUFS")});
    rows->append({b, QStringLiteral("Max short-term"), loudness(bext.loudness.maxShortTermLoudnessLufs, "LUFS")});
    const QString umid = io::umidToHex(bext.umid);
    rows->append({b, QStringLiteral("UMID"), umid.isEmpty() ? QStringLiteral("not set") : umid});
    const QString history = QString::fromLatin1(bext.codingHistory).remove(QLatin1Char('\r')).trimmed();
    rows->append({b, QStringLiteral("Coding history"), history.isEmpty() ? QStringLiteral("(empty)") : history});
}

void appendIxml(QList<MetadataRow> *rows, const io::AudioInfo &info)
{
    const QString x = QStringLiteral("iXML");
    if (!info.ixml) {
        rows->append({x, QStringLiteral("iXML chunk"), QStringLiteral("none")});
        return;
    }
    const io::IxmlFields &ixml = *info.ixml;
    rows->append({x, QStringLiteral("Project"), ixml.project});
    rows->append({x, QStringLiteral("Note"), ixml.note});
    rows->append({x, QStringLiteral("Time reference"),
                  ixml.timeReferenceSamples ? timeReference(*ixml.timeReferenceSamples, info.sampleRateHz) : QStringLiteral("not set")});
    for (const io::IxmlTrack &track : ixml.tracks)
        rows->append({x, QStringLiteral("Track %1").arg(track.channelIndex),
                      QStringLiteral("%1 \u00b7 %2 (interleave %3)").arg(track.function, track.name).arg(track.interleaveIndex)});
}

}  // namespace

QList<MetadataRow> metadataRows(const io::AudioInfo &info)
{
    QList<MetadataRow> rows;
    appendFormat(&rows, info);
    appendBext(&rows, info);
    appendIxml(&rows, info);
    for (const QString &problem : info.metadataProblems)
        rows.append({QStringLiteral("Problems"), QStringLiteral("Not trusted"), problem});
    return rows;
}

MetadataModel::MetadataModel(QObject *parent) : QAbstractTableModel(parent) {}

void MetadataModel::setRows(QList<MetadataRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QString MetadataModel::value(const QString &section, const QString &field) const
{
    for (const MetadataRow &row : m_rows)
        if (row.section == section && row.field == field)
            return row.value;
    return {};
}

int MetadataModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MetadataModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetadataModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const MetadataRow &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == Field ? QStringLiteral("%1 \u203a %2").arg(row.section, row.field) : row.value;
    case Qt::ToolTipRole:
        return row.value;
    case SectionRole:
        return row.section;
    default:
        return {};
    }
}

QVariant MetadataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Field ? QStringLiteral("Field") : QStringLiteral("Value");
}

}  // namespace stemship::gui

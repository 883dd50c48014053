#include "models/mixermodel.h"

#include "audio/playbackengine.h"
#include "theme.h"

#include <QApplication>

#include <cmath>

namespace stemship::gui {

namespace {

// "2 ch" for mono and stereo; the layout core read from the channel mask for more ("5.1", "7.1.4"), as the Audit
// table shows it, and "6 ch ?" when core knows no layout for them.
QString channelsText(const PlaybackStem &stem)
{
    if (stem.channels < 3)
        return QStringLiteral("%1 ch").arg(stem.channels);
    return stem.layout == QLatin1String("unknown") ? QStringLiteral("%1 ch ?").arg(stem.channels) : stem.layout;
}

}  // namespace

MixerModel::MixerModel(PlaybackEngine *engine, QObject *parent) : QAbstractTableModel(parent), m_engine(engine)
{
    reload();
}

void MixerModel::reload()
{
    beginResetModel();
    m_levelsDb.assign(std::size_t(m_engine->stems().size()), -INFINITY);
    endResetModel();
}

void MixerModel::refreshLevels()
{
    if (m_levelsDb.empty())
        return;
    // Same return rate as the bridge's peak bars: 20 dB in 1.7 s at ~30 Hz polling.
    constexpr double kFallPerTickDb = 20.0 / 1.7 / 30.0;
    bool changed = false;
    for (std::size_t i = 0; i < m_levelsDb.size(); ++i) {
        const double peak = metering::linearToDb(m_engine->takeStemPeak(int(i)));
        const double fallen = std::isfinite(m_levelsDb[i]) ? m_levelsDb[i] - kFallPerTickDb : -INFINITY;
        double next = std::max(peak, fallen);
        if (next < -70.0)
            next = -INFINITY;
        if (next != m_levelsDb[i]) {
            m_levelsDb[i] = next;
            changed = true;
        }
    }
    if (changed)
        Q_EMIT dataChanged(index(0, Level), index(rowCount() - 1, Level), {LevelDbRole, Qt::DisplayRole});
}

double MixerModel::levelDb(int row) const
{
    return row >= 0 && std::size_t(row) < m_levelsDb.size() ? m_levelsDb[std::size_t(row)] : -INFINITY;
}

int MixerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_engine->stems().size());
}

int MixerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MixerModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_engine->stems().size())
        return {};
    const PlaybackStem &stem = m_engine->stems().at(index.row());
    switch (index.column()) {
    case Stem:
        if (role == Qt::DisplayRole)
            return stem.name;
        if (role == Qt::ToolTipRole)
            return stem.path;
        if (role == Qt::ForegroundRole && !stem.playable)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        break;
    case Level:
        if (role == LevelDbRole)
            return levelDb(index.row());
        if (role == Qt::AccessibleTextRole)
            return QStringLiteral("%1 dBFS").arg(levelDb(index.row()), 0, 'f', 1);
        break;
    case Solo:
        if (role == Qt::CheckStateRole)
            return stem.soloed ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::AccessibleTextRole)
            return stem.soloed ? QStringLiteral("Soloed") : QStringLiteral("Not soloed");
        break;
    case Mute:
        if (role == Qt::CheckStateRole)
            return stem.muted ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::AccessibleTextRole)
            return stem.muted ? QStringLiteral("Muted") : QStringLiteral("Not muted");
        break;
    case Format:
        if (role == Qt::DisplayRole)
            return stem.sampleRateHz > 0 ? QStringLiteral("%1 Hz \u00b7 %2").arg(stem.sampleRateHz).arg(channelsText(stem))
                                         : QStringLiteral("\u2013");
        if (role == Qt::FontRole)
            return theme::monospaceFont();
        break;
    case Note:
        if (role == Qt::DisplayRole)
            return stem.problem;
        if (role == Qt::ForegroundRole && !stem.problem.isEmpty())
            return theme::statusColour(theme::Status::Warning, QApplication::palette());
        break;
    default:
        break;
    }
    return {};
}

bool MixerModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole)
        return false;
    const bool on = value.value<Qt::CheckState>() == Qt::Checked || value.toInt() == Qt::Checked;
    if (index.column() == Solo)
        m_engine->setSoloed(index.row(), on);
    else if (index.column() == Mute)
        m_engine->setMuted(index.row(), on);
    else
        return false;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags MixerModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Solo || index.column() == Mute))
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant MixerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Stem:
        return QStringLiteral("Stem");
    case Level:
        return QStringLiteral("Level");
    case Solo:
        return QStringLiteral("S");
    case Mute:
        return QStringLiteral("M");
    case Format:
        return QStringLiteral("Format");
    case Note:
        return QStringLiteral("Note");
    default:
        return {};
    }
}

}  // namespace stemship::gui

#include "models/gainplanmodel.h"

#include "delivery/gainrequest.h"
#include "theme.h"
#include "widgets/meterbridge.h"

#include <QApplication>
#include <QFileInfo>

#include <cmath>

namespace stemship::gui {

namespace {

QString unitFor(gain::Measure measure)
{
    return measure == gain::Measure::Lufs ? QStringLiteral(" LUFS") : QStringLiteral(" dBFS");
}

}  // namespace

GainPlanModel::GainPlanModel(QObject *parent) : QAbstractTableModel(parent) {}

void GainPlanModel::setPlan(const delivery::GainPreviewMeasurements *measurements, const delivery::DeliveryGains &gains)
{
    beginResetModel();
    m_rows.clear();
    m_request = gains.request;
    m_plan = measurements ? gains.plan : gain::GainPlan{};
    if (measurements) {
        for (std::size_t i = 0; i < measurements->stems.size(); ++i) {
            const io::StemSource &source = measurements->stems[i].source;
            const std::optional<double> &own = m_request.stemTargetsDb.at(i);
            m_rows.append(Row{QFileInfo(source.displayPath).fileName(), source.displayPath,
                              delivery::stemLevels(measurements->measured[i].levels),
                              m_request.mode == gain::GainMode::None ? std::nullopt : std::optional(own.value_or(m_request.targetDb))});
        }
    }
    endResetModel();
}

QString GainPlanModel::source(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).source : QString();
}

double GainPlanModel::gainDb(int row) const
{
    return row >= 0 && std::size_t(row) < m_plan.stems.size() ? m_plan.stems[std::size_t(row)].gainDb : 0.0;
}

int GainPlanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GainPlanModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GainPlanModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const gain::StemGain planned = std::size_t(index.row()) < m_plan.stems.size() ? m_plan.stems[std::size_t(index.row())]
                                                                                   : gain::StemGain{};
    const gain::Measure measure = delivery::targetMeasure(m_request.mode, m_request.measure);
    const double measured = gain::levelFor(row.levels, measure);
    const double peak = row.levels.samplePeakDbfs + planned.gainDb;
    const double truePeak = row.levels.truePeakDbtp + planned.gainDb;
    const int column = index.column();
    if (role == ValueRole) {
        switch (column) {
        case Measured: return measured;
        case Target: return row.targetDb ? QVariant(*row.targetDb) : QVariant();
        case Gain: return planned.gainDb;
        case PredictedPeak: return peak;
        case PredictedTruePeak: return truePeak;
        default: return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Stem: return row.name;
        case Measured: return QString(formatDb(measured) + unitFor(measure));
        case Target: return row.targetDb ? QString(formatDb(*row.targetDb) + unitFor(measure)) : QStringLiteral("\u2013");
        case Gain: return planned.silent ? QStringLiteral("\u2013") : QString::asprintf("%+.2f dB", planned.gainDb);
        case PredictedPeak: return QString(formatDb(peak) + QStringLiteral(" dBFS"));
        case PredictedTruePeak: return QString(formatDb(truePeak) + QStringLiteral(" dBTP"));
        case Note: {
            QString note = QString::fromStdString(planned.note);
            if (note.isEmpty() && planned.limitedByCeiling)
                note = QStringLiteral("limited by the ceiling");
            if (note.isEmpty() && planned.silent)
                note = QStringLiteral("silent");
            return note;
        }
        default: return {};
        }
    }
    if (role == Qt::FontRole && column != Stem && column != Note)
        return theme::monospaceFont();
    if (role == Qt::TextAlignmentRole && column != Stem && column != Note)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole) {
        const QPalette palette = QApplication::palette();
        if (column == PredictedTruePeak && truePeak > m_request.ceilingDbtp + 1e-6)
            return theme::statusColour(theme::Status::Error, palette);
        if ((column == Note || column == Gain) && planned.limitedByCeiling)
            return theme::statusColour(theme::Status::Warning, palette);
    }
    if (role == Qt::DecorationRole && column == Stem && planned.limitedByCeiling)
        return theme::statusIcon(theme::Status::Warning);
    return {};
}

QVariant GainPlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Measured)
        return QStringLiteral("As the delivered file will measure: at the delivery rate, placed on the delivery's timeline");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Stem: return QStringLiteral("Stem");
    case Measured: return QStringLiteral("Measured");
    case Target: return QStringLiteral("Target");
    case Gain: return QStringLiteral("Gain");
    case PredictedPeak: return QStringLiteral("Peak after");
    case PredictedTruePeak: return QStringLiteral("True peak after");
    case Note: return QStringLiteral("Note");
    default: return {};
    }
}

}  // namespace stemship::gui

#include "models/stemtablemodel.h"

#include "audit/issuemeasurement.h"

#include "widgets/meterbridge.h"
#include "widgets/waveformview.h"

#include <QApplication>
#include <QFileInfo>

#include <cmath>

namespace stemship::gui {

namespace {

QVariant finiteOr(double value, double fallback)
{
    return std::isfinite(value) ? value : fallback;
}

bool isNumeric(int column)
{
    return column >= StemTableModel::Rate && column <= StemTableModel::Correlation;
}

// The measurement a column shows, so its cell takes the colour of the audit's findings about that measurement.
audit::Measurement measurementShownIn(int column)
{
    using M = audit::Measurement;
    switch (column) {
    case StemTableModel::Role: return M::Role;
    case StemTableModel::Format: return M::Format;
    case StemTableModel::Rate: return M::Rate;
    case StemTableModel::Depth: return M::BitDepth;
    case StemTableModel::Channels: return M::Channels;
    case StemTableModel::Length: return M::Length;
    case StemTableModel::Start: return M::Start;
    case StemTableModel::Peak: return M::SamplePeak;
    case StemTableModel::TruePeak: return M::TruePeak;
    case StemTableModel::Dc: return M::DcOffset;
    case StemTableModel::Correlation: return M::Correlation;
    default: return M::None;
    }
}

std::optional<theme::Status> statusOf(std::optional<audit::Severity> severity)
{
    if (severity == audit::Severity::Error)
        return theme::Status::Error;
    if (severity == audit::Severity::Warning)
        return theme::Status::Warning;
    return std::nullopt;
}

}  // namespace

StemTableModel::StemTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void StemTableModel::setReport(const audit::AuditReport *report)
{
    beginResetModel();
    m_stems = report ? report->stems : QList<audit::StemReport>();
    m_setIssues.issues = report ? report->issues : QList<audit::Issue>();
    endResetModel();
}

std::optional<theme::Status> StemTableModel::cellStatus(const audit::StemReport &stem, int column) const
{
    const audit::Measurement measurement = measurementShownIn(column);
    if (measurement == audit::Measurement::None)
        return std::nullopt;
    return statusOf(audit::worstSeverityFor(m_setIssues.issuesFor(stem), measurement));
}

QVariant StemTableModel::toolTip(const audit::StemReport &s, int column) const
{
    if (column == Stem)
        return s.isSum ? QStringLiteral("The stems summed on their timeline, measured as one programme") : s.path;
    if (column == Profile && s.profile) {
        QStringList rules;
        for (const profiles::RuleVerdict &r : s.profile->rules)
            rules.append(QStringLiteral("%1  %2: %3, limit %4").arg(r.passed ? QStringLiteral("pass") : QStringLiteral("FAIL"),
                                                                   r.rule, r.valueDisplay(), r.limitText()));
        return QString(s.profile->name + QLatin1Char('\n') + rules.join(QLatin1Char('\n')));
    }
    // A marked figure explains itself with the findings about it; any other cell lists all of the stem's.
    const audit::Measurement measurement = measurementShownIn(column);
    const bool marked = cellStatus(s, column).has_value();
    QStringList lines;
    for (const audit::Issue &issue : m_setIssues.issuesFor(s))
        if (!marked || audit::measurementOf(issue.code) == measurement)
            lines.append(audit::severityName(issue.severity) + QStringLiteral(": ") + issue.message);
    return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
}

QVariant StemTableModel::foreground(const audit::StemReport &s, int column) const
{
    const QPalette palette = QApplication::palette();
    if (const std::optional<theme::Status> status = cellStatus(s, column))
        return theme::statusColour(*status, palette);
    if (column == Profile && s.profile)
        return theme::statusColour(s.profile->passed ? theme::Status::Ok : theme::Status::Error, palette);
    if (column == Issues && !m_setIssues.issuesFor(s).isEmpty())
        return theme::statusColour(stemStatus(s), palette);
    if (column == Role && !s.role)
        return palette.color(QPalette::Disabled, QPalette::Text);
    return {};
}

const audit::StemReport *StemTableModel::stem(int row) const
{
    return row >= 0 && row < m_stems.size() ? &m_stems.at(row) : nullptr;
}

int StemTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_stems.size());
}

int StemTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

theme::Status StemTableModel::stemStatus(const audit::StemReport &stem) const
{
    // The set's findings that name this stem count too (a 44.1 kHz stem in a 48 kHz set is a warning).
    const QString status = m_setIssues.statusOf(stem);
    if (status == QLatin1String("error"))
        return theme::Status::Error;
    if (status == QLatin1String("warning"))
        return theme::Status::Warning;
    return theme::Status::Ok;
}

QVariant StemTableModel::display(const audit::StemReport &s, int column) const
{
    const bool readable = s.readable;
    const auto dash = QStringLiteral("\u2013");
    switch (column) {
    case Status:
        return theme::statusName(stemStatus(s));
    case Stem:
        return QFileInfo(s.path).fileName();
    case Role:
        return s.role.value_or(dash);
    case Format:
        return readable ? s.info.format + QLatin1Char(' ') + s.info.sampleFormat : dash;
    case Rate:
        return readable ? QString::number(s.info.sampleRateHz) : dash;
    case Depth:
        if (!readable)
            return dash;
        if (s.info.bitDepth)
            return QString::number(*s.info.bitDepth);
        return s.info.isFloat ? QStringLiteral("float") : s.info.lossy ? QStringLiteral("lossy") : dash;
    case Channels:
        // The layout core read from the channel mask; an unknown one says how many channels it has.
        if (!readable)
            return dash;
        if (s.layout == metering::ChannelLayout::Unknown)
            return QStringLiteral("%1 ch ?").arg(s.info.channels);
        return QString::fromLatin1(metering::layoutName(s.layout));
    case Length:
        return readable ? formatTime(s.info.durationSeconds()) : dash;
    case Start:
        return readable ? formatTime(s.startSeconds) : dash;
    case Peak:
        return readable ? formatDb(s.levels.samplePeakDbfs) : dash;
    case TruePeak:
        return readable ? formatDb(s.levels.truePeakDbtp) : dash;
    case Rms:
        return readable ? formatDb(s.levels.rmsDbfs) : dash;
    case Lufs:
        return readable ? formatDb(s.levels.integratedLufs) : dash;
    case Lra:
        return readable ? QString::number(s.levels.loudnessRangeLu, 'f', 1) : dash;
    case Dc:
        return readable ? QString::number(s.levels.maxAbsDcOffset, 'f', 5) : dash;
    case Correlation:
        return s.levels.correlation ? QString::asprintf("%+.2f", *s.levels.correlation) : dash;
    case Profile: {
        if (!s.profile)
            return dash;
        QStringList failed;
        for (const profiles::RuleVerdict &r : s.profile->failures())
            failed.append(r.rule);
        return failed.isEmpty() ? QStringLiteral("pass") : QString(QStringLiteral("fail: ") + failed.join(QStringLiteral(", ")));
    }
    case Issues: {
        QStringList codes;
        for (const audit::Issue &issue : m_setIssues.issuesFor(s))
            codes.append(issue.code);
        return codes.isEmpty() ? QString() : codes.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

QVariant StemTableModel::sortValue(const audit::StemReport &s, int column) const
{
    switch (column) {
    case Status:
        return int(stemStatus(s));
    case Rate:
        return s.info.sampleRateHz;
    case Depth:
        return s.info.bitDepth.value_or(s.info.isFloat ? 64 : 0);
    case Channels:
        return s.info.channels;
    case Length:
        return s.info.durationSeconds();
    case Start:
        return s.startSeconds;
    case Peak:
        return finiteOr(s.levels.samplePeakDbfs, -1000.0);
    case TruePeak:
        return finiteOr(s.levels.truePeakDbtp, -1000.0);
    case Rms:
        return finiteOr(s.levels.rmsDbfs, -1000.0);
    case Lufs:
        return finiteOr(s.levels.integratedLufs, -1000.0);
    case Lra:
        return s.levels.loudnessRangeLu;
    case Dc:
        return s.levels.maxAbsDcOffset;
    case Correlation:
        return s.levels.correlation.value_or(2.0);
    case Issues:
        return int(m_setIssues.issuesFor(s).size());
    case Profile:
        return s.profile ? int(s.profile->failures().size()) : -1;
    default:
        return display(s, column);
    }
}

QVariant StemTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_stems.size() || index.column() >= ColumnCount)
        return {};
    const audit::StemReport &s = m_stems.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return column == Status ? QVariant() : display(s, column);
    case Qt::AccessibleTextRole:
        return display(s, column);
    case SortRole:
        return sortValue(s, column);
    case PathRole:
        return s.path;
    case Qt::DecorationRole:
        return column == Status ? QVariant(theme::statusIcon(stemStatus(s))) : QVariant();
    case Qt::ToolTipRole:
        return toolTip(s, column);
    case Qt::FontRole:
        if (isNumeric(column))
            return theme::monospaceFont();
        if (s.isSum && column == Stem) {
            QFont italic = QApplication::font();
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        return foreground(s, column);
    default:
        return {};
    }
}

QVariant StemTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const kTitles[ColumnCount] = {"", "Stem", "Role", "Profile", "Format", "Rate", "Bits", "Layout",
                                                     "Length", "Start", "Peak", "True peak", "RMS", "LUFS",
                                                     "LRA", "DC", "Corr", "Issues"};
    static const char *const kTips[ColumnCount] = {
        "Status: worst issue found", "File name", "Template track it matched",
        "Delivery profile: pass, or the rules that fail", "Container and sample format",
        "Sample rate (Hz)", "Bit depth", "Channel layout from the WAVE channel mask (? = unknown)", "Duration", "Timeline start (BWF time reference)",
        "Sample peak (dBFS)", "True peak, oversampled (dBTP)", "RMS level (dBFS)",
        "Integrated loudness, BS.1770-4 (LUFS)", "Loudness range, EBU Tech 3342 (LU)", "Largest DC offset (linear)",
        "Stereo correlation (-1 .. +1)", "Issue codes"};
    if (role == Qt::DisplayRole)
        return QString::fromLatin1(kTitles[section]);
    if (role == Qt::ToolTipRole || (role == Qt::AccessibleTextRole))
        return QString::fromLatin1(kTips[section]);
    if (role == Qt::TextAlignmentRole)
        return isNumeric(section) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    return {};
}

}  // namespace stemship::gui

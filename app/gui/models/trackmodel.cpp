#include "models/trackmodel.h"

#include "theme.h"

#include <QApplication>

#include <algorithm>

namespace stemship::gui {

TrackModel::TrackModel(QObject *parent) : QAbstractTableModel(parent) {}

void TrackModel::setTemplate(const templates::SessionTemplate &tmpl)
{
    beginResetModel();
    m_template = tmpl;
    m_cellProblems.clear();
    endResetModel();
}

int TrackModel::columnForField(const QString &field)
{
    if (field == QLatin1String("name"))
        return Name;
    if (field == QLatin1String("colour") || field == QLatin1String("color"))
        return Colour;
    if (field == QLatin1String("group"))
        return Group;
    if (field == QLatin1String("layout"))
        return Layout;
    if (field == QLatin1String("output") || field == QLatin1String("sends"))
        return Output;
    if (field == QLatin1String("target"))
        return Target;
    if (field == QLatin1String("aliases") || field == QLatin1String("patterns"))
        return Aliases;
    return Name;
}

void TrackModel::setProblems(const QList<templates::TemplateProblem> &problems)
{
    m_cellProblems.set(problems, QStringLiteral("tracks"), columnForField);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int TrackModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_template.tracks.size());
}

int TrackModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TrackModel::targetText(const std::optional<templates::GainTarget> &target)
{
    if (!target)
        return {};
    return templates::targetMeasureName(target->measure) + QLatin1Char(' ') + QString::number(target->valueDb, 'f', 1);
}

std::optional<std::optional<templates::GainTarget>> TrackModel::parseTarget(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::optional<templates::GainTarget>();
    const QStringList parts = trimmed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() != 2)
        return std::nullopt;
    const auto measure = templates::parseTargetMeasure(parts.at(0).toLower());
    bool ok = false;
    const double value = parts.at(1).toDouble(&ok);
    if (!measure || !ok)
        return std::nullopt;
    return std::optional(templates::GainTarget{*measure, value});
}

QVariant TrackModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_template.tracks.size())
        return {};
    const templates::Track &track = m_template.tracks.at(index.row());
    const int column = index.column();
    if (const QVariant problem = m_cellProblems.data(index.row(), column, role, column != Colour); problem.isValid())
        return problem;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Name:
            return track.name;
        case Colour:
            return role == Qt::EditRole ? track.colour : m_template.trackColour(track);
        case Group:
            return track.group;
        case Layout:
            return templates::channelLayoutName(track.layout);
        case Output:
            return role == Qt::EditRole ? track.output : m_template.trackOutput(track);
        case Target:
            return role == Qt::EditRole ? targetText(track.target) : targetText(m_template.trackTarget(track));
        case Aliases:
            return track.aliases.join(QStringLiteral(", "));
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && column == Target)
        return track.target ? QStringLiteral("The track's own target") : QStringLiteral("Inherited from the group or the template");
    if (role == Qt::ForegroundRole) {
        const bool inherited = (column == Colour && track.colour.isEmpty()) || (column == Output && track.output.isEmpty())
                               || (column == Target && !track.target);
        if (inherited)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
    }
    if (role == Qt::FontRole && (column == Colour || column == Target))
        return theme::monospaceFont();
    if (role == OptionsRole) {
        QStringList options;
        switch (column) {
        case Group:
            for (const templates::Group &group : m_template.groups)
                options.append(group.id);
            break;
        case Layout:
            for (auto layout : {templates::ChannelLayout::Mono, templates::ChannelLayout::Stereo,
                                templates::ChannelLayout::Surround51, templates::ChannelLayout::Surround71})
                options.append(templates::channelLayoutName(layout));
            break;
        case Output:
            options.append(QString());  // inherit
            for (const templates::Bus &bus : m_template.buses)
                if (bus.kind != templates::BusKind::Aux)
                    options.append(bus.id);
            break;
        default:
            break;
        }
        return options;
    }
    return {};
}

bool TrackModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_template.tracks.size())
        return false;
    templates::Track &track = m_template.tracks[index.row()];
    const QString text = value.toString();
    switch (index.column()) {
    case Name:
        if (text.trimmed().isEmpty())
            return false;
        track.name = text.trimmed();
        break;
    case Colour:
        track.colour = text.trimmed();
        break;
    case Group:
        track.group = text;
        break;
    case Layout: {
        const auto layout = templates::parseChannelLayout(text);
        if (!layout)
            return false;
        track.layout = *layout;
        break;
    }
    case Output:
        track.output = text;
        break;
    case Target: {
        const auto target = parseTarget(text);
        if (!target)
            return false;
        track.target = *target;
        break;
    }
    case Aliases: {
        QStringList aliases;
        for (const QString &alias : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!alias.trimmed().isEmpty())
                aliases.append(alias.trimmed());
        track.aliases = aliases;
        break;
    }
    default:
        return false;
    }
    Q_EMIT dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
    Q_EMIT templateEdited();
    return true;
}

Qt::ItemFlags TrackModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid())
        flags |= Qt::ItemIsEditable;
    return flags;
}

void TrackModel::externalEdit()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT templateEdited();
}

bool TrackModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > rowCount() || count < 1)
        return false;
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        templates::Track track;
        const int above = row + i - 1;
        track.group = above >= 0 ? m_template.tracks.at(above).group
                                 : !m_template.groups.isEmpty() ? m_template.groups.constFirst().id : QString();
        const auto taken = [this](const QString &name) {
            return std::any_of(m_template.tracks.cbegin(), m_template.tracks.cend(),
                               [&](const templates::Track &t) { return t.name.compare(name, Qt::CaseInsensitive) == 0; });
        };
        track.name = QStringLiteral("New Track");
        for (int n = 2; taken(track.name); ++n)
            track.name = QStringLiteral("New Track %1").arg(n);
        m_template.tracks.insert(row + i, track);
    }
    m_cellProblems.clear();  // their rows moved; validation sets them again
    endInsertRows();
    Q_EMIT templateEdited();
    return true;
}

bool TrackModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > rowCount())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_template.tracks.remove(row, count);
    m_cellProblems.clear();
    endRemoveRows();
    Q_EMIT templateEdited();
    return true;
}

bool TrackModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                          int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count < 1 || sourceRow < 0 || sourceRow + count > rowCount()
        || destinationChild < 0 || destinationChild > rowCount()
        || (destinationChild >= sourceRow && destinationChild <= sourceRow + count))
        return false;
    if (!beginMoveRows(sourceParent, sourceRow, sourceRow + count - 1, destinationParent, destinationChild))
        return false;
    const QList<templates::Track> moved = m_template.tracks.mid(sourceRow, count);
    m_template.tracks.remove(sourceRow, count);
    const int to = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    for (int i = 0; i < count; ++i)
        m_template.tracks.insert(to + i, moved.at(i));
    m_cellProblems.clear();
    endMoveRows();
    Q_EMIT templateEdited();
    return true;
}

QVariant TrackModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return QStringLiteral("Track");
    case Colour: return QStringLiteral("Colour");
    case Group: return QStringLiteral("Group");
    case Layout: return QStringLiteral("Layout");
    case Output: return QStringLiteral("Output");
    case Target: return QStringLiteral("Target");
    case Aliases: return QStringLiteral("Aliases");
    default: return {};
    }
}

}  // namespace stemship::gui

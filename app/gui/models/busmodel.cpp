#include "models/busmodel.h"

#include "models/trackmodel.h"
#include "theme.h"

#include <QApplication>

#include <algorithm>

namespace stemship::gui {

BusModel::BusModel(TrackModel *tracks, QObject *parent) : QAbstractTableModel(parent), m_tracks(tracks)
{
    // A new template in the track model is a new bus list here.
    connect(tracks, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(tracks, &QAbstractItemModel::modelReset, this, [this] {
        m_cellProblems.clear();
        endResetModel();
    });
}

const templates::SessionTemplate &BusModel::tmpl() const
{
    return m_tracks->sessionTemplate();
}

void BusModel::setProblems(const QList<templates::TemplateProblem> &problems)
{
    m_cellProblems.set(problems, QStringLiteral("buses"), [](const QString &field) {
        return field == QLatin1String("id") ? Id : field == QLatin1String("kind") ? Kind
            : field == QLatin1String("colour") ? Colour : field == QLatin1String("output") ? Output
            : field == QLatin1String("effect") ? Effect : Name;
    });
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int BusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(tmpl().buses.size());
}

int BusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BusModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= tmpl().buses.size())
        return {};
    const templates::Bus &bus = tmpl().buses.at(index.row());
    const int column = index.column();
    if (const QVariant problem = m_cellProblems.data(index.row(), column, role, column != Colour); problem.isValid())
        return problem;
    const bool isMix = bus.kind == templates::BusKind::Mix;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Name: return bus.name;
        case Id: return bus.id;
        case Kind: return templates::busKindName(bus.kind);
        case Colour: return bus.colour;
        case Output: return role == Qt::EditRole || isMix ? bus.output : tmpl().busOutput(bus);
        case Effect: return bus.effect;
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && column == Output && bus.output.isEmpty())
        return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && column == Output && !isMix)
        return bus.output.isEmpty() ? QStringLiteral("The mix bus (by default)") : QStringLiteral("The bus this one feeds");
    if (role == Qt::FontRole && (column == Colour || column == Id))
        return theme::monospaceFont();
    if (role == TrackModel::OptionsRole) {
        QStringList options;
        if (column == Kind) {
            for (auto kind : {templates::BusKind::Group, templates::BusKind::Aux, templates::BusKind::Mix})
                options.append(templates::busKindName(kind));
        } else if (column == Output) {
            options.append(QString());  // the mix bus
            for (const templates::Bus &other : tmpl().buses)
                if (other.id != bus.id && other.kind != templates::BusKind::Mix)
                    options.append(other.id);
        }
        return options;
    }
    return {};
}

void BusModel::renameReferences(const QString &from, const QString &to)
{
    templates::SessionTemplate &t = m_tracks->editableTemplate();
    auto rename = [&](QString &ref) {
        if (ref == from)
            ref = to;
    };
    for (templates::Track &track : t.tracks) {
        rename(track.output);
        for (templates::Send &send : track.sends)
            rename(send.bus);
        // A removed bus (to empty) takes its sends with it.
        if (to.isEmpty())
            track.sends.erase(std::remove_if(track.sends.begin(), track.sends.end(),
                                             [](const templates::Send &s) { return s.bus.isEmpty(); }),
                              track.sends.end());
    }
    for (templates::Group &group : t.groups)
        rename(group.bus);
    for (templates::Bus &bus : t.buses)
        rename(bus.output);
}

bool BusModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= rowCount())
        return false;
    templates::Bus &bus = m_tracks->editableTemplate().buses[index.row()];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Name:
        if (text.isEmpty())
            return false;
        bus.name = text;
        break;
    case Id: {
        if (text.isEmpty() || text == bus.id)
            return text == bus.id;
        // Another bus's id would merge the two buses' references beyond undoing: refused.
        if (std::any_of(tmpl().buses.cbegin(), tmpl().buses.cend(), [&](const templates::Bus &b) { return b.id == text; }))
            return false;
        const QString from = bus.id;
        bus.id = text;  // an id that is not one (spaces...) is shown by validation, on this cell
        renameReferences(from, text);
        break;
    }
    case Kind: {
        const auto kind = templates::parseBusKind(text);
        if (!kind)
            return false;
        bus.kind = *kind;
        if (bus.kind == templates::BusKind::Mix)
            bus.output.clear();  // the mix bus feeds nothing
        break;
    }
    case Colour:
        bus.colour = text;
        break;
    case Output:
        bus.output = text;
        break;
    case Effect:
        bus.effect = text;
        break;
    default:
        return false;
    }
    Q_EMIT dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
    m_tracks->externalEdit();
    return true;
}

Qt::ItemFlags BusModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return flags;
    const bool isMix = index.row() < rowCount() && tmpl().buses.at(index.row()).kind == templates::BusKind::Mix;
    if (!(isMix && index.column() == Output))  // the mix bus has no output to choose
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant BusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return QStringLiteral("Bus");
    case Id: return QStringLiteral("Id");
    case Kind: return QStringLiteral("Kind");
    case Colour: return QStringLiteral("Colour");
    case Output: return QStringLiteral("Output");
    case Effect: return QStringLiteral("Effect");
    default: return {};
    }
}

bool BusModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > rowCount() || count < 1)
        return false;
    templates::SessionTemplate &t = m_tracks->editableTemplate();
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        const auto taken = [&t](const QString &id) {
            return std::any_of(t.buses.cbegin(), t.buses.cend(), [&](const templates::Bus &b) { return b.id == id; });
        };
        templates::Bus bus;
        bus.name = QStringLiteral("New Bus");
        bus.id = QStringLiteral("new_bus");
        for (int n = 2; taken(bus.id); ++n) {
            bus.name = QStringLiteral("New Bus %1").arg(n);
            bus.id = QStringLiteral("new_bus_%1").arg(n);
        }
        t.buses.insert(row + i, bus);
    }
    m_cellProblems.clear();
    endInsertRows();
    m_tracks->externalEdit();
    return true;
}

bool BusModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > rowCount())
        return false;
    templates::SessionTemplate &t = m_tracks->editableTemplate();
    for (int i = row; i < row + count; ++i)
        if (t.buses.at(i).kind == templates::BusKind::Mix)
            return false;
    QStringList removed;
    for (int i = row; i < row + count; ++i)
        removed.append(t.buses.at(i).id);
    beginRemoveRows(parent, row, row + count - 1);
    t.buses.remove(row, count);
    for (const QString &id : removed)
        renameReferences(id, QString());
    m_cellProblems.clear();
    endRemoveRows();
    m_tracks->externalEdit();
    return true;
}

}  // namespace stemship::gui

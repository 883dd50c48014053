#include "models/routingmodel.h"

#include "templates/mixertree.h"
#include "theme.h"

#include <QColor>

namespace stemship::gui {

namespace {

QList<QStandardItem *> row(const QString &name, const QString &kind, const QString &detail, const QString &colour = {})
{
    auto *nameItem = new QStandardItem(name);
    if (!colour.isNull())
        nameItem->setIcon(theme::swatchIcon(QColor::fromString(colour.isEmpty() ? QStringLiteral("#808080") : colour), 12));
    auto *kindItem = new QStandardItem(kind);
    auto *detailItem = new QStandardItem(detail);
    for (QStandardItem *item : {nameItem, kindItem, detailItem})
        item->setEditable(false);
    return {nameItem, kindItem, detailItem};
}

void addNode(const templates::SessionTemplate &tmpl, const templates::MixerNode &node, QStandardItem *parent)
{
    using Kind = templates::MixerNode::Kind;
    QList<QStandardItem *> items;
    if (node.kind == Kind::Track) {
        const templates::Track &track = tmpl.tracks.at(node.index);
        items = row(track.name, QStringLiteral("track"), templates::channelLayoutName(track.layout), tmpl.trackColour(track));
        for (const templates::Send &send : track.sends) {
            const templates::Bus *bus = tmpl.bus(send.bus);
            items.constFirst()->appendRow(row(QStringLiteral("\u2192 ") + (bus ? bus->name : send.bus), QStringLiteral("send"),
                                              QStringLiteral("%1 dB%2").arg(send.levelDb, 0, 'f', 1)
                                                  .arg(send.preFader ? QStringLiteral(" pre") : QString())));
        }
    } else {
        const templates::Bus &bus = tmpl.buses.at(node.index);
        const bool aux = bus.kind == templates::BusKind::Aux;
        items = row(bus.name, aux ? QStringLiteral("aux return") : QStringLiteral("group bus"),
                    aux ? bus.effect : QString(), bus.colour);
        if (aux) {
            // An aux return is fed by sends: list them under it.
            for (const templates::Track &track : tmpl.tracks)
                for (const templates::Send &send : track.sends)
                    if (send.bus == bus.id)
                        items.constFirst()->appendRow(row(track.name, QStringLiteral("send from"),
                                                          QStringLiteral("%1 dB").arg(send.levelDb, 0, 'f', 1), tmpl.trackColour(track)));
        }
    }
    for (const templates::MixerNode &child : node.children)
        addNode(tmpl, child, items.constFirst());
    parent->appendRow(items);
}

}  // namespace

RoutingModel::RoutingModel(QObject *parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({QStringLiteral("Routing"), QStringLiteral("Kind"), QStringLiteral("Detail")});
}

void RoutingModel::setTemplate(const templates::SessionTemplate &tmpl)
{
    removeRows(0, rowCount());
    const templates::Bus *mix = tmpl.mixBus();
    QList<QStandardItem *> root = row(mix ? mix->name : QStringLiteral("Mix"), QStringLiteral("mix bus"), QString(),
                                      mix ? mix->colour : QString());
    for (const templates::MixerNode &node : templates::mixerTree(tmpl))
        addNode(tmpl, node, root.constFirst());
    appendRow(root);
}

}  // namespace stemship::gui

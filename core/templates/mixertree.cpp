#include "mixertree.h"

#include <QHash>

#include <functional>

#include <climits>

namespace stemship::templates {
namespace {

QString busKey(const QString &id) { return QStringLiteral("bus:") + id; }

int firstTrack(const MixerNode &node)
{
    int first = node.kind == MixerNode::Kind::Track ? node.index : INT_MAX;
    for (const MixerNode &child : node.children)
        first = std::min(first, firstTrack(child));
    return first;
}

void sortSiblings(QList<MixerNode> *nodes)
{
    std::stable_sort(nodes->begin(), nodes->end(), [](const MixerNode &a, const MixerNode &b) {
        const int fa = firstTrack(a), fb = firstTrack(b);
        if (fa != fb)
            return fa < fb;
        return a.kind == b.kind ? a.index < b.index : int(a.kind) < int(b.kind);
    });
    for (MixerNode &node : *nodes)
        sortSiblings(&node.children);
}

}  // namespace

int owningGroup(const SessionTemplate &t, int busIndex)
{
    const Bus &b = t.buses.at(busIndex);
    if (b.kind == BusKind::Mix)
        return -1;
    int owner = -1;
    for (int g = 0; g < t.groups.size(); ++g) {
        if (t.groups[g].bus != b.id)
            continue;
        if (owner >= 0)
            return -1;  // shared by several groups: each becomes a folder inside it
        owner = g;
    }
    return owner;
}

QList<MixerNode> mixerTree(const SessionTemplate &t)
{
    const QString mix = t.mixBusId();
    auto parentOfBus = [&](const QString &id) { return id.isEmpty() || id == mix || !t.bus(id) ? QString() : busKey(id); };

    QHash<QString, QString> parent;           // node key -> parent key ("" = the mix bus)
    QHash<QString, MixerNode> nodes;
    QStringList order;
    auto add = [&](const QString &key, MixerNode node, const QString &parentKey) {
        nodes.insert(key, std::move(node));
        parent.insert(key, parentKey);
        order.append(key);
    };
    for (int b = 0; b < t.buses.size(); ++b) {
        if (t.buses[b].kind != BusKind::Mix)
            add(busKey(t.buses[b].id), MixerNode{MixerNode::Kind::Bus, b, owningGroup(t, b), {}}, parentOfBus(t.busOutput(t.buses[b])));
    }
    // A track sits in the folder of the bus it feeds; its group only decides that bus (and its colour).
    for (int i = 0; i < t.tracks.size(); ++i)
        add(QStringLiteral("track:%1").arg(i), MixerNode{MixerNode::Kind::Track, i, -1, {}}, parentOfBus(t.trackOutput(t.tracks[i])));
    // Attach children bottom-up: a node is complete once everything below it is attached. Routing cycles are
    // rejected by the validator; a cyclic model (never validated) keeps its cycle members at the top.
    QHash<QString, QStringList> childKeys;
    for (const QString &key : order) {
        QString p = parent.value(key);
        if (!nodes.contains(p))
            p.clear();
        qsizetype steps = 0;
        for (QString up = p; !up.isEmpty(); up = parent.value(up)) {
            if (up == key || ++steps > order.size()) {
                p.clear();
                break;
            }
        }
        parent[key] = p;
        childKeys[p].append(key);
    }
    std::function<MixerNode(const QString &, int)> build = [&](const QString &key, int depth) {
        MixerNode node = nodes.value(key);
        if (depth < 64) {
            for (const QString &child : childKeys.value(key))
                node.children.append(build(child, depth + 1));
        }
        return node;
    };
    QList<MixerNode> roots;
    for (const QString &key : childKeys.value(QString()))
        roots.append(build(key, 0));
    sortSiblings(&roots);
    return roots;
}

}  // namespace stemship::templates

// checkTemplate(): the semantic half of validation (declared in templateparser.h).

#include "templateparser.h"

#include "templates/deliveryname.h"
#include "templates/trackmatcher.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace stemship::templates {
namespace {

QString at(const char *list, qsizetype index, const char *key = nullptr)
{
    QString p = QLatin1Char('/') + QLatin1String(list) + QLatin1Char('/') + QString::number(index);
    if (key)
        p += QLatin1Char('/') + QLatin1String(key);
    return p;
}

bool isIdentifier(const QString &id)
{
    static const QRegularExpression syntax(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return syntax.match(id).hasMatch();
}

QString busList(const SessionTemplate &t)
{
    QStringList ids;
    for (const Bus &b : t.buses)
        ids.append(b.id);
    return ids.join(QStringLiteral(", "));
}

class Checker {
public:
    explicit Checker(const SessionTemplate &t) : t(t) {}
    QList<TemplateProblem> problems;

    void problem(const QString &pointer, const QString &what) { problems.append({pointer, 0, what}); }

    void colour(const QString &c, const QString &pointer)
    {
        if (!c.isEmpty() && !isValidColour(c))
            problem(pointer, QStringLiteral("\"%1\" is not a colour; expected \"#RRGGBB\"").arg(c));
    }

    const Bus *busRef(const QString &id, const QString &pointer)
    {
        if (id.isEmpty())
            return nullptr;
        const Bus *b = t.bus(id);
        if (!b)
            problem(pointer, QStringLiteral("no bus \"%1\" (buses: %2)").arg(id, busList(t)));
        return b;
    }

    void run();

private:
    const SessionTemplate &t;
    void buses();
    void groups();
    void tracks();
};

void Checker::buses()
{
    QHash<QString, qsizetype> ids;
    int mixCount = 0;
    for (qsizetype i = 0; i < t.buses.size(); ++i) {
        const Bus &b = t.buses[i];
        if (!isIdentifier(b.id))
            problem(at("buses", i, "id"), QStringLiteral("\"%1\" is not an id (letters, digits, _ . -)").arg(b.id));
        else if (ids.contains(b.id))
            problem(at("buses", i, "id"), QStringLiteral("duplicate bus id \"%1\" (also /buses/%2)").arg(b.id).arg(ids.value(b.id)));
        else
            ids.insert(b.id, i);
        if (b.name.trimmed().isEmpty())
            problem(at("buses", i, "name"), QStringLiteral("empty bus name"));
        colour(b.colour, at("buses", i, "colour"));
        if (b.kind == BusKind::Mix) {
            ++mixCount;
            if (!b.output.isEmpty())
                problem(at("buses", i, "output"), QStringLiteral("the mix bus feeds nothing; remove \"output\""));
        } else if (b.output == b.id) {
            problem(at("buses", i, "output"), QStringLiteral("bus \"%1\" is routed to itself").arg(b.id));
        } else {
            busRef(b.output, at("buses", i, "output"));
        }
    }
    if (mixCount == 0)
        problem(QStringLiteral("/buses"), QStringLiteral("no bus of kind \"mix\"; exactly one is needed"));
    else if (mixCount > 1)
        problem(QStringLiteral("/buses"), QStringLiteral("%1 buses of kind \"mix\"; exactly one is allowed").arg(mixCount));

    // Routing cycles: follow each bus's output chain; report a cycle once, at its first bus.
    QSet<QString> reported;
    for (qsizetype i = 0; i < t.buses.size(); ++i) {
        QStringList path{t.buses[i].id};
        const Bus *b = &t.buses[i];
        for (qsizetype step = 0; step <= t.buses.size() && b && !b->output.isEmpty(); ++step) {
            b = t.bus(b->output);
            if (!b || b->id == path.first() || path.contains(b->id)) {
                if (b && b->id == path.first() && !reported.contains(path.first())) {
                    for (const QString &id : path)
                        reported.insert(id);
                    path.append(b->id);
                    problem(at("buses", i, "output"), QStringLiteral("routing cycle: %1").arg(path.join(QStringLiteral(" -> "))));
                }
                break;
            }
            path.append(b->id);
        }
    }
}

void Checker::groups()
{
    QHash<QString, qsizetype> ids;
    for (qsizetype i = 0; i < t.groups.size(); ++i) {
        const Group &g = t.groups[i];
        if (!isIdentifier(g.id))
            problem(at("groups", i, "id"), QStringLiteral("\"%1\" is not an id (letters, digits, _ . -)").arg(g.id));
        else if (ids.contains(g.id))
            problem(at("groups", i, "id"), QStringLiteral("duplicate group id \"%1\" (also /groups/%2)").arg(g.id).arg(ids.value(g.id)));
        else
            ids.insert(g.id, i);
        if (g.name.trimmed().isEmpty())
            problem(at("groups", i, "name"), QStringLiteral("empty group name"));
        colour(g.colour, at("groups", i, "colour"));
        busRef(g.bus, at("groups", i, "bus"));
    }
}

void Checker::tracks()
{
    QHash<QString, QPair<qsizetype, QString>> names;  // normalised name or alias -> (track, its pointer)
    for (qsizetype i = 0; i < t.tracks.size(); ++i) {
        const Track &track = t.tracks[i];
        const QString key = normaliseName(track.name);
        if (key.isEmpty()) {
            problem(at("tracks", i, "name"), QStringLiteral("track name \"%1\" has no letters or digits").arg(track.name));
        } else if (names.contains(key)) {
            problem(at("tracks", i, "name"), QStringLiteral("duplicate track name \"%1\" (also %2)").arg(track.name, names.value(key).second));
        } else {
            names.insert(key, {i, at("tracks", i, "name")});
        }
        for (qsizetype a = 0; a < track.aliases.size(); ++a) {
            const QString pointer = at("tracks", i, "aliases") + QLatin1Char('/') + QString::number(a);
            const QString aliasKey = normaliseName(track.aliases[a]);
            if (aliasKey.isEmpty())
                problem(pointer, QStringLiteral("alias \"%1\" has no letters or digits").arg(track.aliases[a]));
            else if (names.contains(aliasKey) && names.value(aliasKey).first != i)
                problem(pointer, QStringLiteral("alias \"%1\" also names another track (%2)").arg(track.aliases[a], names.value(aliasKey).second));
            else
                names.insert(aliasKey, {i, pointer});
        }
        for (qsizetype p = 0; p < track.patterns.size(); ++p) {
            const QRegularExpression re(track.patterns[p], QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
            if (!re.isValid())
                problem(at("tracks", i, "patterns") + QLatin1Char('/') + QString::number(p),
                        QStringLiteral("pattern \"%1\" does not compile: %2 at offset %3")
                            .arg(track.patterns[p], re.errorString()).arg(re.patternErrorOffset()));
        }
        if (!track.group.isEmpty() && !t.group(track.group))
            problem(at("tracks", i, "group"), QStringLiteral("no group \"%1\"").arg(track.group));
        colour(track.colour, at("tracks", i, "colour"));
        busRef(track.output, at("tracks", i, "output"));
        QSet<QString> sent;
        for (qsizetype s = 0; s < track.sends.size(); ++s) {
            const QString pointer = at("tracks", i, "sends") + QLatin1Char('/') + QString::number(s) + QStringLiteral("/bus");
            const Bus *b = busRef(track.sends[s].bus, pointer);
            if (b && b->kind == BusKind::Mix)
                problem(pointer, QStringLiteral("a send cannot feed the mix bus \"%1\"; use \"output\"").arg(b->id));
            else if (b && sent.contains(b->id))
                problem(pointer, QStringLiteral("second send to bus \"%1\"").arg(b->id));
            if (b)
                sent.insert(b->id);
        }
    }
}

void Checker::run()
{
    if (t.name.isEmpty() || !isIdentifier(t.name))
        problem(QStringLiteral("/name"), QStringLiteral("\"%1\" is not a template name (letters, digits, _ . -)").arg(t.name));
    if (t.title.trimmed().isEmpty())
        problem(QStringLiteral("/title"), QStringLiteral("empty title"));
    if (t.tracks.isEmpty())
        problem(QStringLiteral("/tracks"), QStringLiteral("a template needs at least one track"));
    buses();
    groups();
    tracks();
    const QString patternProblem = checkDeliveryPattern(t.deliveryPattern);
    if (!patternProblem.isEmpty())
        problem(QStringLiteral("/delivery_pattern"), patternProblem);
}

}  // namespace

QList<TemplateProblem> checkTemplate(const SessionTemplate &tmpl)
{
    Checker checker(tmpl);
    checker.run();
    return checker.problems;
}

}  // namespace stemship::templates

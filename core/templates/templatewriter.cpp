#include "templatewriter.h"

#include "templates/templateparser.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace stemship::templates {
namespace {

int keyRank(const QString &key)
{
    static const QStringList order{
        QStringLiteral("$schema"), QStringLiteral("format"), QStringLiteral("id"), QStringLiteral("name"),
        QStringLiteral("title"), QStringLiteral("description"), QStringLiteral("tempo_bpm"), QStringLiteral("time_signature"),
        QStringLiteral("kind"), QStringLiteral("group"), QStringLiteral("colour"), QStringLiteral("layout"),
        QStringLiteral("bus"), QStringLiteral("level_db"), QStringLiteral("pre_fader"), QStringLiteral("output"),
        QStringLiteral("effect"), QStringLiteral("aliases"), QStringLiteral("patterns"), QStringLiteral("sends"),
        QStringLiteral("measure"), QStringLiteral("value_db"), QStringLiteral("target"), QStringLiteral("default_target"),
        QStringLiteral("true_peak_ceiling_dbtp"), QStringLiteral("delivery_pattern"), QStringLiteral("groups"),
        QStringLiteral("buses"), QStringLiteral("tracks"), QStringLiteral("audit")};
    const qsizetype rank = order.indexOf(key);
    return rank < 0 ? int(order.size()) : int(rank);
}

QByteArray scalarText(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::fabs(d) < 1e15)
            return QByteArray::number(qint64(d));
        return QByteArray::number(d, 'g', 15);
    }
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QStringList orderedKeys(const QJsonObject &obj)
{
    QStringList keys = obj.keys();
    std::stable_sort(keys.begin(), keys.end(), [](const QString &a, const QString &b) {
        const int ra = keyRank(a), rb = keyRank(b);
        return ra != rb ? ra < rb : a < b;
    });
    return keys;
}

QByteArray compact(const QJsonValue &v)
{
    if (v.isObject()) {
        QByteArrayList parts;
        const QJsonObject obj = v.toObject();
        for (const QString &key : orderedKeys(obj))
            parts.append(scalarText(key) + ": " + compact(obj.value(key)));
        return parts.isEmpty() ? QByteArray("{}") : "{ " + parts.join(", ") + " }";
    }
    if (v.isArray()) {
        QByteArrayList parts;
        for (const QJsonValue &item : v.toArray())
            parts.append(compact(item));
        return "[" + parts.join(", ") + "]";
    }
    return scalarText(v);
}

// Nesting below v: 0 for a scalar, 1 for ["a", "b"], 2 for { "aliases": ["a"] }.
int depthOf(const QJsonValue &v)
{
    int deepest = 0;
    if (v.isObject()) {
        for (const QJsonValue &item : v.toObject())
            deepest = std::max(deepest, depthOf(item));
        return deepest + 1;
    }
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            deepest = std::max(deepest, depthOf(item));
        return deepest + 1;
    }
    return 0;
}

void write(const QJsonValue &v, int indent, QByteArray *out)
{
    const QByteArray line = compact(v);
    if (!v.isObject() && !v.isArray()) {
        out->append(line);
        return;
    }
    if (depthOf(v) <= 2 && line.size() + indent < 110) {
        out->append(line);
        return;
    }
    const QByteArray pad(indent + 2, ' ');
    if (v.isObject()) {
        const QJsonObject obj = v.toObject();
        out->append("{\n");
        const QStringList keys = orderedKeys(obj);
        for (qsizetype i = 0; i < keys.size(); ++i) {
            out->append(pad + scalarText(keys[i]) + ": ");
            write(obj.value(keys[i]), indent + 2, out);
            out->append(i + 1 < keys.size() ? ",\n" : "\n");
        }
        out->append(QByteArray(indent, ' ') + "}");
        return;
    }
    const QJsonArray array = v.toArray();
    out->append("[\n");
    for (qsizetype i = 0; i < array.size(); ++i) {
        out->append(pad);
        write(array.at(i), indent + 2, out);
        out->append(i + 1 < array.size() ? ",\n" : "\n");
    }
    out->append(QByteArray(indent, ' ') + "]");
}

QJsonObject targetObject(const GainTarget &t)
{
    return {{QStringLiteral("measure"), targetMeasureName(t.measure)}, {QStringLiteral("value_db"), t.valueDb}};
}

void putIfSet(QJsonObject *obj, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        obj->insert(key, value);
}

QJsonObject auditObject(const SessionTemplate &t)
{
    const audit::AuditSettings defaults;
    const audit::AuditSettings &a = t.audit;
    QJsonObject obj;
    auto put = [&obj](const char *key, double value, double defaultValue) {
        if (value != defaultValue)
            obj.insert(QLatin1String(key), value);
    };
    put("true_peak_ceiling_dbtp", a.truePeakCeilingDbtp, t.truePeakCeilingDbtp);
    put("clip_run_min_samples", a.clipRunMinSamples, defaults.clipRunMinSamples);
    put("dc_offset_max", a.dcOffsetMax, defaults.dcOffsetMax);
    put("silence_floor_dbfs", a.silenceFloorDbfs, defaults.silenceFloorDbfs);
    put("phase_correlation_min", a.phaseCorrelationMin, defaults.phaseCorrelationMin);
    put("dual_mono_max_difference_dbfs", a.dualMonoMaxDifferenceDbfs, defaults.dualMonoMaxDifferenceDbfs);
    put("min_bit_depth", a.minBitDepth, defaults.minBitDepth);
    put("start_tolerance_seconds", a.startToleranceSeconds, defaults.startToleranceSeconds);
    put("length_tolerance_seconds", a.lengthToleranceSeconds, defaults.lengthToleranceSeconds);
    if (!a.severityOverrides.isEmpty()) {
        QJsonObject severity;
        for (auto it = a.severityOverrides.begin(); it != a.severityOverrides.end(); ++it) {
            const char *level = it.value() == audit::Severity::Error ? "error"
                              : it.value() == audit::Severity::Warning ? "warning" : "info";
            severity.insert(it.key(), QLatin1String(level));
        }
        obj.insert(QStringLiteral("severity"), severity);
    }
    return obj;
}

}  // namespace

QJsonObject templateToJsonObject(const SessionTemplate &t)
{
    QJsonObject root{{QStringLiteral("format"), QLatin1String(kTemplateFormat)},
                     {QStringLiteral("name"), t.name},
                     {QStringLiteral("title"), t.title},
                     {QStringLiteral("tempo_bpm"), t.tempoBpm},
                     {QStringLiteral("time_signature"),
                      QStringLiteral("%1/%2").arg(t.timeSignature.numerator).arg(t.timeSignature.denominator)},
                     {QStringLiteral("default_target"), targetObject(t.defaultTarget)},
                     {QStringLiteral("true_peak_ceiling_dbtp"), t.truePeakCeilingDbtp},
                     {QStringLiteral("delivery_pattern"), t.deliveryPattern}};
    putIfSet(&root, QStringLiteral("description"), t.description);
    QJsonArray groups;
    for (const Group &g : t.groups) {
        QJsonObject obj{{QStringLiteral("id"), g.id}, {QStringLiteral("name"), g.name}};
        putIfSet(&obj, QStringLiteral("colour"), g.colour);
        putIfSet(&obj, QStringLiteral("bus"), g.bus);
        if (g.target)
            obj.insert(QStringLiteral("target"), targetObject(*g.target));
        groups.append(obj);
    }
    root.insert(QStringLiteral("groups"), groups);
    QJsonArray buses;
    for (const Bus &b : t.buses) {
        QJsonObject obj{{QStringLiteral("id"), b.id}, {QStringLiteral("name"), b.name}, {QStringLiteral("kind"), busKindName(b.kind)}};
        putIfSet(&obj, QStringLiteral("colour"), b.colour);
        putIfSet(&obj, QStringLiteral("output"), b.output);
        putIfSet(&obj, QStringLiteral("effect"), b.effect);
        buses.append(obj);
    }
    root.insert(QStringLiteral("buses"), buses);
    QJsonArray tracks;
    for (const Track &tr : t.tracks) {
        QJsonObject obj{{QStringLiteral("name"), tr.name}, {QStringLiteral("layout"), channelLayoutName(tr.layout)}};
        putIfSet(&obj, QStringLiteral("group"), tr.group);
        putIfSet(&obj, QStringLiteral("colour"), tr.colour);
        putIfSet(&obj, QStringLiteral("output"), tr.output);
        if (!tr.aliases.isEmpty())
            obj.insert(QStringLiteral("aliases"), QJsonArray::fromStringList(tr.aliases));
        if (!tr.patterns.isEmpty())
            obj.insert(QStringLiteral("patterns"), QJsonArray::fromStringList(tr.patterns));
        if (!tr.sends.isEmpty()) {
            QJsonArray sends;
            for (const Send &s : tr.sends)
                sends.append(QJsonObject{{QStringLiteral("bus"), s.bus}, {QStringLiteral("level_db"), s.levelDb},
                                         {QStringLiteral("pre_fader"), s.preFader}});
            obj.insert(QStringLiteral("sends"), sends);
        }
        if (tr.target)
            obj.insert(QStringLiteral("target"), targetObject(*tr.target));
        tracks.append(obj);
    }
    root.insert(QStringLiteral("tracks"), tracks);
    const QJsonObject audit = auditObject(t);
    if (!audit.isEmpty())
        root.insert(QStringLiteral("audit"), audit);
    return root;
}

QByteArray templateToJson(const SessionTemplate &tmpl)
{
    QByteArray out;
    write(templateToJsonObject(tmpl), 0, &out);
    out.append('\n');
    return out;
}

}  // namespace stemship::templates

#include "templateparser.h"

#include "templates/jsondocument.h"
#include "templates/jsonfieldreader.h"
#include "templates/jsonlocator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace stemship::templates {
namespace {

// Reads the template's schema from the QJsonDocument into the model, recording every problem.
class Reader : public JsonFieldReader {
public:
    std::optional<GainTarget> target(const QJsonObject &obj, const QString &key, const QString &at)
    {
        if (!obj.contains(key))
            return std::nullopt;
        const QString here = at + QLatin1Char('/') + key;
        if (!isType(obj.value(key), QJsonValue::Object, here, QStringLiteral("an object")))
            return std::nullopt;
        const QJsonObject t = obj.value(key).toObject();
        checkKeys(t, here, {QStringLiteral("measure"), QStringLiteral("value_db")},
                  {QStringLiteral("measure"), QStringLiteral("value_db")});
        GainTarget target;
        const QString measure = string(t, QStringLiteral("measure"), here);
        if (const auto m = parseTargetMeasure(measure))
            target.measure = *m;
        else if (t.value(QStringLiteral("measure")).isString())
            problem(here + QStringLiteral("/measure"), QStringLiteral("\"%1\" is not one of peak, rms, lufs").arg(measure));
        if (const auto v = number(t, QStringLiteral("value_db"), here, -100.0, 0.0))
            target.valueDb = *v;
        return target;
    }

    void audit(const QJsonObject &obj, const QString &at, audit::AuditSettings *settings);
    SessionTemplate document(const QJsonObject &root);

private:
    void timeSignature(const QJsonObject &root, TimeSignature *signature);
    Group group(const QJsonObject &o, const QString &p);
    Track track(const QJsonObject &o, const QString &p);
    Send send(const QJsonObject &o, const QString &p);
    Bus bus(const QJsonObject &o, const QString &p);
    void deliveryOptions(const QJsonObject &root, SessionTemplate *t);
};

void Reader::audit(const QJsonObject &obj, const QString &at, audit::AuditSettings *s)
{
    checkKeys(obj, at,
              {QStringLiteral("true_peak_ceiling_dbtp"), QStringLiteral("clip_run_min_samples"),
               QStringLiteral("dc_offset_max"), QStringLiteral("silence_floor_dbfs"),
               QStringLiteral("phase_correlation_min"), QStringLiteral("dual_mono_max_difference_dbfs"),
               QStringLiteral("min_bit_depth"), QStringLiteral("start_tolerance_seconds"),
               QStringLiteral("length_tolerance_seconds"), QStringLiteral("severity")},
              {});
    if (auto v = number(obj, QStringLiteral("true_peak_ceiling_dbtp"), at, -60.0, 6.0))
        s->truePeakCeilingDbtp = *v;
    if (auto v = integer(obj, QStringLiteral("clip_run_min_samples"), at, 1, 1000))
        s->clipRunMinSamples = *v;
    if (auto v = number(obj, QStringLiteral("dc_offset_max"), at, 0.0, 1.0))
        s->dcOffsetMax = *v;
    if (auto v = number(obj, QStringLiteral("silence_floor_dbfs"), at, -200.0, 0.0))
        s->silenceFloorDbfs = *v;
    if (auto v = number(obj, QStringLiteral("phase_correlation_min"), at, -1.0, 1.0))
        s->phaseCorrelationMin = *v;
    if (auto v = number(obj, QStringLiteral("dual_mono_max_difference_dbfs"), at, -200.0, 0.0))
        s->dualMonoMaxDifferenceDbfs = *v;
    if (auto v = integer(obj, QStringLiteral("min_bit_depth"), at, 8, 32))
        s->minBitDepth = *v;
    if (auto v = number(obj, QStringLiteral("start_tolerance_seconds"), at, 0.0, 60.0))
        s->startToleranceSeconds = *v;
    if (auto v = number(obj, QStringLiteral("length_tolerance_seconds"), at, 0.0, 60.0))
        s->lengthToleranceSeconds = *v;
    const QString sevAt = at + QStringLiteral("/severity");
    if (obj.contains(QStringLiteral("severity"))
        && isType(obj.value(QStringLiteral("severity")), QJsonValue::Object, sevAt, QStringLiteral("an object"))) {
        static const QRegularExpression codeSyntax(QStringLiteral("^[a-z][a-z0-9_]*$"));
        const QJsonObject sev = obj.value(QStringLiteral("severity")).toObject();
        for (auto it = sev.begin(); it != sev.end(); ++it) {
            const QString here = sevAt + QLatin1Char('/') + pointerSegment(it.key());
            if (!codeSyntax.match(it.key()).hasMatch()) {
                problem(here, QStringLiteral("\"%1\" is not an issue code").arg(it.key()));
                continue;
            }
            if (!isType(it.value(), QJsonValue::String, here, QStringLiteral("a string")))
                continue;
            const QString level = it.value().toString();
            if (level == QLatin1String("info"))
                s->severityOverrides.insert(it.key(), audit::Severity::Info);
            else if (level == QLatin1String("warning"))
                s->severityOverrides.insert(it.key(), audit::Severity::Warning);
            else if (level == QLatin1String("error"))
                s->severityOverrides.insert(it.key(), audit::Severity::Error);
            else
                problem(here, QStringLiteral("\"%1\" is not one of info, warning, error").arg(level));
        }
    }
}

SessionTemplate Reader::document(const QJsonObject &root)
{
    SessionTemplate t;
    const QString at;
    checkKeys(root, at,
              {QStringLiteral("$schema"), QStringLiteral("format"), QStringLiteral("name"), QStringLiteral("title"),
               QStringLiteral("description"), QStringLiteral("tempo_bpm"), QStringLiteral("time_signature"),
               QStringLiteral("groups"), QStringLiteral("tracks"), QStringLiteral("buses"),
               QStringLiteral("default_target"), QStringLiteral("true_peak_ceiling_dbtp"),
               QStringLiteral("delivery_pattern"), QStringLiteral("audit")},
              {QStringLiteral("format"), QStringLiteral("name"), QStringLiteral("title"), QStringLiteral("tempo_bpm"),
               QStringLiteral("time_signature"), QStringLiteral("tracks"), QStringLiteral("buses")});
    if (!readFormat(root, kTemplateFormat))
        return t;
    t.name = string(root, QStringLiteral("name"), at);
    t.title = string(root, QStringLiteral("title"), at);
    t.description = string(root, QStringLiteral("description"), at, 8 * TemplateLimits::maxStringChars);
    if (auto v = number(root, QStringLiteral("tempo_bpm"), at, 10.0, 999.0))
        t.tempoBpm = *v;
    timeSignature(root, &t.timeSignature);
    objects(root, QStringLiteral("groups"), at, TemplateLimits::maxGroups,
            [&](const QJsonObject &o, const QString &p) { t.groups.append(group(o, p)); });
    objects(root, QStringLiteral("tracks"), at, TemplateLimits::maxTracks,
            [&](const QJsonObject &o, const QString &p) { t.tracks.append(track(o, p)); });
    objects(root, QStringLiteral("buses"), at, TemplateLimits::maxBuses,
            [&](const QJsonObject &o, const QString &p) { t.buses.append(bus(o, p)); });
    deliveryOptions(root, &t);
    return t;
}

void Reader::timeSignature(const QJsonObject &root, TimeSignature *signature)
{
    const QString text = string(root, QStringLiteral("time_signature"), QString());
    if (!root.value(QStringLiteral("time_signature")).isString())
        return;
    static const QRegularExpression syntax(QStringLiteral("^(\\d{1,2})/(\\d{1,2})$"));
    const QRegularExpressionMatch m = syntax.match(text);
    const int num = m.hasMatch() ? m.captured(1).toInt() : 0;
    const int den = m.hasMatch() ? m.captured(2).toInt() : 0;
    if (num < 1 || num > 32 || den < 1 || den > 32 || (den & (den - 1)) != 0) {
        problem(QStringLiteral("/time_signature"),
                QStringLiteral("\"%1\" is not a time signature like \"4/4\", \"6/8\" (1-32 beats over 1, 2, 4, 8, 16 or 32)").arg(text));
        return;
    }
    signature->numerator = num;
    signature->denominator = den;
}

Group Reader::group(const QJsonObject &o, const QString &p)
{
    checkKeys(o, p, {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("colour"), QStringLiteral("bus"), QStringLiteral("target")},
              {QStringLiteral("id"), QStringLiteral("name")});
    return {string(o, QStringLiteral("id"), p), string(o, QStringLiteral("name"), p), string(o, QStringLiteral("colour"), p),
            string(o, QStringLiteral("bus"), p), target(o, QStringLiteral("target"), p)};
}

Track Reader::track(const QJsonObject &o, const QString &p)
{
    checkKeys(o, p,
              {QStringLiteral("name"), QStringLiteral("aliases"), QStringLiteral("patterns"), QStringLiteral("group"),
               QStringLiteral("colour"), QStringLiteral("layout"), QStringLiteral("output"), QStringLiteral("sends"),
               QStringLiteral("target")},
              {QStringLiteral("name")});
    Track track;
    track.name = string(o, QStringLiteral("name"), p);
    track.aliases = strings(o, QStringLiteral("aliases"), p, TemplateLimits::maxStringChars);
    track.patterns = strings(o, QStringLiteral("patterns"), p, TemplateLimits::maxPatternChars);
    track.group = string(o, QStringLiteral("group"), p);
    track.colour = string(o, QStringLiteral("colour"), p);
    const QString layout = string(o, QStringLiteral("layout"), p);
    if (const auto l = parseChannelLayout(layout))
        track.layout = *l;
    else if (o.value(QStringLiteral("layout")).isString())
        problem(p + QStringLiteral("/layout"), QStringLiteral("\"%1\" is not one of mono, stereo, 5.1, 7.1").arg(layout));
    track.output = string(o, QStringLiteral("output"), p);
    objects(o, QStringLiteral("sends"), p, TemplateLimits::maxListItems,
            [&](const QJsonObject &so, const QString &sp) { track.sends.append(send(so, sp)); });
    track.target = target(o, QStringLiteral("target"), p);
    return track;
}

Send Reader::send(const QJsonObject &o, const QString &p)
{
    checkKeys(o, p, {QStringLiteral("bus"), QStringLiteral("level_db"), QStringLiteral("pre_fader")}, {QStringLiteral("bus")});
    Send send;
    send.bus = string(o, QStringLiteral("bus"), p);
    send.levelDb = number(o, QStringLiteral("level_db"), p, -150.0, 12.0).value_or(0.0);
    send.preFader = boolean(o, QStringLiteral("pre_fader"), p).value_or(false);
    return send;
}

Bus Reader::bus(const QJsonObject &o, const QString &p)
{
    checkKeys(o, p,
              {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("colour"),
               QStringLiteral("output"), QStringLiteral("effect")},
              {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("kind")});
    Bus bus;
    bus.id = string(o, QStringLiteral("id"), p);
    bus.name = string(o, QStringLiteral("name"), p);
    const QString kind = string(o, QStringLiteral("kind"), p);
    if (const auto k = parseBusKind(kind))
        bus.kind = *k;
    else if (o.value(QStringLiteral("kind")).isString())
        problem(p + QStringLiteral("/kind"), QStringLiteral("\"%1\" is not one of group, aux, mix").arg(kind));
    bus.colour = string(o, QStringLiteral("colour"), p);
    bus.output = string(o, QStringLiteral("output"), p);
    bus.effect = string(o, QStringLiteral("effect"), p);
    return bus;
}

// What the delivery takes from the template: the default gain target, the ceiling (which is also the audit's),
// the file name pattern and the audit settings.
void Reader::deliveryOptions(const QJsonObject &root, SessionTemplate *t)
{
    const QString at;
    if (auto target = this->target(root, QStringLiteral("default_target"), at))
        t->defaultTarget = *target;
    if (auto v = number(root, QStringLiteral("true_peak_ceiling_dbtp"), at, -60.0, 6.0)) {
        t->truePeakCeilingDbtp = *v;
        t->audit.truePeakCeilingDbtp = *v;
    }
    if (root.contains(QStringLiteral("delivery_pattern")))
        t->deliveryPattern = string(root, QStringLiteral("delivery_pattern"), at);
    if (root.contains(QStringLiteral("audit"))
        && isType(root.value(QStringLiteral("audit")), QJsonValue::Object, QStringLiteral("/audit"), QStringLiteral("an object")))
        audit(root.value(QStringLiteral("audit")).toObject(), QStringLiteral("/audit"), &t->audit);
}

}  // namespace

QString TemplateProblem::where() const
{
    const QString p = pointer.isEmpty() ? QStringLiteral("/") : pointer;
    return line > 0 ? QStringLiteral("%1 (line %2)").arg(p).arg(line) : p;
}

QString TemplateProblem::text() const { return where() + QStringLiteral(": ") + what; }

QString TemplateProblem::message(const QString &fileName) const { return fileName + QStringLiteral(": ") + text(); }

QString problemsSummary(const QList<TemplateProblem> &problems)
{
    if (problems.isEmpty())
        return {};
    QString summary = problems.first().text();
    if (problems.size() > 1)
        summary += QStringLiteral(" (and %1 more)").arg(problems.size() - 1);
    return summary;
}

bool isValidColour(const QString &colour)
{
    static const QRegularExpression syntax(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
    return syntax.match(colour).hasMatch();
}

TemplateReadResult readTemplate(const QByteArray &json)
{
    TemplateReadResult result;
    const JsonDocumentRead read = readJsonObject(json, TemplateLimits::maxFileBytes, TemplateLimits::maxDepth, QStringLiteral("template"));
    if (!read.ok()) {
        result.problems = read.problems;
        return result;
    }
    const JsonScan &scan = read.scan;
    Reader reader;
    result.tmpl = reader.document(read.root);
    result.problems = reader.problems;
    if (!reader.wrongFormat) {
        // Semantic checks too, so one run lists every mistake; skip what a structural problem already covers.
        auto related = [](const QString &a, const QString &b) {
            return a == b || a.startsWith(b + QLatin1Char('/')) || b.startsWith(a + QLatin1Char('/'));
        };
        for (const TemplateProblem &p : checkTemplate(result.tmpl)) {
            const bool covered = std::any_of(reader.blocked.cbegin(), reader.blocked.cend(),
                                             [&](const QString &b) { return !b.isEmpty() && related(p.pointer, b); });
            if (!covered && !(p.pointer.isEmpty() && !reader.blocked.isEmpty()))
                result.problems.append(p);
        }
    }
    locateProblems(scan, &result.problems);
    return result;
}

QList<TemplateProblem> validateTemplate(const QByteArray &json) { return readTemplate(json).problems; }

Result<SessionTemplate> parseTemplate(const QByteArray &json, const QString &fileName)
{
    TemplateReadResult result = readTemplate(json);
    if (result.ok())
        return std::move(result.tmpl);
    return Error{fileName, problemsSummary(result.problems), ErrorCode::InvalidTemplate};
}

}  // namespace stemship::templates

#include "profiles/profileparser.h"

#include "templates/jsondocument.h"
#include "templates/jsonfieldreader.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace stemship::profiles {
namespace {

constexpr int kMaxDepth = 8;
constexpr int kMaxDescriptionChars = 8192;

QString key(const char *k) { return QString::fromLatin1(k); }

class Reader : public templates::JsonFieldReader {
public:
    DeliveryProfile document(const QJsonObject &root);

private:
    void integrated(const QJsonObject &obj, const QString &at, DeliveryProfile *p);
    void lra(const QJsonObject &obj, const QString &at, DeliveryProfile *p);
    void layouts(const QJsonObject &root, DeliveryProfile *p);
};

void Reader::integrated(const QJsonObject &obj, const QString &at, DeliveryProfile *p)
{
    checkKeys(obj, at, {key("target_lufs"), key("tolerance_lu"), key("min_lufs"), key("max_lufs")}, {});
    IntegratedRule rule;
    rule.targetLufs = number(obj, key("target_lufs"), at, -70.0, 0.0);
    rule.toleranceLu = number(obj, key("tolerance_lu"), at, 0.0, 20.0);
    rule.minLufs = number(obj, key("min_lufs"), at, -70.0, 0.0);
    rule.maxLufs = number(obj, key("max_lufs"), at, -70.0, 0.0);
    p->integrated = rule;
}

void Reader::lra(const QJsonObject &obj, const QString &at, DeliveryProfile *p)
{
    checkKeys(obj, at, {key("min_lu"), key("max_lu")}, {});
    p->lraMinLu = number(obj, key("min_lu"), at, 0.0, 60.0);
    p->lraMaxLu = number(obj, key("max_lu"), at, 0.0, 60.0);
}

void Reader::layouts(const QJsonObject &root, DeliveryProfile *p)
{
    const QStringList names = strings(root, key("layouts"), QString(), 16);
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString at = QStringLiteral("/layouts/%1").arg(i);
        if (!knownLayouts().contains(names[i]))
            problem(at, QStringLiteral("\"%1\" is not one of %2").arg(names[i], knownLayouts().join(QStringLiteral(", "))));
        else if (p->layouts.contains(names[i]))
            problem(at, QStringLiteral("\"%1\" is listed twice").arg(names[i]));
        else
            p->layouts.append(names[i]);
    }
}

DeliveryProfile Reader::document(const QJsonObject &root)
{
    DeliveryProfile p;
    const QString at;
    checkKeys(root, at,
              {key("$schema"), key("format"), key("name"), key("title"), key("description"), key("integrated"),
               key("true_peak_max_dbtp"), key("lra"), key("short_term_max_lufs"), key("momentary_max_lufs"),
               key("sample_rate_hz"), key("bit_depth"), key("layouts"), key("leading_silence_max_s"),
               key("trailing_silence_max_s")},
              {key("format"), key("name"), key("title")});
    if (!readFormat(root, kProfileFormat))
        return p;
    p.name = string(root, key("name"), at);
    p.title = string(root, key("title"), at);
    p.description = string(root, key("description"), at, kMaxDescriptionChars);
    if (root.contains(key("integrated")) && isType(root.value(key("integrated")), QJsonValue::Object, QStringLiteral("/integrated"), QStringLiteral("an object")))
        integrated(root.value(key("integrated")).toObject(), QStringLiteral("/integrated"), &p);
    // Up to +6 so a positive limit reaches the contradiction check, which says why it makes no sense.
    p.truePeakMaxDbtp = number(root, key("true_peak_max_dbtp"), at, -60.0, 6.0);
    if (root.contains(key("lra")) && isType(root.value(key("lra")), QJsonValue::Object, QStringLiteral("/lra"), QStringLiteral("an object")))
        lra(root.value(key("lra")).toObject(), QStringLiteral("/lra"), &p);
    p.shortTermMaxLufs = number(root, key("short_term_max_lufs"), at, -70.0, 0.0);
    p.momentaryMaxLufs = number(root, key("momentary_max_lufs"), at, -70.0, 0.0);
    p.sampleRateHz = integer(root, key("sample_rate_hz"), at, 8000, 384000);
    p.bitDepth = integer(root, key("bit_depth"), at, 8, 64);
    if (p.bitDepth && *p.bitDepth != 16 && *p.bitDepth != 24 && *p.bitDepth != 32) {
        problem(QStringLiteral("/bit_depth"), QStringLiteral("%1 is not one of 16, 24, 32").arg(*p.bitDepth));
        p.bitDepth.reset();
    }
    layouts(root, &p);
    p.leadingSilenceMaxSeconds = number(root, key("leading_silence_max_s"), at, 0.0, 3600.0);
    p.trailingSilenceMaxSeconds = number(root, key("trailing_silence_max_s"), at, 0.0, 3600.0);
    return p;
}

QString lufs(double v) { return QString::number(v, 'f', 1) + QStringLiteral(" LUFS"); }

void checkIntegrated(const IntegratedRule &r, QList<ProfileProblem> *out)
{
    auto problem = [&](const char *k, const QString &what) { out->append({QStringLiteral("/integrated/") + key(k), 0, what}); };
    if (!r.targetLufs && !r.minLufs && !r.maxLufs && !r.toleranceLu) {
        out->append({QStringLiteral("/integrated"), 0, QStringLiteral("needs target_lufs (with tolerance_lu), min_lufs or max_lufs")});
        return;
    }
    if (r.targetLufs && !r.toleranceLu)
        problem("target_lufs", QStringLiteral("a target needs tolerance_lu (the allowed deviation either way)"));
    if (r.toleranceLu && !r.targetLufs)
        problem("tolerance_lu", QStringLiteral("a tolerance needs target_lufs"));
    if (r.minLufs && r.maxLufs && *r.minLufs > *r.maxLufs)
        problem("min_lufs", QStringLiteral("min %1 is above max %2").arg(lufs(*r.minLufs), lufs(*r.maxLufs)));
    if (r.targetLufs && ((r.minLufs && *r.targetLufs < *r.minLufs) || (r.maxLufs && *r.targetLufs > *r.maxLufs)))
        problem("target_lufs", QStringLiteral("target %1 is outside its own band [%2, %3]")
                                   .arg(lufs(*r.targetLufs), r.minLufs ? lufs(*r.minLufs) : QStringLiteral("-inf"),
                                        r.maxLufs ? lufs(*r.maxLufs) : QStringLiteral("inf")));
}

}  // namespace

QList<ProfileProblem> checkProfile(const DeliveryProfile &p)
{
    QList<ProfileProblem> out;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    if (!identifier.match(p.name).hasMatch())
        out.append({QStringLiteral("/name"), 0, QStringLiteral("\"%1\" is not a profile name (letters, digits, _ . -)").arg(p.name)});
    if (p.title.trimmed().isEmpty())
        out.append({QStringLiteral("/title"), 0, QStringLiteral("empty title")});
    if (p.integrated)
        checkIntegrated(*p.integrated, &out);
    // Above 0 dBTP a true-peak "limit" allows overs that no converter reproduces: no spec means that.
    if (p.truePeakMaxDbtp && *p.truePeakMaxDbtp > 0.0)
        out.append({QStringLiteral("/true_peak_max_dbtp"), 0, QStringLiteral("%1 dBTP is above 0 dBTP, the digital full scale").arg(*p.truePeakMaxDbtp)});
    if (p.lraMinLu && p.lraMaxLu && *p.lraMinLu > *p.lraMaxLu)
        out.append({QStringLiteral("/lra/min_lu"), 0, QStringLiteral("min %1 LU is above max %2 LU").arg(*p.lraMinLu).arg(*p.lraMaxLu)});
    // The loudest 3 s (and 400 ms) window is at least as loud as the gated programme average (BS.1770-4
    // gating only removes quiet blocks), so a window limit below the integrated band cannot be met.
    const double integratedLow = p.integrated ? p.integrated->lowLufs() : -INFINITY;
    if (p.shortTermMaxLufs && *p.shortTermMaxLufs < integratedLow)
        out.append({QStringLiteral("/short_term_max_lufs"), 0, QStringLiteral("%1 is below the integrated band's lower end %2: no programme meets both")
                                                                   .arg(lufs(*p.shortTermMaxLufs), lufs(integratedLow))});
    if (p.momentaryMaxLufs && *p.momentaryMaxLufs < integratedLow)
        out.append({QStringLiteral("/momentary_max_lufs"), 0, QStringLiteral("%1 is below the integrated band's lower end %2: no programme meets both")
                                                                  .arg(lufs(*p.momentaryMaxLufs), lufs(integratedLow))});
    const bool anyRule = p.integrated || p.truePeakMaxDbtp || p.lraMinLu || p.lraMaxLu || p.shortTermMaxLufs || p.momentaryMaxLufs
                      || p.sampleRateHz || p.bitDepth || !p.layouts.isEmpty() || p.leadingSilenceMaxSeconds || p.trailingSilenceMaxSeconds;
    if (!anyRule)
        out.append({QString(), 0, QStringLiteral("no rules: a profile needs at least one limit")});
    return out;
}

ProfileReadResult readProfile(const QByteArray &json)
{
    ProfileReadResult result;
    const templates::JsonDocumentRead read = templates::readJsonObject(json, templates::TemplateLimits::maxFileBytes, kMaxDepth, QStringLiteral("profile"));
    if (!read.ok()) {
        result.problems = read.problems;
        return result;
    }
    Reader reader;
    result.profile = reader.document(read.root);
    result.problems = reader.problems;
    if (!reader.wrongFormat) {
        // Contradictions too, so one run lists every mistake; not where a structural problem already stands.
        for (const ProfileProblem &p : checkProfile(result.profile)) {
            const bool covered = std::any_of(reader.blocked.cbegin(), reader.blocked.cend(), [&](const QString &b) {
                return p.pointer == b || p.pointer.startsWith(b + QLatin1Char('/')) || b.startsWith(p.pointer + QLatin1Char('/'));
            });
            if (!covered && !(p.pointer.isEmpty() && !reader.blocked.isEmpty()))
                result.problems.append(p);
        }
    }
    templates::locateProblems(read.scan, &result.problems);
    return result;
}

}  // namespace stemship::profiles

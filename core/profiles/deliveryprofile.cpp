#include "profiles/deliveryprofile.h"

#include "metering/channellayout.h"

#include <algorithm>

namespace stemship::profiles {
namespace {

// The JSON reports carry levels to 0.01; judging that figure keeps the verdict and the number in agreement.
double asReported(double v) { return std::isfinite(v) ? std::round(v * 100.0) / 100.0 : v; }

QString number(double v, const QString &unit)
{
    QString text = std::isfinite(v) ? QString::number(v, 'f', unit == QLatin1String("Hz") || unit == QLatin1String("bits") ? 0 : 2)
                                    : (v < 0 ? QStringLiteral("-inf") : QStringLiteral("inf"));
    return unit.isEmpty() ? text : QString(text + QLatin1Char(' ') + unit);
}

class Judge {
public:
    explicit Judge(ProfileVerdict *verdict) : m_verdict(verdict) {}

    // value within [low, high]; a value of minus infinity (silence) meets upper bounds only.
    void range(const QString &rule, double value, double low, double high, const QString &unit)
    {
        RuleVerdict r;
        r.rule = rule;
        r.unit = unit;
        const double v = asReported(value);
        if (std::isfinite(v))
            r.value = v;
        r.limitLow = low;
        r.limitHigh = high;
        r.passed = !std::isnan(v) && v >= low - 1e-9 && v <= high + 1e-9;
        add(r);
    }

    void exact(const QString &rule, int value, int required, const QString &unit)
    {
        RuleVerdict r;
        r.rule = rule;
        r.unit = unit;
        r.value = value;
        r.limitLow = r.limitHigh = required;
        r.exact = true;
        r.passed = value == required;
        add(r);
    }

    void layout(const QString &value, const QStringList &allowed)
    {
        RuleVerdict r;
        r.rule = QStringLiteral("layout");
        r.valueText = value;
        r.allowed = allowed;
        r.passed = allowed.contains(value);
        add(r);
    }

private:
    void add(const RuleVerdict &r)
    {
        m_verdict->rules.append(r);
        m_verdict->passed = m_verdict->passed && r.passed;
    }
    ProfileVerdict *m_verdict;
};

}  // namespace

double IntegratedRule::lowLufs() const
{
    double low = minLufs.value_or(-INFINITY);
    if (targetLufs && toleranceLu)
        low = std::max(low, *targetLufs - *toleranceLu);
    return low;
}

double IntegratedRule::highLufs() const
{
    double high = maxLufs.value_or(INFINITY);
    if (targetLufs && toleranceLu)
        high = std::min(high, *targetLufs + *toleranceLu);
    return high;
}

std::optional<double> IntegratedRule::aimLufs() const
{
    if (targetLufs)
        return targetLufs;
    return maxLufs ? maxLufs : minLufs;
}

QString RuleVerdict::limitText() const
{
    if (!allowed.isEmpty())
        return allowed.join(QStringLiteral(", "));
    if (exact)
        return number(limitLow, unit);
    if (std::isinf(limitLow))
        return QStringLiteral("<= ") + number(limitHigh, unit);
    if (std::isinf(limitHigh))
        return QStringLiteral(">= ") + number(limitLow, unit);
    return QStringLiteral("[%1, %2]%3").arg(number(limitLow, QString()), number(limitHigh, QString()),
                                            unit.isEmpty() ? QString() : QString(QLatin1Char(' ') + unit));
}

QString RuleVerdict::valueDisplay() const
{
    if (!valueText.isEmpty())
        return valueText;
    return number(value.value_or(-INFINITY), unit);
}

QList<RuleVerdict> ProfileVerdict::failures() const
{
    QList<RuleVerdict> out;
    for (const RuleVerdict &r : rules)
        if (!r.passed)
            out.append(r);
    return out;
}

ProfileVerdict evaluate(const DeliveryProfile &p, const ProfileSubject &s, RuleScope scope)
{
    ProfileVerdict verdict;
    verdict.name = p.name;
    Judge judge(&verdict);
    const bool loudness = scope != RuleScope::FileWithSum;
    const bool format = scope != RuleScope::Sum;
    if (loudness && p.integrated)
        judge.range(QStringLiteral("integrated"), s.integratedLufs, p.integrated->lowLufs(), p.integrated->highLufs(), QStringLiteral("LUFS"));
    if (p.truePeakMaxDbtp)
        judge.range(QStringLiteral("true_peak"), s.truePeakDbtp, -INFINITY, *p.truePeakMaxDbtp, QStringLiteral("dBTP"));
    if (loudness && (p.lraMinLu || p.lraMaxLu))
        judge.range(QStringLiteral("lra"), s.loudnessRangeLu, p.lraMinLu.value_or(-INFINITY), p.lraMaxLu.value_or(INFINITY), QStringLiteral("LU"));
    if (loudness && p.shortTermMaxLufs)
        judge.range(QStringLiteral("short_term"), s.maxShortTermLufs, -INFINITY, *p.shortTermMaxLufs, QStringLiteral("LUFS"));
    if (loudness && p.momentaryMaxLufs)
        judge.range(QStringLiteral("momentary"), s.maxMomentaryLufs, -INFINITY, *p.momentaryMaxLufs, QStringLiteral("LUFS"));
    if (format && p.sampleRateHz)
        judge.exact(QStringLiteral("sample_rate"), s.sampleRateHz, *p.sampleRateHz, QStringLiteral("Hz"));
    if (format && p.bitDepth)
        judge.exact(QStringLiteral("bit_depth"), s.bitDepth, *p.bitDepth, QStringLiteral("bits"));
    if (format && !p.layouts.isEmpty())
        judge.layout(s.layout, p.layouts);
    if (p.leadingSilenceMaxSeconds && s.leadingSilenceSeconds)
        judge.range(QStringLiteral("leading_silence"), *s.leadingSilenceSeconds, -INFINITY, *p.leadingSilenceMaxSeconds, QStringLiteral("s"));
    if (p.trailingSilenceMaxSeconds && s.trailingSilenceSeconds)
        judge.range(QStringLiteral("trailing_silence"), *s.trailingSilenceSeconds, -INFINITY, *p.trailingSilenceMaxSeconds, QStringLiteral("s"));
    return verdict;
}

QString layoutName(int channels, std::uint32_t channelMask)
{
    // One rule for what a mask means: the metering core's, which weights the channels by it.
    return QString::fromLatin1(metering::layoutName(metering::layoutOf(channels, channelMask)));
}

QStringList knownLayouts()
{
    return {QStringLiteral("mono"), QStringLiteral("stereo"), QStringLiteral("5.1"), QStringLiteral("7.1"), QStringLiteral("7.1.4")};
}

}  // namespace stemship::profiles

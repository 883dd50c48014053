#include "reference/verdictjson.h"

#include <cmath>

namespace stemship::reference {
namespace {

// CLI-CONTRACT: strict JSON, dB to two decimals, minus infinity (and any other non-finite value) as null.
QJsonValue db(double value)
{
    return std::isfinite(value) ? QJsonValue(std::round(value * 100.0) / 100.0) : QJsonValue(QJsonValue::Null);
}

QJsonValue db(std::optional<double> value) { return value ? db(*value) : QJsonValue(QJsonValue::Null); }

}  // namespace

void insertNullFigures(QJsonObject &o, const NullForensics &null, double thresholdDb)
{
    o.insert(QStringLiteral("null_residual_db"), db(null.residualDbfs));
    o.insert(QStringLiteral("null_residual_relative_db"), db(null.residualRelativeDb));
    o.insert(QStringLiteral("null_passed"), null.passed);
    o.insert(QStringLiteral("best_fit_gain_db"), db(null.bestFitGainDb));
    o.insert(QStringLiteral("residual_after_fit_db"), db(null.residualAfterFitDb));
    o.insert(QStringLiteral("null_threshold_db"), db(thresholdDb));
    o.insert(QStringLiteral("mix_rms_dbfs"), db(null.mixRmsDbfs));
    o.insert(QStringLiteral("worst_residual_s"),
             null.worstResidualSeconds ? QJsonValue(std::round(*null.worstResidualSeconds * 1000.0) / 1000.0) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("worst_residual_relative_db"), db(null.worstResidualRelativeDb));
}

void insertStemFit(QJsonObject &o, std::optional<std::int64_t> offsetSamples, std::optional<bool> polarityInverted)
{
    o.insert(QStringLiteral("offset_samples"), offsetSamples ? QJsonValue(qint64(*offsetSamples)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("polarity_inverted"), polarityInverted ? QJsonValue(*polarityInverted) : QJsonValue(QJsonValue::Null));
}

}  // namespace stemship::reference

#include "reference/verdictjson.h"

#include "util/jsonnumber.h"

#include <cmath>

namespace stemship::reference {

void insertNullFigures(QJsonObject &o, const NullForensics &null, double thresholdDb)
{
    o.insert(QStringLiteral("null_residual_db"), jsonRounded(null.residualDbfs));
    o.insert(QStringLiteral("null_residual_relative_db"), jsonRounded(null.residualRelativeDb));
    o.insert(QStringLiteral("null_passed"), null.passed);
    o.insert(QStringLiteral("best_fit_gain_db"), jsonRounded(null.bestFitGainDb));
    o.insert(QStringLiteral("residual_after_fit_db"), jsonRounded(null.residualAfterFitDb));
    o.insert(QStringLiteral("null_threshold_db"), jsonRounded(thresholdDb));
    o.insert(QStringLiteral("mix_rms_dbfs"), jsonRounded(null.mixRmsDbfs));
    o.insert(QStringLiteral("worst_residual_s"),
             null.worstResidualSeconds ? QJsonValue(std::round(*null.worstResidualSeconds * 1000.0) / 1000.0) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("worst_residual_relative_db"), jsonRounded(null.worstResidualRelativeDb));
}

void insertStemFit(QJsonObject &o, std::optional<std::int64_t> offsetSamples, std::optional<bool> polarityInverted)
{
    o.insert(QStringLiteral("offset_samples"), offsetSamples ? QJsonValue(qint64(*offsetSamples)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("polarity_inverted"), polarityInverted ? QJsonValue(*polarityInverted) : QJsonValue(QJsonValue::Null));
}

}  // namespace stemship::reference

#include "deliverysession.h"

namespace stemship::session {

Status addSessionFiles(const delivery::DeliverySpec &spec, delivery::DeliveryResult &result, const QList<SessionFormat> &formats)
{
    DeliveryDescription d;
    d.title = result.title;
    d.version = spec.version;
    d.map = spec.tempoMap ? *spec.tempoMap : TempoMap::constant(spec.tempoBpm, spec.timeSignature.numerator, spec.timeSignature.denominator);
    d.prerollBars = result.timeline.prerollBars;
    const int rate = result.timeline.sampleRateHz;
    for (const delivery::DeliveredStem &s : result.stems)
        d.stems.append(DeliveredFile{s.file, s.source, result.timeline.lengthFrames, rate, s.channels});
    if (result.reference)
        d.reference = DeliveredFile{result.reference->file, result.reference->source, result.timeline.lengthFrames, rate, 2, true};
    const SessionPlan plan = planSession(d, spec.sessionTemplate ? &*spec.sessionTemplate : nullptr);
    const QString base = sessionBaseName(d.title, d.version);
    for (const SessionFormat f : formats) {
        const QString name = sessionFileName(base, f);
        Result<QByteArray> data = sessionFileData(plan, f, name);
        if (!data)
            return data.error();
        result.extraFiles.append(delivery::ExtraFile{name, *data});
    }
    return {};
}

}  // namespace stemship::session

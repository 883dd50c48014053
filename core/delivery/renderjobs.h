#pragma once

// What pass 2 is told for each delivered WAV: where its samples come from and go on the timeline, its gain and
// dither, and what the file carries (bext: description, originator, time reference, coding history; tags).

#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"
#include "gain/gainplanner.h"

#include <QDateTime>
#include <QDir>
#include <QString>

namespace stemship::delivery {

struct RenderContext {
    const DeliverySpec *spec = nullptr;
    Timeline timeline;
    QString title;        // the delivery's (spec's, else the template's); may be empty
    QDateTime originated;  // one bext time for every file of the delivery
    QDir work;             // where work files go
};

// index: the file's place in the delivery (its dither seed); file: its name in the zip.
RenderJob renderJobFor(const RenderContext &context, const MeasuredStem &stem, const QString &file, double gainDb, int index);

// What the manifest and NOTES say of a delivered stem: its gain and the levels of the delivered file (measured
// before gain, plus the gain: gain is linear, dither negligible).
DeliveredStem deliveredStemFor(const MeasuredStem &stem, const gain::StemGain &gain, const QString &file, const QString &source,
                               std::int64_t lengthFrames);

}  // namespace stemship::delivery

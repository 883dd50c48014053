#pragma once

// Stage 1 of a delivery, collect: what will be delivered, in delivery order (the stems as named by stemnames.h,
// then the reference mix), each with its file name in the zip and the float cache pass 1 writes for it.

#include "io/stemsource.h"
#include "delivery/deliveryspec.h"

#include <QDir>
#include <QString>

#include <optional>
#include <vector>

namespace stemship::delivery {

struct DeliveryItem {
    io::StemSource source;
    QString file;                   // entry name in the zip
    std::optional<int> trackIndex;  // matched template track
    bool isReference = false;
    QString cachePath;              // pass 1's float cache in the work folder
};

std::vector<DeliveryItem> collectItems(const DeliverySpec &spec, const QDir &work);

}  // namespace stemship::delivery

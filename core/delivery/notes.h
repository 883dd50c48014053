#pragma once

// NOTES.txt of a delivery: what a person opening the zip reads first.

#include "delivery/deliveryspec.h"

#include <QString>

namespace stemship::delivery {

QString notesText(const DeliveryResult &result, const DeliverySpec &spec);

}  // namespace stemship::delivery

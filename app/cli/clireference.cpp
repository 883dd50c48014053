#include "clireference.h"

#include "cliutil.h"

#include <QFileInfo>

#include <cmath>

namespace stemship::cli {

std::optional<audit::ReferenceOptions> referenceOptionsFrom(const QString &mix, const QString &threshold, bool requireNull,
                                                            const QString &command)
{
    const QFileInfo fi(mix);
    if (!fi.exists()) {
        printError(mix + QStringLiteral(": reference mix: no such file"));
        return std::nullopt;
    }
    if (fi.isDir()) {
        printError(mix + QStringLiteral(": reference mix: is a folder, not an audio file"));
        return std::nullopt;
    }
    audit::ReferenceOptions options{io::StemSource{mix, mix, {}}, -60.0, requireNull};
    if (!threshold.isEmpty()) {
        bool ok = false;
        options.nullThresholdDb = threshold.toDouble(&ok);
        if (!ok || !std::isfinite(options.nullThresholdDb) || options.nullThresholdDb > 0.0) {
            printError(QStringLiteral("stemship %1: --null-threshold takes dB relative to the mix (0 or below, e.g. -60), not '%2'").arg(command, threshold));
            return std::nullopt;
        }
    }
    return options;
}

}  // namespace stemship::cli

#include "delivery/collectstage.h"

#include "delivery/stemnames.h"

namespace stemship::delivery {

std::vector<DeliveryItem> collectItems(const DeliverySpec &spec, const QDir &work)
{
    std::vector<DeliveryItem> items;
    for (const NamedStem &n : nameStems(spec.sources, spec.sessionTemplate, spec.version))
        items.push_back({spec.sources[n.sourceIndex], n.file, n.trackIndex, false, {}});
    if (!spec.referencePath.isEmpty())
        items.push_back({io::StemSource{spec.referencePath, spec.referencePath, {}}, referenceFileName(spec.referencePath),
                         {}, true, {}});
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].cachePath = work.filePath(QStringLiteral("%1.f32").arg(i));
    return items;
}

}  // namespace stemship::delivery

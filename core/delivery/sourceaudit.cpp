#include "delivery/sourceaudit.h"

#include "audit/archivechecks.h"
#include "audit/setchecks.h"
#include "audit/stemauditor.h"
#include "audit/stemmeasure.h"

#include <QHash>

namespace stemship::delivery {

SourceAudit::SourceAudit(const DeliverySpec &spec, const std::vector<DeliveryItem> &items)
    : m_spec(spec), m_items(items),
      m_settings(spec.sessionTemplate ? spec.sessionTemplate->audit : audit::AuditSettings{})  // as runAudit judges
{
    for (const DeliveryItem &item : items) {
        if (item.isReference) {
            m_stems.push_back(nullptr);
            continue;
        }
        auto stem = std::make_unique<Stem>();
        Stem *s = stem.get();
        s->tap.opened = [this, s, path = item.source.displayPath](const io::AudioInfo &info) {
            s->report = audit::StemReport{};
            s->report.path = path;  // as auditStem names it
            s->report.readable = true;
            s->measured = false;
            s->measurer = std::make_unique<audit::StemMeasurer>(info, m_settings, &s->report);
        };
        s->tap.block = [s](const float *block, std::int64_t frames) { s->measurer->add(block, frames); };
        s->tap.finished = [this, s](const io::AudioInfo &info) {
            s->measurer->finish();
            s->measurer.reset();
            audit::checkMeasuredStem(&s->report, info, m_settings);
            s->measured = true;
        };
        m_stems.push_back(std::move(stem));
    }
}

SourceAudit::~SourceAudit() = default;

const SourceTap *SourceAudit::tapFor(std::size_t item) const
{
    return m_stems[item] ? &m_stems[item]->tap : nullptr;
}

audit::AuditReport SourceAudit::report(const std::vector<std::optional<Error>> &errors) const
{
    audit::AuditReport report;
    if (m_spec.sessionTemplate)
        report.templateName = m_spec.sessionTemplate->name;
    QHash<QString, std::size_t> itemOf;  // display path -> item
    for (std::size_t i = 0; i < m_items.size(); ++i)
        if (m_stems[i])
            itemOf.insert(m_items[i].source.displayPath, i);
    for (const io::StemSource &source : m_spec.sources) {
        const auto found = itemOf.constFind(source.displayPath);
        if (found == itemOf.cend())
            continue;
        const Stem &stem = *m_stems[*found];
        const std::optional<Error> &error = errors[*found];
        if (stem.measured)
            report.stems.append(stem.report);
        else if (error && error->code != ErrorCode::Cancelled)
            report.stems.append(audit::unreadableReport(source, *error, m_settings));
    }
    audit::checkSet(&report, m_settings, m_spec.sessionTemplate ? &*m_spec.sessionTemplate : nullptr);
    audit::checkArchives(&report, m_spec.sources, m_settings);
    return report;
}

}  // namespace stemship::delivery

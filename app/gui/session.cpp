#include "session.h"

#include "audit/referencecheck.h"

#include <QFileInfo>

namespace stemship::gui {

Session::Session(QObject *parent) : QObject(parent) {}

QList<Error> Session::setInputs(const QStringList &paths)
{
    QList<Error> errors;
    m_inputs = paths;
    m_sources = io::collectSources(paths, &errors);
    m_report.reset();
    m_sum.reset();
    Q_EMIT inputsChanged();
    Q_EMIT reportChanged();
    return errors;
}

QString Session::displayName() const
{
    if (m_inputs.isEmpty())
        return {};
    const QString first = QFileInfo(m_inputs.constFirst()).fileName();
    return m_inputs.size() == 1 ? first : QStringLiteral("%1 (+%2)").arg(first).arg(m_inputs.size() - 1);
}

void Session::setSessionTemplate(std::optional<templates::SessionTemplate> tmpl)
{
    m_template = std::move(tmpl);
    Q_EMIT templateChanged();
}

void Session::setReferencePath(const QString &path)
{
    if (path == m_referencePath)
        return;
    m_referencePath = path;
    Q_EMIT referenceChanged();
}

QList<io::StemSource> Session::stemSources() const
{
    return m_referencePath.isEmpty() ? m_sources : audit::withoutReference(m_sources, io::StemSource{m_referencePath, m_referencePath, {}});
}

void Session::setReport(std::optional<audit::AuditReport> report)
{
    m_sum.reset();
    if (report && !report->stems.isEmpty() && report->stems.constLast().isSum)
        m_sum = report->stems.takeLast();
    m_report = std::move(report);
    Q_EMIT reportChanged();
}

std::optional<audit::AuditReport> Session::fullReport() const
{
    std::optional<audit::AuditReport> full = m_report;
    if (full && m_sum)
        full->stems.append(*m_sum);
    return full;
}

void Session::setProfile(std::optional<profiles::DeliveryProfile> profile)
{
    m_profile = std::move(profile);
    Q_EMIT profileChanged();
}

void Session::setSumEnabled(bool on)
{
    if (m_sumEnabled == on)
        return;
    m_sumEnabled = on;
    Q_EMIT profileChanged();
}

const audit::StemReport *Session::stemReport(const QString &displayPath) const
{
    if (!m_report)
        return nullptr;
    for (const audit::StemReport &stem : m_report->stems)
        if (stem.path == displayPath)
            return &stem;
    return nullptr;
}

void Session::setGainChoice(const delivery::GainChoice &choice)
{
    m_gain = choice;
    Q_EMIT gainChoiceChanged();
}

delivery::DeliverySpec Session::deliverySpec() const
{
    delivery::DeliverySpec spec;
    spec.sources = stemSources();
    spec.referencePath = m_referencePath;
    spec.sessionTemplate = m_template;
    if (m_template) {
        spec.tempoBpm = m_template->tempoBpm;
        spec.timeSignature.numerator = m_template->timeSignature.numerator;
        spec.timeSignature.denominator = m_template->timeSignature.denominator;
    }
    spec.gainMode = m_gain.mode;
    spec.measure = m_gain.measure;
    spec.targetDb = m_gain.targetDb;
    spec.ceilingDbtp = ceilingDbtp();
    return spec;
}

double Session::ceilingDbtp() const
{
    return m_gain.ceilingDbtp.value_or(templateCeilingDbtp());
}

double Session::templateCeilingDbtp() const
{
    return m_template ? m_template->audit.truePeakCeilingDbtp : audit::AuditSettings{}.truePeakCeilingDbtp;
}

double Session::effectiveTargetDb() const
{
    if (m_gain.targetDb)
        return *m_gain.targetDb;
    return delivery::defaultTargetDb(delivery::targetMeasure(m_gain.mode, m_gain.measure), m_template ? &*m_template : nullptr);
}

}  // namespace stemship::gui

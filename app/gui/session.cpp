#include "session.h"

#include <QFileInfo>

namespace stemship::gui {

Session::Session(QObject *parent) : QObject(parent) {}

QList<Error> Session::setInputs(const QStringList &paths)
{
    QList<Error> errors;
    m_inputs = paths;
    m_sources = io::collectSources(paths, &errors);
    m_report.reset();
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

void Session::setReport(std::optional<audit::AuditReport> report)
{
    m_report = std::move(report);
    Q_EMIT reportChanged();
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

void Session::setGainSettings(const GainSettings &settings)
{
    m_gain = settings;
    Q_EMIT gainSettingsChanged();
}

double Session::effectiveTargetDb() const
{
    if (m_gain.targetDb)
        return *m_gain.targetDb;
    return delivery::defaultTargetDb(delivery::targetMeasure(m_gain.mode, m_gain.measure), m_template ? &*m_template : nullptr);
}

}  // namespace stemship::gui
